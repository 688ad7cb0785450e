import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJson, getTemplate, readMarksCsv, scoreEvent } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { rehearse } from '../src/cli/rehearse';

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
    expect(report.latency.submitToAcknowledged.p50).toBeGreaterThan(0);
    expect(report.latency.submitToLastSpectator.p50).toBeGreaterThanOrEqual(
      report.latency.submitToAcknowledged.p50 * 0.5,
    );
  }, 180_000);
});
