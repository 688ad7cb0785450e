/**
 * A `node --cpu-prof` profile summarised: the functions with the most self time (samples whose top frame
 * they are), as lines for a report's notes and BENCHMARKS.md. Profiles are read from a folder and removed.
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
}

/** Where a frame comes from, short: the package, or the repository file. */
function place(url: string, line: number): string {
  if (!url) return '(native)';
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  const own = /\/(server|shared)\/src\/(.+)$/.exec(url);
  if (own) return `${own[1]}/src/${own[2]}:${line + 1}`;
  return url.replace(/^node:/, 'node:');
}

export function summariseProfiles(folder: string, top: number): string[] {
  const files = readdirSync(folder).filter((f) => f.endsWith('.cpuprofile'));
  const self = new Map<string, number>();
  let total = 0;
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const interval = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
    for (const id of profile.samples) {
      const node = byId.get(id);
      if (!node) continue;
      const name = node.callFrame.functionName || '(anonymous)';
      total += interval;
      if (name === '(idle)' || name === '(program)') continue;
      busy += interval;
      const key = `${name} ${place(node.callFrame.url, node.callFrame.lineNumber)}`;
      self.set(key, (self.get(key) ?? 0) + interval);
    }
    rmSync(join(folder, file));
  }
  const lines = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => `self ${((ms / Math.max(1, busy)) * 100).toFixed(1)}% ${key}`);
  return [
    `CPU profile: ${(busy / 1000).toFixed(1)} s busy of ${(total / 1000).toFixed(1)} s sampled; top self time:`,
    ...lines,
  ];
}
