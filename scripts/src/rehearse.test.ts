import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventJson, getTemplate, readMarksCsv, scoreEvent } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { officialLines, parisOfficial } from './official';
import { type RehearsalReport, runRehearse } from './rehearse';
import { runResults } from './results';

const marksFile = join(
  import.meta.dirname,
  '../../tests/fixtures/paris2024-men-10m-platform-final.marks.csv',
);
const marksCsv = readFileSync(marksFile, 'utf8');

/** Runs a tool as its command line does, capturing what it writes. */
async function run(tool: typeof runRehearse | typeof runResults, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await tool(
    argv,
    (s) => {
      stdout += s;
    },
    (s) => {
      stderr += s;
    },
  );
  return { code, stdout, stderr };
}

describe('pnpm rehearse', () => {
  it('runs the Paris final through the real system; spectators end on exactly what `pnpm results` computes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-export-'));
    const rehearsal = await run(runRehearse, [
      '--scheme',
      'diving',
      '--marks',
      marksFile,
      '--spectators',
      '5',
      '--export',
      dir,
    ]);
    expect([rehearsal.code, rehearsal.stderr]).toEqual([0, '']);
    const report = JSON.parse(rehearsal.stdout) as RehearsalReport;
    expect([
      report.marksSent,
      report.marksAcknowledged,
      report.duplicates,
      report.marksLost,
      report.spectatorsBehind,
      // One process sends in order: every delta applies on top of what each spectator holds.
      report.messagesLost,
    ]).toEqual([504, 504, 0, 0, 0, 0]);

    const scheme = getTemplate('diving');
    if (!scheme) throw new Error('no diving template');
    const [event] = readMarksCsv(marksCsv, scheme).events;
    if (!event) throw new Error('empty fixture');
    const offline = eventJson(scheme, event.event, scoreEvent(scheme, event.marks, event.difficulties));
    expect(report.events.map((e) => e.event)).toEqual(['M10mPF']);
    // The whole breakdown, as built from snapshot and deltas: every dive, every mark by seat, every total.
    expect(report.events[0]?.standings).toEqual(offline.standings);
    // After joining, spectators get deltas; whole snapshots only when the round's status changes (sign-off,
    // decryption, publication). With seven judges marking every diver at once most lines change within
    // each 100 ms, yet a delta stays smaller than the standings it updates.
    expect(report.updates.deltas).toBeGreaterThan(report.updates.snapshots * 10);
    expect(report.updates.deltaBytes.p50).toBeLessThan(report.updates.snapshotBytes.p50);
    expect(report.latency.submitToAcknowledged.p50).toBeGreaterThan(0);
    expect(report.latency.submitToLastSpectator.p50).toBeGreaterThanOrEqual(
      report.latency.submitToAcknowledged.p50 * 0.5,
    );

    // --export: the official files, written through the export API after publication; the marks file and
    // the scheme beside it recompute, with `pnpm results`, the official Paris standings.
    expect(report.exports?.files).toEqual([
      'results.xlsx',
      'results.pdf',
      'results.csv',
      'M10mPF.marks.csv',
      'M10mPF.scheme.json',
    ]);
    expect(report.exports?.auditPosition).toMatch(/^\d+:[0-9a-f]{64}$/);
    for (const file of report.exports?.files ?? []) expect(existsSync(join(dir, file))).toBe(true);
    const recomputed = await run(runResults, [
      '--scheme',
      join(dir, 'M10mPF.scheme.json'),
      '--marks',
      join(dir, 'M10mPF.marks.csv'),
      '--format',
      'json',
    ]);
    expect([recomputed.code, recomputed.stderr]).toEqual([0, '']);
    const [fromExport] = JSON.parse(recomputed.stdout).events;
    expect(fromExport.event).toBe('M10mPF');
    expect(officialLines(fromExport.standings)).toEqual(parisOfficial());
  }, 180_000);
});
