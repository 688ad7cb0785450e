import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EventInput,
  eventInputArb,
  garbageArb,
  mutatedSchemeArb,
  permutationArb,
  rationalArb,
  schemeInputArb,
  schemeItems,
  terminatingArb,
} from '../../test/arbitraries';
import { Decimal, type RoundingMode } from '../decimal';
import { type Aggregation, parseScheme, type Scheme, type SchemeParseResult } from '../scheme/schema';
import { getTemplate, templateNames } from '../scheme/templates/index';
import { aggregate, checkTolerance, type JudgeMark } from './aggregate';
import { checkMarkValue, scoreAspect } from './aspects';
import { scoreCompetitor } from './competitor';
import { isUnmarked, rankKeys, scoreEvent } from './event';
import { itemNames, resolveItem } from './items';
import { type Ranked, type RankKey, rank } from './ranking';
import type { CompetitorScore, EventResult } from './types';

const HEAVY = { numRuns: 200 };
const LIGHT = { numRuns: 1000 };
/** The generated-scheme properties take a second or two each; leave room on a slow CI machine. */
const SLOW = { timeout: 30_000 };

type Parsed = Extract<SchemeParseResult, { ok: true }>;

function parsed(input: unknown): Scheme {
  const result = parseScheme(input);
  if (!result.ok) throw new Error(`scheme does not parse: ${JSON.stringify(result.errors)}`);
  return result.scheme;
}

/** Valid schemes (property 5 separately asserts that every generated input parses). */
const schemeArb = (opts: Parameters<typeof schemeInputArb>[0] = {}) =>
  schemeInputArb(opts)
    .map(parseScheme)
    .filter((r): r is Parsed => r.ok)
    .map((r) => r.scheme);

const eventCaseArb = (opts: Parameters<typeof schemeInputArb>[0] = {}) =>
  schemeArb(opts).chain((scheme) => eventInputArb(scheme).map((event) => ({ scheme, event })));

/** A comparable image of a result: decimals as exact fractions, raw marks in a fixed order. */
function canonical(value: unknown): unknown {
  if (value instanceof Decimal) return `${value.num}/${value.den}`;
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        if (key !== 'marks') return [key, canonical(v)];
        const marks = [...(v as JudgeMark[])].sort(
          (a, b) => (a.judge < b.judge ? -1 : a.judge > b.judge ? 1 : 0) || a.value.cmp(b.value),
        );
        return [key, canonical(marks)];
      }),
    );
  }
  return value;
}

const rule = (method: Aggregation['method'], dropHighest = 0, dropLowest = 0): Aggregation => ({
  method,
  dropHighest,
  dropLowest,
});

/** A full aggregation rule for `panel` marks that leaves at least one mark. */
const ruleArb = (panel: number) =>
  fc
    .tuple(fc.constantFrom('mean', 'median', 'sum' as const), fc.nat(), fc.nat())
    .map(([method, high, low]) => {
      const dropHighest = high % panel;
      return rule(method, dropHighest, low % (panel - dropHighest));
    });

/** Marks on a coarse grid (many ties) or with two decimals, possibly negative. */
const markDecimalArb = fc.oneof(
  fc.integer({ min: 0, max: 10 }).map((n) => Decimal.of(BigInt(n))),
  fc.integer({ min: -200, max: 1000 }).map((n) => Decimal.ratio(BigInt(n), 100n)),
);

const panelArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    rule: ruleArb(n),
    marks: fc
      .array(markDecimalArb, { minLength: n, maxLength: n })
      .map((values) => values.map((value, j): JudgeMark => ({ judge: `J${j + 1}`, value }))),
  }),
);

function resultsOf(result: EventResult): CompetitorScore[] {
  return result.rounds.flatMap((r) => r.standings.map((s) => s.score));
}

// -----------------------------------------------------------------------------------------------------------
describe('1. judge order never changes a result', SLOW, () => {
  it('aggregate: the order of marks changes nothing', () => {
    fc.assert(
      fc.property(
        panelArb.chain((p) => permutationArb(p.marks).map((shuffled) => ({ ...p, shuffled }))),
        ({ rule, marks, shuffled }) => {
          expect(canonical(aggregate(shuffled, rule))).toEqual(canonical(aggregate(marks, rule)));
        },
      ),
      LIGHT,
    );
  });

  it('scoreEvent: shuffling marks (and so competitors) leaves every figure, rank and flag identical', () => {
    fc.assert(
      fc.property(
        eventCaseArb().chain(({ scheme, event }) =>
          fc.record({
            scheme: fc.constant(scheme),
            event: fc.constant(event),
            marks: permutationArb(event.marks),
            difficulties: permutationArb(event.difficulties),
          }),
        ),
        ({ scheme, event, marks, difficulties }) => {
          const original = scoreEvent(scheme, event.marks, event.difficulties);
          const shuffled = scoreEvent(scheme, marks, difficulties);
          expect(canonical(shuffled)).toEqual(canonical(original));
        },
      ),
      HEAVY,
    );
  });
});

