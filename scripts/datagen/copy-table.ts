import { once } from 'node:events';
import type pg from 'pg';
import pgCopy from 'pg-copy-streams';

/**
 * One table being filled through `COPY … FROM STDIN` (text format) on its own connection. Rows are
 * buffered as text lines and written in chunks; `flush` waits while PostgreSQL catches up.
 */
export class CopyTable {
  rows = 0;
  private lines: string[] = [];
  private readonly stream: ReturnType<typeof pgCopy.from>;
  private readonly done: Promise<void>;

  /**
   * With `freeze`, the caller has truncated the table in the open transaction, so PostgreSQL can
   * write the rows already frozen and visible (no vacuum pass over them afterwards).
   */
  constructor(client: pg.PoolClient, readonly table: string, columns: readonly string[], freeze = false) {
    this.stream = client.query(pgCopy.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN${freeze ? ' WITH (FREEZE)' : ''}`));
    this.done = new Promise((ok, fail) => {
      this.stream.on('finish', () => ok());
      this.stream.on('error', fail);
    });
    this.done.catch(() => undefined); // surfaced by flush/end
  }

  push(line: string): void {
    this.lines.push(line);
    this.rows++;
  }

  async flush(): Promise<void> {
    if (!this.lines.length) return;
    const ok = this.stream.write(this.lines.join('\n') + '\n');
    this.lines = [];
    if (!ok) await Promise.race([once(this.stream, 'drain'), this.done]);
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.done;
  }
}

/** A value in COPY text format: `\N` for null, backslash, tab and newlines escaped. */
export function t(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** A PostgreSQL array literal of simple (unquoted-safe) values. */
export const arr = (values: readonly string[]) => `{${values.join(',')}}`;
