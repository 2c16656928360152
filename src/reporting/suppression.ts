/**
 * Small-number protection of published tables (domain.md §6).
 *
 * A table is a list of entries: the cells of a cross-classification by 0, 1 or 2 dimensions *and*
 * its margins. An entry's coordinate has one value per dimension; `null` stands for "all values"
 * (a total). So a table by sex has entries (female), (male), …, and (null) — the total; a table
 * by sex × age band also has the row totals (female, null), the column totals (null, '0-17') and
 * the grand total (null, null).
 *
 * Rules:
 * 1. Primary suppression: an entry with 0 < value < threshold is withheld and published as `<5`
 *    (with the configured threshold). A true zero is published as 0: that nobody in a group
 *    received a service is not a small number of persons, and hiding zeros would make every
 *    sparse table unreadable. (Zeros may still be withheld as complementary cells, last resort.)
 * 2. Complementary suppression, lines: a line is the set of entries that differ only in one
 *    dimension, including its total (a row with its row total, a column with its column total,
 *    the margin row with the grand total). A line with exactly one withheld entry would give it
 *    away by subtraction, so another entry of that line is withheld too. Candidates are chosen to
 *    lose little and leak little: cells before totals, cells whose other line already has a
 *    withheld entry, values above the threshold (so the interval an attacker can derive for the
 *    small cell stays wide), then smaller values.
 * 3. Complementary suppression, 2-D: rows and columns with 0 or ≥ 2 withheld entries can still
 *    give a value away by combining several lines. Seen as a bipartite graph (a row or column is
 *    a node, a withheld entry an edge between its row and its column), an entry is determined by
 *    the published figures exactly when its edge is a bridge (it lies on no cycle). Each bridge is
 *    closed into a 4-cycle by withholding one more entry.
 *    Rules 2 and 3 repeat until nothing changes (a fixed point).
 * Non-additive indicators (percentages, medians) are not sums of their cells: there a cell is
 * withheld when the number of records behind it (`base`) is below the threshold, and no
 * complementary suppression is needed.
 * Tables with more than two dimensions are refused by the API: rule 3 is proven for two.
 */

export type Coord = readonly (string | null)[];

export interface Entry {
  coord: Coord;
  value: number;
  /** Number of records behind a non-additive value (denominator of a %, size of a median). */
  base?: number;
}

export type SuppressionKind = 'primary' | 'complementary';

export interface PublishedEntry {
  coord: Coord;
  /** The figure, or null when withheld. */
  value: number | null;
  /** What a reader sees: the number, `<5` (primary), `x` (withheld to protect another cell), `–` (no base). */
  display: string;
  suppressed: SuppressionKind | false;
}

export interface ProtectOptions {
  threshold: number;
  /** Additive (counts) get complementary suppression; `base` gets primary suppression on base only. */
  mode: 'additive' | 'base';
  /**
   * Entries already withheld for a reason outside this table (a small difference to the step
   * before it in a funnel, or that step withheld): complementary suppression protects them too.
   */
  preset?: ReadonlyMap<string, SuppressionKind>;
  /**
   * Entries that may not be withheld as complements: the margins a coarser table of the same
   * figures already decided (disclosure.ts protects a table from its grand total down, so the
   * table by sex alone and the margins of the table by sex × age band are the same figures).
   */
  fixed?: (coord: Coord) => boolean;
}

/**
 * A coordinate's key, remembered per coordinate array: protection looks the same entries up many
 * times (the disclosure audit runs the line rules again and again over one level). Coordinates are
 * readonly, so the key of an array never changes.
 */
const keys = new WeakMap<Coord, string>();
export const keyOf = (c: Coord): string => {
  let k = keys.get(c);
  if (k === undefined) keys.set(c, (k = JSON.stringify(c)));
  return k;
};

export const COMPLEMENTARY_MARK = 'x';
/** A percentage or median with no records behind it. */
export const NOTHING_MARK = '–';
export const primaryMark = (threshold: number) => `<${threshold}`;