// -----------------------------------------------------------------------------------------------------------
describe('2. raising one judge’s mark never lowers the score (no tolerance fallback)', SLOW, () => {
  it('aggregate: mean, median, sum with any drops are monotone in every mark', () => {
    const deltaArb = fc.integer({ min: 1, max: 500 }).map((n) => Decimal.ratio(BigInt(n), 100n));
    fc.assert(
      fc.property(panelArb, fc.nat(), deltaArb, ({ rule, marks }, pick, delta) => {
        const i = pick % marks.length;
        const raised = marks.map((m, j) => (j === i ? { ...m, value: m.value.plus(delta) } : m));
        const before = aggregate(marks, rule).value;
        const after = aggregate(raised, rule).value;
        expect(after.gte(before), `${before.toString()} → ${after.toString()}`).toBe(true);
      }),
      LIGHT,
    );
  });

  it('aggregate agrees with a plain sort-slice-reduce oracle', () => {
    fc.assert(
      fc.property(panelArb, ({ rule, marks }) => {
        const values = marks.map((m) => m.value).sort((a, b) => a.cmp(b));
        const kept = values.slice(rule.dropLowest, values.length - rule.dropHighest);
        const sum = Decimal.sum(kept);
        const n = kept.length;
        const middle = (values: Decimal[]) => {
          const a = values[Math.floor((n - 1) / 2)] as Decimal;
          const b = values[Math.ceil((n - 1) / 2)] as Decimal;
          return a.plus(b).div(Decimal.of(2n));
        };
        const expected =
          rule.method === 'sum'
            ? sum
            : rule.method === 'mean'
              ? sum.div(Decimal.of(BigInt(n)))
              : middle(kept);
        const result = aggregate(marks, rule);
        expect(result.value.eq(expected)).toBe(true);
        expect(result.used.length + result.dropped.length).toBe(marks.length);
        expect(result.used.map((m) => m.value.toString())).toEqual(kept.map((v) => v.toString()));
      }),
      LIGHT,
    );
  });

  it('scoreCompetitor: raising a valid judgement mark never lowers the total or its component', () => {
    const caseArb = eventCaseArb({ fallback: false }).chain(({ scheme, event }) =>
      fc.record({
        scheme: fc.constant(scheme),
        event: fc.constant(event),
        pick: fc.nat(),
        steps: fc.integer({ min: 1, max: 8 }),
      }),
    );
    fc.assert(
      fc.property(caseArb, ({ scheme, event, pick, steps }) => {
        const items = new Map(schemeItems(scheme).map((it) => [it.item, it]));
        const round = event.marks[0]?.round;
        const competitor = event.marks[0]?.competitor;
        const marks = event.marks.filter((m) => m.round === round && m.competitor === competitor);
        const raisable = marks.filter((m) => {
          const aspect = items.get(m.item)?.aspect;
          return aspect?.kind === 'judgement' && Decimal.of(m.value).lt(Decimal.of(aspect.range.max));
        });
        fc.pre(round !== undefined && competitor !== undefined && raisable.length > 0);
        const target = raisable[pick % raisable.length];
        const aspect = target && items.get(target.item)?.aspect;
        if (!target || aspect?.kind !== 'judgement' || round === undefined || competitor === undefined)
          return;
        const wanted = Decimal.of(target.value).plus(
          Decimal.of(aspect.step).times(Decimal.of(BigInt(steps))),
        );
        const value = Decimal.min([wanted, Decimal.of(aspect.range.max)]) ?? wanted;
        expect(checkMarkValue(aspect, value)).toBeNull();
        const raised = marks.map((m) => (m === target ? { ...m, value: value.toString() } : m));
        const difficulties = Object.fromEntries(
          event.difficulties
            .filter((d) => d.round === round && d.competitor === competitor)
            .map((d) => [d.attempt, d.difficulty]),
        );
        const before = scoreCompetitor(scheme, { competitor, round, marks, difficulties });
        const after = scoreCompetitor(scheme, { competitor, round, marks: raised, difficulties });
        expect(after.total.gte(before.total), `${before.total} → ${after.total}`).toBe(true);
        after.components.forEach((c, i) => {
          const was = before.components[i]?.weighted ?? Decimal.ZERO;
          expect(c.weighted.gte(was), `${c.component}: ${was} → ${c.weighted}`).toBe(true);
        });
      }),
      HEAVY,
    );
  });
});

