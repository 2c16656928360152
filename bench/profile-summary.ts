// Summarises a V8 CPU profile (.cpuprofile) by self time: the share of each package / source area and
// of the hottest functions, idle time (waiting for the database or the network) left out of the shares.
export interface ProfileSummary {
  /** Sampled time the process was busy (not idle), ms. */
  busyMs: number;
  idleMs: number;
  areas: Array<{ name: string; ms: number }>;
  functions: Array<{ name: string; ms: number }>;
}

interface CpuProfile {
  nodes: Array<{ id: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a folder of src/, Node itself or V8. */
export function areaOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (!url) return functionName === '(program)' ? '(program)' : '(V8 / native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node (core)';
  const src = /\/src\/([^/]+)\//.exec(url);
  return src ? `src/${src[1]}` : url.split('/').slice(-2).join('/');
}

export function summarise(profile: CpuProfile, top = 15): ProfileSummary {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  // The profiler's own work (stopping, serialising the profile) sits under the preload's frames: left out.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const isProfiler = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (byId.get(at)!.callFrame.url.includes('profiler-preload')) return true;
    return false;
  };
  for (const n of profile.nodes) {
    const us = self.get(n.id) ?? 0;
    if (!us || isProfiler(n.id)) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} (${url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : area})`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: us / 1000 }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, areas: sorted(areas), functions: sorted(fns) };
}

/** One scenario's summary as Markdown, shares of busy time. */
export function summaryMarkdown(title: string, s: ProfileSummary, requests: number): string {
  const pct = (ms: number) => `${((100 * ms) / Math.max(s.busyMs, 1e-9)).toFixed(1)} %`;
  const perReq = requests ? ` — ${(s.busyMs / requests).toFixed(2)} ms busy per request over ${requests} requests` : '';
  return [
    `### ${title}`,
    '',
    `Busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms${perReq}.`,
    '',
    '| area | self time | share |',
    '|---|---|---|',
    ...s.areas.map((a) => `| ${a.name} | ${a.ms.toFixed(0)} ms | ${pct(a.ms)} |`),
    '',
    '| function | self time | share |',
    '|---|---|---|',
    ...s.functions.map((f) => `| \`${f.name.replace(/\|/g, '\\|')}\` | ${f.ms.toFixed(0)} ms | ${pct(f.ms)} |`),
    '',
  ].join('\n');
}
