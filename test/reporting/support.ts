import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { binary } from '../support/bodies.js';

/**
 * The text of a PDF, through pdftotext (poppler-utils; .ci/run installs it). On a developer's
 * machine without it the PDF checks are skipped with a message; in CI its absence is a failure.
 */
export function pdfText(pdf: Buffer): string | null {
  if (!hasPdftotext()) return skipPdf();
  const file = join(mkdtempSync(join(tmpdir(), 'tawjih-pdf-')), 'r.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

interface Cell {
  coord: Record<string, string | null>;
  value: number | null;
  display: string;
  suppressed: false | 'primary' | 'complementary';
}

/** The cell of an indicator view at a coordinate (`{ sex: 'female' }`, `{}` for the total). */
export function cellOf(view: { cells: Cell[] }, coord: Record<string, string | null>): Cell {
  const found = view.cells.find((c) => Object.entries(coord).every(([k, v]) => c.coord[k] === v) && Object.keys(c.coord).every((k) => k in coord));
  if (!found) throw new Error(`no cell ${JSON.stringify(coord)}`);
  return found;
}

let available: boolean | undefined;
export function hasPdftotext(): boolean {
  if (available === undefined) {
    try {
      execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

function skipPdf(): null {
  if (process.env.CI) throw new Error('pdftotext (poppler-utils) is required in CI');
  console.warn('PDF text checks skipped: pdftotext (poppler-utils) is not installed');
  return null;
}