// -----------------------------------------------------------------------------------------------------------
describe('3. FIG’s tolerance rule is not monotone (pinned)', () => {
  const fig = parsed({
    name: 'FIG aerobic execution (excerpt)',
    components: [
      {
        id: 'execution',
        name: '完成',
        aspects: [
          {
            kind: 'judgement',
            id: 'E',
            name: 'Execution',
            panel: 4,
            range: { min: '0', max: '10' },
            step: '0.1',
            aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
            tolerance: {
              bands: [
                { atLeast: '0', maxSpread: '0.6' },
                { atLeast: '6', maxSpread: '0.5' },
                { atLeast: '7', maxSpread: '0.4' },
                { atLeast: '8', maxSpread: '0.3' },
              ],
              fallback: { method: 'mean' },
            },
          },
        ],
      },
    ],
  });
  const aspect = fig.components[0]?.aspects[0];
  const marks = (values: string[]) => values.map((value, i) => ({ item: 'E', judge: `E${i + 1}`, value }));

  it('5.0, 8.0, 8.3, 8.4 → 8.15; raising 8.3 to 8.4 → 7.45', () => {
    const before = scoreCompetitor(fig, {
      competitor: 'A',
      round: 'Final',
      marks: marks(['5.0', '8.0', '8.3', '8.4']),
    });
    const after = scoreCompetitor(fig, {
      competitor: 'A',
      round: 'Final',
      marks: marks(['5.0', '8.0', '8.4', '8.4']),
    });
    expect(before.total.toFixed(2)).toBe('8.15');
    expect(before.flags).toEqual([]);
    expect(after.total.toFixed(2)).toBe('7.45');
    expect(after.flags).toEqual([
      { code: 'toleranceExceeded', spread: '0.4', maxSpread: '0.3', fallback: true },
    ]);
    expect(after.total.lt(before.total)).toBe(true);
  });

  it('the same at the aspect level: the band is chosen by the primary aggregate', () => {
    if (aspect?.kind !== 'judgement') throw new Error('expected a judgement aspect');
    const jm = (values: string[]) => values.map((v, i) => ({ judge: `E${i + 1}`, value: Decimal.of(v) }));
    const primary = aggregate(jm(['5.0', '8.0', '8.4', '8.4']), aspect.aggregation);
    expect(primary.value.toString()).toBe('8.2');
    expect(checkTolerance(aspect, primary)?.exceeded).toBe(true);
    expect(scoreAspect(aspect, jm(['5.0', '8.0', '8.3', '8.4'])).points?.toString()).toBe('8.15');
    expect(scoreAspect(aspect, jm(['5.0', '8.0', '8.4', '8.4'])).points?.toString()).toBe('7.45');
  });
});

// -----------------------------------------------------------------------------------------------------------
/**
 * Asserts that `ranked` is a valid competition ranking (1, 2, 2, 4) by `keys`. Keys before `primary` only
 * group entries (the round reached, in overall standings); `decidedBy` names only keys after `primary`.
 */
function expectCompetitionRanking<T>(
  ranked: readonly Ranked<T>[],
  keys: readonly RankKey<T>[],
  excluded: (entry: T) => boolean,
  primary = 0,
): void {
  const same = (x: Decimal | null, y: Decimal | null) => (x === null || y === null ? x === y : x.eq(y));
  const firstDifference = (a: T, b: T) => keys.findIndex((k) => !same(k.value(a), k.value(b)));
  const tied = (a: T, b: T) => firstDifference(a, b) === -1;
  const eligible = ranked.filter((r) => r.rank !== null);
  // Disqualified entries have no rank and come last.
  ranked.forEach((r, i) => {
    expect(r.rank === null, `position ${i}`).toBe(i >= eligible.length);
    expect(excluded(r.entry)).toBe(r.rank === null);
    if (r.rank === null) expect([r.shared, r.decidedBy]).toEqual([false, null]);
  });
  eligible.forEach((r, i) => {
    const previous = eligible[i - 1];
    const next = eligible[i + 1];
    const tiedBefore = previous !== undefined && tied(previous.entry, r.entry);
    const tiedAfter = next !== undefined && tied(next.entry, r.entry);
    if (!previous) expect(r.rank).toBe(1);
    else if (tiedBefore) expect(r.rank).toBe(previous.rank);
    else expect(r.rank).toBe(i + 1);
    expect(r.shared).toBe(tiedBefore || tiedAfter);
    if (previous && !tiedBefore) {
      // Strictly better on the first key that differs; an unknown (null) value ranks below any value.
      const key = keys[firstDifference(previous.entry, r.entry)] as RankKey<T>;
      const [better, worse] = [key.value(previous.entry), key.value(r.entry)];
      if (better === null || worse === null) expect(worse).toBeNull();
      else expect(better.cmp(worse)).toBe(key.prefer === 'higher' ? 1 : -1);
    }
    const depths = [previous, next].flatMap((n) => (n ? [firstDifference(n.entry, r.entry)] : []));
    const deepest = Math.max(-1, ...depths);
    const expected = !r.shared && deepest > primary ? (keys[deepest]?.name ?? null) : null;
    expect(r.decidedBy).toBe(expected);
  });
  // As many entries share a rank as are tied on every key.
  for (const r of eligible) {
    const sameRank = eligible.filter((o) => o.rank === r.rank).length;
    expect(sameRank).toBe(eligible.filter((o) => tied(o.entry, r.entry)).length);
  }
}

