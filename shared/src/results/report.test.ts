import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventInputArb, schemeInputArb } from '../../test/arbitraries';
import { type EventInputs, rankEvent, scoreEvent, withoutBreakdown } from '../engine/event';
import type { CompetitorScore, EventResult } from '../engine/types';
import { parseScheme, type Scheme } from '../scheme/schema';
import { eventJson, eventJsonInTurn, placingsJson } from './report';

/** A generated scheme and event, with competitors entered but never marked and seats replaced. */
const caseArb = schemeInputArb()
  .map(parseScheme)
  .filter((r) => r.ok)
  .map((r) => (r as Extract<typeof r, { ok: true }>).scheme)
  .chain((scheme: Scheme) =>
    eventInputArb(scheme, 6).chain((event) =>
      fc
        .record({
          entries: fc.subarray(
            scheme.rounds.flatMap((r) =>
              ['Ana', 'Bo', 'Zed'].map((competitor) => ({ round: r.id, competitor })),
            ),
          ),
          replaced: fc.subarray(event.marks, { maxLength: Math.min(3, event.marks.length) }),
        })
        .map(({ entries, replaced }) => {
          const inputs: EventInputs = {
            marks: event.marks.filter((m) => !replaced.includes(m)),
            difficulties: event.difficulties,
            entries,
            missingMarks: replaced.map(({ round, competitor, item, judge }) => ({
              round,
              competitor,
              item,
              judge,
            })),
          };
          return { scheme, inputs };
        }),
    ),
  );

const wholeTree = (scheme: Scheme, i: EventInputs) =>
  scoreEvent(scheme, i.marks, i.difficulties, i.entries, i.missingMarks);

/** Every score an event's result holds: each round's and the overall standings'. */
const keptScores = (result: EventResult): CompetitorScore[] => [
  ...result.rounds.flatMap((r) => r.standings.map((s) => s.score)),
  ...result.standings.map((s) => s.score),
];

describe('an event ranked without breakdowns (decision 029)', () => {
  it('writes the very JSON of the whole tree, ties, dropped marks and carried rounds included', () => {
    let tied = 0;
    let dropped = 0;
    let carried = 0;
    fc.assert(
      fc.property(caseArb, ({ scheme, inputs }) => {
        const result = wholeTree(scheme, inputs);
        const whole = eventJson(scheme, 'e', result);
        const inTurn = eventJsonInTurn(scheme, 'e', rankEvent(scheme, inputs, { keep: withoutBreakdown }));
        const written = { ...inTurn, standings: [...inTurn.standings] };
        expect(JSON.stringify(written, null, 2)).toBe(JSON.stringify(whole, null, 2));
        if (result.standings.some((s) => s.shared || s.decidedBy !== null)) tied++;
        if (JSON.stringify(whole).includes('"dropped":[{')) dropped++;
        if (result.standings.some((s) => s.score.carried.length > 0)) carried++;
      }),
      { numRuns: 150 },
    );
    // The generated cases did reach ties and trimmed panels, where the two paths could part.
    expect(tied).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
    expect(carried).toBeGreaterThan(0);
  }, 30_000);

  it('keeps of each competitor only what ranking needs, and scores the breakdown again on demand', () => {
    fc.assert(
      fc.property(caseArb, ({ scheme, inputs }) => {
        const whole = wholeTree(scheme, inputs);
        const { result, scoreAgain } = rankEvent(scheme, inputs, { keep: withoutBreakdown });
        for (const score of keptScores(result)) {
          expect(score.components).toEqual([]);
          expect(score.flags.every((f) => f.code === 'noMarks')).toBe(true);
        }
        for (const s of whole.standings) expect(scoreAgain(s.round, s.competitor)).toEqual(s.score);
        expect(placingsJson(scheme, result)).toEqual(placingsJson(scheme, whole));
      }),
      { numRuns: 100 },
    );
  }, 30_000);
});
