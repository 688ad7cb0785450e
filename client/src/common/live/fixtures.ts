import { eventJson, type LiveStanding, parseScheme, type Scheme, scoreEvent } from '@jiangxin/shared';

/** Test data for the chief's pure functions: a scheme and live lines computed by the real engine. */

export function testScheme(aggregation: 'mean' | 'sum' = 'mean'): Scheme {
  const parsed = parseScheme({
    id: 'test-welding',
    name: '焊工实操',
    precision: 2,
    components: [
      {
        id: 'practical',
        name: '实操',
        aspects: ['quality', 'technique'].map((id) => ({
          kind: 'judgement',
          id,
          name: id,
          panel: 5,
          range: { min: '0', max: '10' },
          step: '0.5',
          aggregation: { method: aggregation, dropHighest: 1, dropLowest: 1 },
        })),
      },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scheme;
}

/** Rounds of their own size: six dives, a preliminary of three, a semifinal of five, a final of six. */
export function divesByRound(): Scheme {
  const parsed = parseScheme({
    id: 'dives-by-round',
    name: '跳水',
    components: [
      {
        id: 'dives',
        name: '跳水',
        attempts: { label: 'dive', count: 6 },
        aspects: [
          {
            kind: 'judgement',
            id: 'execution',
            name: '完成',
            panel: 3,
            range: { min: '0', max: '10' },
            step: '0.5',
            aggregation: { method: 'mean' },
          },
        ],
      },
    ],
    rounds: [
      { id: 'Preliminary', attempts: { dives: 3 }, advance: 2 },
      { id: 'Semifinal', attempts: { dives: 5 } },
      { id: 'Final' },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scheme;
}

/** Marks as workstation → item → seat → value. */
export type MarkTable = Record<string, Record<string, Record<string, string>>>;

/** The live lines the server would push for these marks (competitors are workstation codes). */
export function liveLines(
  scheme: Scheme,
  table: MarkTable,
  /** Seats the chief judge replaced under the scheme's missing-mark rule. */
  replaced: { competitor: string; item: string; judge: string }[] = [],
): LiveStanding[] {
  const marks = Object.entries(table).flatMap(([competitor, items]) =>
    Object.entries(items).flatMap(([item, seats]) =>
      Object.entries(seats).map(([judge, value]) => ({ round: 'Final', competitor, item, judge, value })),
    ),
  );
  const missing = replaced.map((r) => ({ ...r, round: 'Final' }));
  return eventJson(scheme, 'e', scoreEvent(scheme, marks, [], [], missing)).standings.map((s) => ({
    ...s,
    workstation: s.competitor,
  }));
}