/** Applies the rules above; returns the entries in the order given. */
export function protect(entries: readonly Entry[], opts: ProtectOptions): PublishedEntry[] {
  const { threshold } = opts;
  if (!Number.isInteger(threshold) || threshold < 1) throw new Error('suppression threshold must be a positive integer');
  const dims = entries[0]?.coord.length ?? 0;
  for (const e of entries) {
    if (e.coord.length !== dims) throw new Error('all entries of a table must have the same dimensions');
    if (!Number.isFinite(e.value) || (opts.mode === 'additive' && (e.value < 0 || !Number.isInteger(e.value)))) {
      throw new Error('additive tables hold non-negative integers');
    }
  }
  const suppressed = new Map<string, SuppressionKind>(opts.preset ?? []);
  for (const e of entries) {
    if (suppressed.has(keyOf(e.coord))) continue;
    const size = opts.mode === 'additive' ? e.value : (e.base ?? 0);
    if (size > 0 && size < threshold) suppressed.set(keyOf(e.coord), 'primary');
  }
  if (opts.mode === 'additive' && dims > 0) complement(entries, suppressed, threshold, opts.fixed ?? (() => false));
  return entries.map((e) => {
    // A % or a median of nothing is not a figure: shown as a dash, not withheld.
    if (opts.mode === 'base' && (e.base ?? 0) === 0) return { coord: e.coord, value: null, display: NOTHING_MARK, suppressed: false };
    const s = suppressed.get(keyOf(e.coord)) ?? false;
    if (!s) return { coord: e.coord, value: e.value, display: String(e.value), suppressed: false };
    return { coord: e.coord, value: null, display: s === 'primary' ? primaryMark(threshold) : COMPLEMENTARY_MARK, suppressed: s };
  });
}

/** A coordinate's line keys: for each dimension d, the key of the coordinate without d (remembered like keyOf). */
const lineKeys = new WeakMap<Coord, string[]>();
const lineKeysOf = (c: Coord): string[] => {
  let k = lineKeys.get(c);
  if (k === undefined) lineKeys.set(c, (k = c.map((_, d) => keyOf(c.filter((_, i) => i !== d)))));
  return k;
};

/** The lines of a table: for each dimension d, entries grouped by their coordinate without d. */
export function linesOf(entries: readonly Entry[]): Entry[][] {
  const dims = entries[0]?.coord.length ?? 0;
  const lines: Entry[][] = [];
  for (let d = 0; d < dims; d++) {
    const groups = new Map<string, Entry[]>();
    for (const e of entries) {
      const k = lineKeysOf(e.coord)[d]!;
      const g = groups.get(k);
      if (g) g.push(e);
      else groups.set(k, [e]);
    }
    lines.push(...groups.values());
  }
  return lines;
}

/**
 * The lines of a list of entries and the lines of each entry, remembered per list (the disclosure
 * audit protects the same entries again and again with other presets; entries are not changed).
 */
const linesCache = new WeakMap<readonly Entry[], { lines: Entry[][]; linesOfEntry: Map<string, Entry[][]> }>();
function linesWithEntries(entries: readonly Entry[]) {
  let cached = linesCache.get(entries);
  if (!cached) {
    const lines = linesOf(entries);
    const linesOfEntry = new Map<string, Entry[][]>();
    for (const line of lines) {
      for (const e of line) {
        const k = keyOf(e.coord);
        const of = linesOfEntry.get(k);
        if (of) of.push(line);
        else linesOfEntry.set(k, [line]);
      }
    }
    linesCache.set(entries, (cached = { lines, linesOfEntry }));
  }
  return cached;
}

function complement(entries: readonly Entry[], suppressed: Map<string, SuppressionKind>, threshold: number, fixed: (coord: Coord) => boolean): void {
  const dims = entries[0]!.coord.length;
  const { lines, linesOfEntry } = linesWithEntries(entries);
  const isOut = (e: Entry) => suppressed.has(keyOf(e.coord));
  /** How aggregated an entry is: 0 for a cell, 1 for a row or column total, 2 for the grand total. */
  const margins = (e: Entry) => e.coord.filter((v) => v === null).length;
  /** Lower is better: cells before totals, shared lines, values above the threshold, small values. */
  const cost = (e: Entry, line: Entry[]): number[] => {
    const others = (linesOfEntry.get(keyOf(e.coord)) ?? []).filter((l) => l !== line);
    const shares = others.some((l) => l.some(isOut)) ? 0 : 1;
    const band = e.value > threshold ? 0 : e.value > 0 ? 1 : 2;
    return [margins(e), shares, band, e.value];
  };
  const better = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
    return false;
  };
  const pick = (candidates: Entry[], line: Entry[]): Entry | undefined => {
    let best: Entry | undefined;
    let bestCost: number[] = [];
    // The grand total is the headline figure published beside every table (the report's total,
    // the narrative): a complement only when nothing else can be (a margin equal to it).
    const grand = (e: Entry) => e.coord.every((v) => v === null);
    const free = candidates.filter((c) => !fixed(c.coord));
    const others = free.filter((c) => !grand(c));
    for (const c of others.length ? others : free) {
      const k = cost(c, line);
      if (!best || better(k, bestCost)) [best, bestCost] = [c, k];
    }
    return best;
  };

  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      let out = 0;
      for (let i = 0; i < line.length && out < 2; i++) if (isOut(line[i]!)) out++;
      if (out !== 1) continue;
      const chosen = pick(line.filter((e) => !isOut(e)), line);
      if (chosen) {
        suppressed.set(keyOf(chosen.coord), 'complementary');
        changed = true;
      }
    }
    if (!changed && dims === 2) changed = closeBridges(entries, suppressed, (cands) => pick(cands, []), fixed);
  }
}

