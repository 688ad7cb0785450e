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
    const report = await rehearse({ scheme: 'diving', marksCsv });
    expect([report.marksSent, report.marksAcknowledged, report.duplicates, report.lost]).toEqual([
      504, 504, 0, 0,
    ]);

    const scheme = getTemplate('diving');
    if (!scheme) throw new Error('no diving template');
    const [event] = readMarksCsv(marksCsv, scheme).events;
    if (!event) throw new Error('empty fixture');
    const offline = eventJson(scheme, event.event, scoreEvent(scheme, event.marks, event.difficulties));
    const pick = (standings: unknown[]) =>
      (standings as { rank: number; competitor: string; total: string }[]).map((s) => [
        s.rank,
        s.competitor,
        s.total,
      ]);
    expect(report.events.map((e) => e.event)).toEqual(['M10mPF']);
    expect(pick(report.events[0]?.standings ?? [])).toEqual(pick(offline.standings));
    expect(report.latency.submitToAcknowledged.p50).toBeGreaterThan(0);
    expect(report.latency.submitToLastSpectator.p50).toBeGreaterThanOrEqual(
      report.latency.submitToAcknowledged.p50 * 0.5,
    );
  }, 180_000);
});
