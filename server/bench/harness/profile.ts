/**
 * A `node --cpu-prof` profile summarised: the functions with the most self time (samples whose top frame
 * they are), as lines for a report's notes and BENCHMARKS.md. Profiles are read from a folder and removed
 * (kept with BENCH_KEEP_PROF=1, to read further).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Now on the clock profiles are stamped with (CLOCK_MONOTONIC, µs; the same in every process). */
export const profileClock = () => Number(process.hrtime.bigint() / 1000n);

/** Where a frame comes from, short: the package, or the repository file. */
function place(url: string, line: number): string {
  if (!url) return '(native)';
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  const own = /\/(server|shared)\/src\/(.+)$/.exec(url);
  if (own) return `${own[1]}/src/${own[2]}:${line + 1}`;
  return url.replace(/^node:/, 'node:');
}

/** `window`: [from, to] on `profileClock`, to count only the samples taken then (the measured phase). */
export function summariseProfiles(folder: string, top: number, window?: [number, number]): string[] {
  const files = readdirSync(folder).filter((f) => f.endsWith('.cpuprofile'));
  const self = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let total = 0;
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    let at = profile.startTime;
    for (const [i, id] of profile.samples.entries()) {
      // A sample stands for the time until the next one, ms.
      const interval = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      at += profile.timeDeltas[i] ?? 0;
      const node = byId.get(id);
      if (!node || (window && (at < window[0] || at > window[1]))) continue;
      const name = node.callFrame.functionName || '(anonymous)';
      total += interval;
      if (name === '(idle)' || name === '(program)') continue;
      busy += interval;
      const where = place(node.callFrame.url, node.callFrame.lineNumber);
      const key = `${name} ${where}`;
      self.set(key, (self.get(key) ?? 0) + interval);
      const group = where
        .replace(/\.ts:\d+$/, '')
        .replace(/^(server|shared)\/src\/([^/]+)\/.*$/, '$1/src/$2');
      byPlace.set(group, (byPlace.get(group) ?? 0) + interval);
    }
    if (!process.env.BENCH_KEEP_PROF) rmSync(join(folder, file));
  }
  const share = (ms: number) => `${((ms / Math.max(1, busy)) * 100).toFixed(1)}%`;
  const lines = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => `self ${share(ms)} ${key}`);
  const places = [...byPlace.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([where, ms]) => `${where} ${share(ms)}`);
  return [
    `CPU profile: ${(busy / 1000).toFixed(1)} s busy of ${(total / 1000).toFixed(1)} s sampled; by where: ${places.join(', ')}; top self time:`,
    ...lines,
  ];
}