/**
 * 2-D only: finds withheld entries whose edge is a bridge of the row–column graph and withholds a
 * fourth entry to put it on a 4-cycle. Returns whether anything was added.
 */
function closeBridges(
  entries: readonly Entry[],
  suppressed: Map<string, SuppressionKind>,
  pick: (candidates: Entry[]) => Entry | undefined,
  fixed: (coord: Coord) => boolean,
): boolean {
  const out = entries.filter((e) => suppressed.has(keyOf(e.coord)));
  for (const bridge of bridgesOf(out.map((e) => e.coord))) {
    const [r, c] = bridge;
    const inRow = out.filter((e) => e.coord[0] === r && e.coord[1] !== c).map((e) => e.coord[1]);
    const inCol = out.filter((e) => e.coord[1] === c && e.coord[0] !== r).map((e) => e.coord[0]);
    const byKey = new Map(entries.map((e) => [keyOf(e.coord), e]));
    const candidates: Entry[] = [];
    for (const c2 of inRow) {
      for (const r2 of inCol) {
        const e = byKey.get(keyOf([r2, c2]));
        if (e && !suppressed.has(keyOf(e.coord))) candidates.push(e);
      }
    }
    const chosen = pick(candidates);
    if (chosen) {
      suppressed.set(keyOf(chosen.coord), 'complementary');
      return true;
    }
    // No single entry closes it (row or column has no other withheld entry, which rule 2 prevents):
    // withhold the whole row as a last resort.
    const row = entries.filter((e) => e.coord[0] === r && !suppressed.has(keyOf(e.coord)) && !fixed(e.coord));
    for (const e of row) suppressed.set(keyOf(e.coord), 'complementary');
    if (row.length) return true;
  }
  return false;
}

/**
 * Bridges of the bipartite graph whose nodes are rows (coord[0]) and columns (coord[1]) and whose
 * edges are the given coordinates (Tarjan's lowlink, iterative-free: tables are small).
 */
export function bridgesOf(edges: readonly Coord[]): Coord[] {
  const node = (side: 'r' | 'c', v: string | null) => `${side}:${v === null ? '∗' : v}`;
  const adj = new Map<string, { to: string; id: number }[]>();
  edges.forEach((e, id) => {
    const a = node('r', e[0]!);
    const b = node('c', e[1]!);
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const list = adj.get(from);
      if (list) list.push({ to, id });
      else adj.set(from, [{ to, id }]);
    }
  });
  const disc = new Map<string, number>();
  const low = new Map<string, number>();
  const found: Coord[] = [];
  let time = 0;
  const visit = (u: string, viaEdge: number) => {
    disc.set(u, time);
    low.set(u, time++);
    for (const { to, id } of adj.get(u) ?? []) {
      if (id === viaEdge) continue;
      if (!disc.has(to)) {
        visit(to, id);
        low.set(u, Math.min(low.get(u)!, low.get(to)!));
        if (low.get(to)! > disc.get(u)!) found.push(edges[id]!);
      } else {
        low.set(u, Math.min(low.get(u)!, disc.get(to)!));
      }
    }
  };
  for (const u of adj.keys()) if (!disc.has(u)) visit(u, -1);
  return found;
}

/**
 * Builds the full entry list (cells and every margin) of an additive table from its cells, by
 * summing. Distinct-person tables must not use this (a person can be in two cells): their totals
 * come from the database.
 */
export function withSummedMargins(cells: readonly Entry[]): Entry[] {
  const dims = cells[0]?.coord.length ?? 0;
  const sums = new Map<string, Entry>();
  for (const cell of cells) {
    for (let mask = 0; mask < 1 << dims; mask++) {
      const coord = cell.coord.map((v, i) => (mask & (1 << i) ? null : v));
      const k = keyOf(coord);
      const e = sums.get(k);
      if (e) e.value += cell.value;
      else sums.set(k, { coord, value: cell.value });
    }
  }
  return [...sums.values()];
}
