import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../bench/harness/report';

/**
 * The CI smoke run of `pnpm bench` (issue 14): a few seconds of each scenario this file names, small counts,
 * no thresholds — so the harness never rots. It asserts the report's shape and that the run's verification
 * found nothing lost, nothing stored twice and the live view equal to the recomputation.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

async function bench(scenario: string): Promise<BenchReport> {
  const { stdout } = await run(
    'pnpm',
    ['--silent', 'bench', '--scenario', scenario, '--smoke', '--seconds', '2', '--json'],
    { cwd: root, maxBuffer: 10_000_000, timeout: 420_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as BenchReport;
}

const fields = [
  'scenario',
  'marksPerSecond',
  'bareInsertPerSecond',
  'ratio',
  'ackMs',
  'lastSpectatorMs',
  'spectators',
  'bareBroadcastMs',
  'rssPerSpectatorKB',
  'lost',
  'duplicates',
  'generatorCpu',
  'liveViewMatches',
  'loadAverage',
  'extra',
  'notes',
];

describe('pnpm bench --smoke', () => {
  it('burst: marks acknowledged, bare inserts and their ratio, none lost or stored twice, the live view right', async () => {
    const report = await bench('burst');
    expect(Object.keys(report)).toEqual(expect.arrayContaining(fields));
    expect(report.scenario).toBe('burst');
    expect(report.marksPerSecond).toBeGreaterThan(0);
    expect(report.bareInsertPerSecond).toBeGreaterThan(0);
    expect(report.ratio).toBeGreaterThan(0);
    expect(report.ackMs?.count).toBeGreaterThan(0);
    expect(report.extra.embeddedMarksPerSecond).toBeGreaterThan(0);
    expect(report.extra.auditChainOk).toBe(true);
    expect(report.lost).toBe(0);
    expect(report.duplicates).toBe(0);
    expect(report.liveViewMatches).toBe(true);
  }, 480_000);

  it('rebuild: every mark written rebuilt into the live view, timed, and the view equal to the recomputation', async () => {
    const report = await bench('rebuild');
    expect(Object.keys(report)).toEqual(expect.arrayContaining(fields));
    expect(report.scenario).toBe('rebuild');
    expect(report.extra.marks).toBe(200);
    expect(report.extra.rounds).toBe(2);
    expect(report.extra.rebuildMsMedian).toBeGreaterThan(0);
    expect(report.extra.oneRoundMsMedian).toBeGreaterThan(0);
    expect(report.lost).toBe(0);
    expect(report.duplicates).toBe(0);
    expect(report.liveViewMatches).toBe(true);
  }, 480_000);

  it('naive: ours and the naive build at the same audience, every spectator joined', async () => {
    const report = await bench('naive');
    expect(Object.keys(report)).toEqual(expect.arrayContaining(fields));
    expect(report.scenario).toBe('naive');
    expect(report.marksPerSecond).toBeGreaterThan(0);
    expect(report.extra.naiveMarksPerSecond).toBeGreaterThan(0);
    expect(report.ratio).toBeGreaterThan(0);
    expect(report.extra.spectatorsJoined).toBe(report.spectators);
    expect(report.extra.naiveSpectatorsJoined).toBe(report.spectators);
    expect(report.extra.naiveFramesPerSecond).toBeGreaterThan(0);
    expect(report.lost).toBe(0);
    expect(report.duplicates).toBe(0);
    expect(report.liveViewMatches).toBe(true);
  }, 480_000);
});
