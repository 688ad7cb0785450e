import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventJson } from '../results/report';
import { getTemplate } from '../scheme/templates/index';
import { type ScoreMemo, scoreEvent } from './event';
import type { EventMarkInput } from './types';

const scheme = getTemplate('drone');
if (!scheme) throw new Error('the drone template is missing');
const round = scheme.rounds[0]?.id ?? '';
const entries = Array.from({ length: 6 }, (_, c) => ({ round, competitor: `A0${c}` }));
const step = fc.record({
  competitor: fc.integer({ min: 0, max: 5 }),
  judge: fc.integer({ min: 1, max: 5 }),
  value: fc.integer({ min: 0, max: 100 }),
});

describe('scoreEvent with a ScoreMemo', () => {
  it('scores exactly as without it after every change, the unmarked flagged once', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const memo: ScoreMemo = new Map();
        let marks: EventMarkInput[] = [];
        for (const { competitor, judge, value } of steps) {
          const mark = {
            round,
            competitor: `A0${competitor}`,
            item: 'assemblyQuality',
            judge: `J${judge}`,
            value: String(value / 2),
          };
          // A judge's newer mark replaces their older one, as the marks in force do.
          marks = [...marks.filter((m) => m.competitor !== mark.competitor || m.judge !== mark.judge), mark];
          const kept = scoreEvent(scheme, marks, [], entries, [], memo);
          expect(eventJson(scheme, 'e', kept)).toEqual(
            eventJson(scheme, 'e', scoreEvent(scheme, marks, [], entries)),
          );
          for (const s of kept.rounds[0]?.standings ?? [])
            expect(s.score.flags.filter((f) => f.code === 'noMarks').length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('scores again only the competitor whose marks changed', () => {
    const memo: ScoreMemo = new Map();
    const mark = (competitor: string, judge: string, value: string): EventMarkInput => ({
      round,
      competitor,
      item: 'assemblyQuality',
      judge,
      value,
    });
    scoreEvent(scheme, [mark('A01', 'J1', '30'), mark('A02', 'J1', '40')], [], entries, [], memo);
    const [a01, a02, a03] = ['A01', 'A02', 'A03'].map((c) => memo.get(`${round}\n${c}`)?.score);
    scoreEvent(scheme, [mark('A01', 'J1', '30'), mark('A02', 'J1', '41')], [], entries, [], memo);
    expect(memo.get(`${round}\nA01`)?.score).toBe(a01);
    expect(memo.get(`${round}\nA03`)?.score).toBe(a03);
    expect(memo.get(`${round}\nA02`)?.score).not.toBe(a02);
  });
});