interface Entry {
  name: string;
  /** One value per key; null is a quantity not known yet (read as 0 for the total). */
  values: (number | null)[];
  out: boolean;
}

const rankCaseArb = fc.integer({ min: 1, max: 4 }).chain((k) =>
  fc.record({
    prefers: fc.array(fc.constantFrom<'higher' | 'lower'>('higher', 'lower'), { minLength: k, maxLength: k }),
    entries: fc.uniqueArray(
      fc.record({
        name: fc.string({ minLength: 1, maxLength: 3 }),
        values: fc.array(
          fc.oneof(
            { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }) },
            { weight: 1, arbitrary: fc.constant(null) },
          ),
          { minLength: k, maxLength: k },
        ),
        out: fc.boolean(),
      }),
      { selector: (e) => e.name, maxLength: 14 },
    ),
  }),
);

const keysFor = (prefers: readonly ('higher' | 'lower')[]): RankKey<Entry>[] =>
  prefers.map((prefer, i) => ({
    name: i === 0 ? 'total' : `tb${i}`,
    value: (e) => {
      const v = e.values[i] ?? null;
      return v === null ? (i === 0 ? Decimal.ZERO : null) : Decimal.ratio(BigInt(v), 2n);
    },
    // The total is always "higher is better"; tie-breaks either way.
    prefer: i === 0 ? 'higher' : prefer,
  }));

describe('4. ranks always form a valid competition ranking', SLOW, () => {
  const options = { excluded: (e: Entry) => e.out && e.name.length < 3, name: (e: Entry) => e.name };

  it('rank(): 1,2,2,4 with tie-break keys, shared places, disqualified last', () => {
    fc.assert(
      fc.property(rankCaseArb, ({ prefers, entries }) => {
        const keys = keysFor(prefers);
        const ranked = rank(entries, keys, options);
        expect(ranked.map((r) => r.entry.name).sort()).toEqual(entries.map((e) => e.name).sort());
        expectCompetitionRanking(ranked, keys, options.excluded);
        ranked.forEach((r, i) => {
          const next = ranked[i + 1];
          if (next?.rank != null)
            expect(r.entry.values[0] ?? 0).toBeGreaterThanOrEqual(next.entry.values[0] ?? 0);
        });
      }),
      LIGHT,
    );
  });

  it('rank(): the order of the entries does not matter', () => {
    fc.assert(
      fc.property(
        rankCaseArb.chain((c) => permutationArb(c.entries).map((shuffled) => ({ ...c, shuffled }))),
        ({ prefers, entries, shuffled }) => {
          const keys = keysFor(prefers);
          expect(rank(shuffled, keys, options)).toEqual(rank(entries, keys, options));
        },
      ),
      LIGHT,
    );
  });

  it('scoreEvent: every round’s standings and the overall standings', () => {
    fc.assert(
      fc.property(eventCaseArb(), ({ scheme, event }) => {
        const result = scoreEvent(scheme, event.marks, event.difficulties);
        const keys = rankKeys(scheme);
        const disqualified = (s: CompetitorScore) => s.disqualifiedBy !== null;
        for (const round of result.rounds) {
          const ranked = round.standings.map(({ score, ...placing }) => ({ ...placing, entry: score }));
          expectCompetitionRanking(ranked, keys, disqualified);
          ranked.forEach((r, i) => {
            const next = ranked[i + 1];
            // A competitor without a mark has no total to compare: ranked last whatever it would be.
            if (next?.rank != null && !isUnmarked(next.entry))
              expect(r.entry.total.gte(next.entry.total)).toBe(true);
            if (next?.rank != null && isUnmarked(r.entry)) expect(isUnmarked(next.entry)).toBe(true);
          });
        }
        // Overall: the round reached comes first, then the round's own ranking.
        const roundIndex = (id: string) => scheme.rounds.findIndex((r) => r.id === id);
        const reached = new Map(result.standings.map((s) => [s.score, roundIndex(s.round)]));
        const overallKeys: RankKey<CompetitorScore>[] = [
          { name: 'round', value: (s) => Decimal.of(BigInt(reached.get(s) ?? -1)), prefer: 'higher' },
          ...keys,
        ];
        const overall = result.standings.map(({ score, competitor, round, ...placing }) => ({
          ...placing,
          entry: score,
        }));
        expectCompetitionRanking(overall, overallKeys, disqualified, 1);
        const entered = [...event.marks, ...event.difficulties].map((m) => m.competitor);
        const competitors = [...new Set(entered)].sort();
        expect(result.standings.map((s) => s.competitor).sort()).toEqual(competitors);
        for (const s of result.standings) {
          expect(reached.get(s.score)).toBe(
            Math.max(
              ...result.rounds.flatMap((r, i) =>
                r.standings.some((x) => x.score.competitor === s.competitor) ? [i] : [],
              ),
            ),
          );
        }
      }),
      HEAVY,
    );
  });
});

