import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJson, getTemplate, readMarksCsv, scoreEvent } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { rehearse } from './rehearse';

const marksCsv = readFileSync(
  join(import.meta.dirname, '../../tests/fixtures/paris2024-men-10m-platform-final.marks.csv'),
  'utf8',
);

describe('pnpm rehearse', () => {
  it('runs the Paris final through the real system; spectators end on exactly what `pnpm results` computes', async () => {
    const report = await rehearse({ scheme: 'diving', marksCsv, spectators: 5 });
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
  }, 180_000);
});
