import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../bench/harness/report';

const repoDir = fileURLToPath(new URL('../..', import.meta.url));

/** `pnpm bench --scenario <name> --smoke --json` as CI runs it: its one JSON report (no thresholds). */
function bench(scenario: string): Promise<BenchReport> {
  return new Promise((resolve, reject) =>
    execFile(
      'pnpm',
      ['--silent', 'bench', '--scenario', scenario, '--smoke', '--json'],
      { cwd: repoDir, timeout: 420_000, maxBuffer: 10_000_000 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1) ?? '';
        if (error && !line.startsWith('{')) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(line) as BenchReport);
      },
    ),
  );
}

/** The smoke runs that keep the audience and scale-out scenarios from rotting: fields, nothing lost. */
describe('pnpm bench --smoke: audience and scaleout', () => {
  it('runs the audience scenario: spectators, the bare broadcast, the storm, nothing lost', async () => {
    const report = await bench('audience');
    expect(report).toMatchObject({
      scenario: 'audience',
      spectators: 20,
      lost: 0,
      duplicates: 0,
      liveViewMatches: true,
    });
    expect(report.lastSpectatorMs?.count).toBeGreaterThan(0);
    expect(report.bareBroadcastMs?.count).toBeGreaterThan(0);
    expect(report.generatorCpu).toBeGreaterThan(0);
    expect(report.rssPerSpectatorKB).toEqual(expect.any(Number));
    expect(report.extra).toMatchObject({
      spectatorsJoined: 20,
      // A figure, not an invariant: on a loaded machine a mark's version may not reach all before the bench stops.
      marksNotSeenByAll: expect.any(Number),
      reconnectBehind: 0,
      restarts: 0,
      auditChainOk: true,
      // Read through each server's inspector after a full collection.
      heapPerSpectatorKB: expect.any(Number),
      bareHeapPerSpectatorKB: expect.any(Number),
    });
    expect(report.extra.reconnectSeconds).toBeGreaterThan(0);
  }, 450_000);

  it('runs the scaleout scenario: one process, then three behind nginx, nothing lost', async () => {
    const report = await bench('scaleout');
    expect(report).toMatchObject({ scenario: 'scaleout', lost: 0, duplicates: 0, liveViewMatches: true });
    expect(report.lastSpectatorMs?.count).toBeGreaterThan(0);
    expect(report.extra).toMatchObject({
      marksNotSeenByAll: expect.any(Number),
      reconnectBehind: 0,
      restarts: 0,
    });
    expect(report.extra.oneProcessLastSpectatorP99).toEqual(expect.any(Number));
    expect(report.ratio).toEqual(expect.any(Number));
  }, 450_000);
});