// -----------------------------------------------------------------------------------------------------------
describe('5. a scheme that parses always scores', SLOW, () => {
  function expectScores(scheme: Scheme, event: EventInput): void {
    const byItem = new Map<string, ReturnType<typeof schemeItems>>();
    for (const it of schemeItems(scheme)) byItem.set(it.item, [...(byItem.get(it.item) ?? []), it]);
    for (const m of event.marks) {
      const valid = (byItem.get(m.item) ?? []).some(
        (it) => checkMarkValue(it.aspect, Decimal.of(m.value)) === null,
      );
      expect(valid, `${m.item} = ${m.value}`).toBe(true);
    }
    const result = scoreEvent(scheme, event.marks, event.difficulties);
    const { precision } = scheme;
    const printed = precision === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${precision}}$`);
    const scores = [...resultsOf(result), ...result.standings.map((s) => s.score)];
    for (const s of result.standings) {
      // The standard scale is reported for ranked competitors with a total when the scheme has one; one
      // without marks ranks last but has no total to put on the scale.
      if (scheme.standardScale && s.rank !== null && !isUnmarked(s.score)) {
        expect(s.standardScore).toBeInstanceOf(Decimal);
        expect(s.standardScore?.toFixed(precision)).toMatch(printed);
      } else expect(s.standardScore).toBeNull();
    }
    for (const s of scores) {
      for (const figure of [s.total, s.own, ...s.carried.map((c) => c.total)]) {
        expect(figure).toBeInstanceOf(Decimal);
        expect(figure.toFixed(precision, scheme.rounding.mode)).toMatch(printed);
        // Totals are official figures: already exact at the scheme's precision.
        expect(figure.eq(figure.round(precision, scheme.rounding.mode))).toBe(true);
      }
      // The ranked total is the round's own score plus the rounds it carries over.
      const round = scheme.rounds.find((r) => r.id === s.round);
      expect(s.carried.map((c) => c.round)).toEqual(round?.carryOver);
      expect(s.total.eq(Decimal.sum([s.own, ...s.carried.map((c) => c.total)]))).toBe(true);
      // Attempts: "sum" counts every attempt performed, "best" exactly the one with the most points; an
      // attempt not performed has neither a mark nor a declared difficulty.
      for (const c of s.components) {
        const component = scheme.components.find((x) => x.id === c.component);
        const attempts = component?.attempts;
        if (!attempts) continue;
        const scored = c.attempts.filter((a) => a.points !== null);
        const counted = c.attempts.filter((a) => a.counted);
        const notPerformed = c.attempts.filter((a) => a.flags.some((f) => f.code === 'notPerformed'));
        for (const a of notPerformed) {
          expect(a.counted).toBe(false);
          expect(a.aspects.every((r) => r.marks.length === 0) && a.difficulty === null).toBe(true);
        }
        if (attempts.combine === 'sum') expect(counted.length).toBe(c.attempts.length - notPerformed.length);
        else {
          expect(counted.length).toBe(scored.length > 0 ? 1 : 0);
          const best = Decimal.max(scored.map((a) => a.points ?? Decimal.ZERO));
          if (best) expect(counted[0]?.points?.eq(best)).toBe(true);
        }
      }
    }
  }

  it('every generated scheme input parses, and random valid marks score without throwing', () => {
    fc.assert(
      fc.property(
        schemeInputArb().chain((input) => {
          const result = parseScheme(input);
          return fc.record({
            input: fc.constant(input),
            result: fc.constant(result),
            event: result.ok ? eventInputArb(result.scheme) : fc.constant(null),
          });
        }),
        ({ result, event }) => {
          expect(result.ok ? [] : result.errors).toEqual([]);
          if (result.ok && event) expectScores(result.scheme, event);
        },
      ),
      HEAVY,
    );
  });

  it('parseScheme never throws on garbage: ok:false with paths and messages', () => {
    fc.assert(
      fc.property(fc.oneof(garbageArb, mutatedSchemeArb(schemeInputArb())), (input) => {
        const result = parseScheme(input);
        if (result.ok) return;
        expect(result.errors.length).toBeGreaterThan(0);
        for (const e of result.errors) {
          expect(typeof e.path === 'string' && e.path.length > 0).toBe(true);
          expect(typeof e.message === 'string' && e.message.length > 0).toBe(true);
        }
      }),
      HEAVY,
    );
  });

  it('a mutated scheme that still parses still scores', () => {
    fc.assert(
      fc.property(
        mutatedSchemeArb(schemeInputArb()).chain((input) => {
          const result = parseScheme(input);
          return result.ok
            ? eventInputArb(result.scheme).map((event) => ({ result, event }))
            : fc.constant(null);
        }),
        (c) => {
          if (c?.result.ok) expectScores(c.result.scheme, c.event);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('item names resolve back to the component, aspect and attempt they name', () => {
    fc.assert(
      fc.property(schemeArb(), (scheme) => {
        const items = schemeItems(scheme);
        expect(itemNames(scheme)).toEqual(items.map((it) => it.item));
        for (const it of items) {
          const ref = resolveItem(scheme, it.item);
          expect([ref?.component.id, ref?.aspect.id, ref?.attempt], it.item).toEqual([
            it.component.id,
            it.aspect.id,
            it.attempt,
          ]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(templateNames)('template %s parses and scores random valid marks', (name) => {
    const scheme = getTemplate(name);
    if (!scheme) throw new Error(`no template ${name}`);
    fc.assert(
      fc.property(eventInputArb(scheme, 4), (event) => expectScores(scheme, event)),
      { numRuns: 20 },
    );
  });
});

// -----------------------------------------------------------------------------------------------------------
describe('6. exactness: a dive score has no float drift', SLOW, () => {
  const template = getTemplate('diving');
  if (!template) throw new Error('diving template missing');
  // The same scheme with awards in hundredths, to exercise one- and two-decimal marks.
  const diving = structuredClone(template);
  for (const a of diving.components.flatMap((c) => c.aspects)) if (a.kind === 'judgement') a.step = '0.01';

  const hundredthsArb = fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((n) => n * 10),
    fc.integer({ min: 0, max: 1000 }),
  );
  const diveArb = fc.record({
    marks: fc.array(hundredthsArb, { minLength: 7, maxLength: 7 }),
    dd: fc.integer({ min: 12, max: 48 }),
  });
  const text = (units: bigint, places: number) => Decimal.ratio(units, 10n ** BigInt(places)).toFixed(places);
  /** Hundredths, rounded half up from thousandths, printed with integer arithmetic only. */
  const printHundredths = (thousandths: bigint) => {
    const h = (thousandths + 5n) / 10n;
    return `${h / 100n}.${(h % 100n).toString().padStart(2, '0')}`;
  };

  it('sum of the middle three × DD, printed with toFixed(2), equals integer arithmetic in hundredths', () => {
    fc.assert(
      fc.property(fc.array(diveArb, { minLength: 6, maxLength: 6 }), (dives) => {
        const marks = dives.flatMap((d, i) =>
          d.marks.map((h, j) => ({ item: `dive-${i + 1}`, judge: `J${j + 1}`, value: text(BigInt(h), 2) })),
        );
        const difficulties = Object.fromEntries(dives.map((d, i) => [i + 1, text(BigInt(d.dd), 1)]));
        const score = scoreCompetitor(diving, { competitor: 'A', round: 'Final', marks, difficulties });
        const attempts = score.components[0]?.attempts ?? [];
        let total = 0n;
        dives.forEach((d, i) => {
          const middle = [...d.marks].sort((a, b) => a - b).slice(2, 5);
          const thousandths = BigInt(middle.reduce((s, m) => s + m, 0)) * BigInt(d.dd);
          total += thousandths;
          const points = attempts[i]?.points;
          expect(points?.eq(Decimal.ratio(thousandths, 1000n))).toBe(true);
          expect(points?.toFixed(2)).toBe(printHundredths(thousandths));
        });
        expect(score.total.toFixed(2)).toBe(printHundredths(total));
      }),
      LIGHT,
    );
  });
});

// -----------------------------------------------------------------------------------------------------------
describe('7. Decimal', () => {
  const modes: RoundingMode[] = ['halfUp', 'halfEven', 'down'];

  /** `value` × 10^places rounded to an integer, by comparing distances (no shared code with Decimal). */
  function oracleUnits(value: Decimal, places: number, mode: RoundingMode): bigint {
    const n = value.num * 10n ** BigInt(places);
    const d = value.den;
    const negative = n < 0n;
    const a = negative ? -n : n;
    const low = a / d; // |x| lies in [low, low + 1)
    const toLow = a - low * d; // distances × d
    const toHigh = (low + 1n) * d - a;
    let units: bigint;
    if (mode === 'down' || toLow === 0n) units = low;
    else if (toLow < toHigh) units = low;
    else if (toLow > toHigh) units = low + 1n;
    else units = mode === 'halfUp' ? low + 1n : low % 2n === 0n ? low : low + 1n;
    return negative ? -units : units;
  }

  function oracleText(units: bigint, places: number): string {
    const negative = units < 0n;
    const a = negative ? -units : units;
    const scale = 10n ** BigInt(places);
    const whole = (a / scale).toString();
    const fraction = (a % scale).toString().padStart(places, '0');
    return (negative ? '-' : '') + (places === 0 ? whole : `${whole}.${fraction}`);
  }

  it('round and toFixed agree with an integer oracle for halfUp, halfEven and down', () => {
    fc.assert(
      fc.property(
        rationalArb,
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(...modes),
        (x, places, mode) => {
          const units = oracleUnits(x, places, mode);
          expect(x.round(places, mode).eq(Decimal.ratio(units, 10n ** BigInt(places)))).toBe(true);
          expect(x.toFixed(places, mode)).toBe(oracleText(units, places));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('halves: 0.5 steps round as the mode says', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 4 }), (k, places) => {
        // x = (k + ½) units of 10^-places: exactly half-way.
        const x = Decimal.ratio(BigInt(2 * k + 1), 2n * 10n ** BigInt(places));
        const away = k >= 0 ? k + 1 : k; // away from zero
        const even = k % 2 === 0 ? k : k + 1;
        const toward = k >= 0 ? k : k + 1;
        expect(x.round(places, 'halfUp').eq(Decimal.ratio(BigInt(away), 10n ** BigInt(places)))).toBe(true);
        expect(x.round(places, 'halfEven').eq(Decimal.ratio(BigInt(even), 10n ** BigInt(places)))).toBe(true);
        expect(x.round(places, 'down').eq(Decimal.ratio(BigInt(toward), 10n ** BigInt(places)))).toBe(true);
      }),
      LIGHT,
    );
  });

  it('a.plus(b).minus(b) equals a, in lowest terms; times/div invert', () => {
    fc.assert(
      fc.property(rationalArb, rationalArb, (a, b) => {
        const back = a.plus(b).minus(b);
        expect([back.num, back.den]).toEqual([a.num, a.den]);
        expect(a.plus(b).eq(b.plus(a))).toBe(true);
        expect(a.cmp(b)).toBe(-b.cmp(a) || 0);
        if (!b.isZero()) expect(a.times(b).div(b).eq(a)).toBe(true);
      }),
      LIGHT,
    );
  });

  it('of(x.toString()) round-trips', () => {
    fc.assert(
      fc.property(terminatingArb, (x) => {
        expect(Decimal.of(x.toString()).eq(x)).toBe(true);
      }),
      LIGHT,
    );
    fc.assert(
      fc.property(rationalArb, (x) => {
        // Non-terminating values print rounded to 12 places.
        expect(Decimal.of(x.toString()).eq(x.round(12))).toBe(true);
      }),
      LIGHT,
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const x = Decimal.of(n);
        expect(Number(x.toString(400))).toBe(n === 0 ? 0 : n);
        expect(Decimal.of(x.toString(400)).eq(x)).toBe(true);
      }),
      LIGHT,
    );
  });
});

// -----------------------------------------------------------------------------------------------------------
describe(
  '8. rounding stages: the old single stage is one of them, and schemes without stages are unchanged',
  SLOW,
  () => {
    /** The scheme with its `rounding.at` stage written as a named stage at the scheme's precision. */
    function asStages(scheme: Scheme): Scheme {
      const { at, mode } = scheme.rounding;
      if (at === 'total') return parsed({ ...scheme, rounding: { mode, stages: {} } });
      return parsed({ ...scheme, rounding: { mode, stages: { [at]: { places: scheme.precision, mode } } } });
    }
    const sameScores = (a: Scheme, b: Scheme, event: EventInput): void => {
      expect(canonical(scoreEvent(b, event.marks, event.difficulties))).toEqual(
        canonical(scoreEvent(a, event.marks, event.difficulties)),
      );
    };

    it.each(templateNames)('template %s scores the same with its rounding written as stages', (name) => {
      const scheme = getTemplate(name);
      if (!scheme) throw new Error(`no template ${name}`);
      const staged = asStages(scheme);
      fc.assert(
        fc.property(eventInputArb(scheme, 4), (event) => sameScores(scheme, staged, event)),
        { numRuns: 20 },
      );
    });

    it('a generated scheme without stages scores the same as its single stage written as a stage', () => {
      fc.assert(
        fc.property(
          eventCaseArb().filter(({ scheme }) => scheme.rounding.stages === undefined),
          ({ scheme, event }) => sameScores(scheme, asStages(scheme), event),
        ),
        { numRuns: 100 },
      );
    });

    it('a stage at more places than any value carries changes nothing', () => {
      /**
       * The scheme with every panel a plain sum of its marks (at most two places): no panel mark to round. Not
       * normalised: a sum over a range such as −0.01…0 leaves no positive full mark to normalise to.
       */
      const summed = ({
        rounding: { stages: { panelMark: _p, ...stages } = {}, ...rounding },
        ...scheme
      }: Scheme) =>
        parsed({
          ...scheme,
          rounding: { ...rounding, stages },
          components: scheme.components.map(({ judgeTotals: _, normaliseTo: _n, ...c }) => ({
            ...c,
            aspects: c.aspects.map((a) => {
              if (a.kind !== 'judgement') return a;
              const { rescale: _r, tolerance: _t, ...rest } = a;
              return { ...rest, aggregation: { ...a.aggregation, method: 'sum' } };
            }),
          })),
        });
      fc.assert(
        fc.property(eventCaseArb(), ({ scheme, event }) => {
          const plain = summed(scheme);
          const stages = { ...plain.rounding.stages, panelMark: { places: 6 } };
          sameScores(plain, parsed({ ...plain, rounding: { ...plain.rounding, stages } }), event);
        }),
        { numRuns: 50 },
      );
    });
  },
);

// -----------------------------------------------------------------------------------------------------------
describe('9. a missing mark replaced by the average of the others', () => {
  const scheme = (aggregation: Aggregation, panel: number) =>
    parsed({
      name: 'x',
      missingMark: 'averageOfOthers',
      components: [
        {
          id: 'c',
          name: 'c',
          aspects: [
            {
              kind: 'judgement',
              id: 'a',
              name: 'a',
              panel,
              range: { min: '-2', max: '10' },
              step: '0.01',
              aggregation,
            },
          ],
        },
      ],
    });

  it('leaves an untrimmed mean unchanged, completes the panel, and gives the replaced seat the exact mean', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }).chain((panel) =>
          fc.record({
            panel: fc.constant(panel),
            values: fc.array(markDecimalArb, { minLength: panel - 1, maxLength: panel - 1 }),
            missing: fc.integer({ min: 1, max: panel }),
          }),
        ),
        ({ panel, values, missing }) => {
          const seats = Array.from({ length: panel }, (_, i) => `J${i + 1}`).filter(
            (_, i) => i + 1 !== missing,
          );
          const marks = values.map((v, i) => ({ item: 'a', judge: seats[i] ?? '', value: v.toString() }));
          const s = scheme(rule('mean'), panel);
          const without = scoreCompetitor(s, { competitor: 'A', round: 'Final', marks });
          const judge = `J${missing}`;
          const withRule = scoreCompetitor(s, {
            competitor: 'A',
            round: 'Final',
            marks,
            missingMarks: [{ item: 'a', judge }],
          });
          const line = withRule.components[0]?.aspects[0];
          const mean = Decimal.sum(values).div(Decimal.of(BigInt(values.length)));
          expect(line?.marks.find((m) => m.judge === judge)?.value.eq(mean)).toBe(true);
          expect(line?.value?.eq(without.components[0]?.aspects[0]?.value ?? Decimal.ZERO)).toBe(true);
          expect(withRule.complete).toBe(true);
          expect(without.complete).toBe(false);
        },
      ),
      LIGHT,
    );
  });
});
