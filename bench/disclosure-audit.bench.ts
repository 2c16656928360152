// Disclosure control at scale (issue 15, Build 1): CPU of Disclosure.chain — primary and
// complementary suppression plus the linear-programming audit — for the largest tables a report
// asks for, on synthetic counts shaped like the bench data (a few busy places, many quiet ones,
// referrals growing over ten years; the funnel sent ⊇ accepted ⊇ closed ⊇ completed). No database.
//
//   npm run bench:build && flock /tmp/bench.lock node dist-bench/bench/disclosure-audit.bench.js [runs] [name filter]
//
// Prints, per table, its cells (finest level, margins excluded), withheld entries and the CPU
// time of one protection (median and max over the runs, after one warm-up).
import { createHash } from 'node:crypto';
import { Disclosure, withSummedMargins } from '../src/reporting/disclosure.js';
import { seededRandom } from '../test/support/seeded-random.js';

const random = seededRandom;

function poisson(r: () => number, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r())));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = r(); p > limit; p *= r()) k++;
  return k;
}
const binomial = (r: () => number, n: number, p: number) => {
  let k = 0;
  for (let i = 0; i < n; i++) if (r() < p) k++;
  return k;
};

interface Table {
  name: string;
  sizes: number[];
  /** Relative weight of each value of each dimension. */
  weight: (d: number, i: number) => number;
  /** Referrals sent over the whole table. */
  total: number;
}

const months = 120;
/** Places: a few busy, most quiet (weights 1, 1/2, 1/3, …). */
const place = (i: number) => 1 / (i + 1);
/** Referrals grow over the ten years (the first months a twentieth of the last). */
const month = (i: number) => 0.05 + (0.95 * i) / (months - 1);
const TABLES: Table[] = [
  { name: 'region × ten years by month (12 × 120), sparse', sizes: [12, months], weight: (d, i) => (d === 0 ? place(i) : month(i)), total: 30_000 },
  { name: 'region × ten years by month (12 × 120), 100k-like', sizes: [12, months], weight: (d, i) => (d === 0 ? place(i) : month(i)), total: 290_000 },
  { name: 'province × ten years by month (8 × 120), one region', sizes: [8, months], weight: (d, i) => (d === 0 ? place(i) : month(i)), total: 20_000 },
  { name: 'ten years by month (120), one unit', sizes: [months], weight: (_, i) => month(i), total: 600 },
  { name: 'national sex × age band (4 × 4)', sizes: [4, 4], weight: (d, i) => (d === 0 ? [0.7, 0.28, 0.015, 0.005][i]! : [0.15, 0.3, 0.5, 0.05][i]!), total: 290_000 },
  { name: 'national sex × age band × region (4 × 4 × 12)', sizes: [4, 4, 12], weight: (d, i) => (d === 0 ? [0.7, 0.28, 0.015, 0.005][i]! : d === 1 ? [0.15, 0.3, 0.5, 0.05][i]! : place(i)), total: 290_000 },
  { name: 'age band × province (4 × 75), national', sizes: [4, 75], weight: (d, i) => (d === 0 ? [0.15, 0.3, 0.5, 0.05][i]! : place(i)), total: 290_000 },
];

function chainOf(t: Table, seed: number) {
  const r = random(seed);
  const coords = t.sizes.reduce<string[][]>((acc, n, d) => acc.flatMap((c) => Array.from({ length: n }, (_, i) => [...c, `d${d}v${i}`])), [[]]);
  const weights = coords.map((c) => c.reduce((w, v, d) => w * t.weight(d, Number(v.slice(v.indexOf('v') + 1))), 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const cells = coords.map((coord, i) => {
    const sent = poisson(r, (t.total * weights[i]!) / sum);
    const accepted = binomial(r, sent, 0.75);
    const closed = binomial(r, accepted, 0.6);
    const completed = binomial(r, closed, 0.8);
    return { coord, steps: [sent, accepted, closed, completed] };
  });
  const byStep = [0, 1, 2, 3].map((j) => withSummedMargins(cells.map((c) => ({ coord: c.coord, value: c.steps[j]! }))));
  return { coords: byStep[0]!.map((e) => e.coord), steps: byStep.map((s) => s.map((e) => e.value)), cells: cells.length };
}

const runs = Number(process.argv[2] ?? 7);
/** Only the tables whose name contains this. */
const only = process.argv[3] ?? '';
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (const table of TABLES.filter((t) => t.name.includes(only))) {
  const chain = chainOf(table, 15);
  const small = chain.steps[0]!.filter((v) => v > 0 && v < 5).length;
  const times: number[] = [];
  let withheld = 0;
  let fingerprint = '';
  for (let i = 0; i <= runs; i++) {
    const start = cpuMs();
    const published = new Disclosure(5, 'en').chain({ coords: chain.coords, steps: chain.steps });
    if (i) times.push(cpuMs() - start);
    withheld = published.reduce((n, step) => n + step.filter((p) => p.value === null).length, 0);
    // Which entry-steps are withheld and why, hashed: two builds must withhold the same.
    fingerprint = createHash('sha256').update(published.map((step) => step.map((p) => p.reason ?? '').join(',')).join(';')).digest('hex').slice(0, 12);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${table.name}: ${chain.cells} cells (${chain.coords.length} entries, ${small} sent counts of 1-4), ` +
      `${withheld} of ${chain.coords.length * 4} entry-steps withheld [${fingerprint}]; CPU median ${median.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms`,
  );
}
