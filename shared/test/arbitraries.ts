/**
 * fast-check generators for the scoring engine's property tests. Test support only: it lives outside src/, so
 * the package's exports and the client's bundle never reach it.
 *
 * The scheme generator produces scheme *inputs* (what an organizer writes) that should pass `parseScheme`,
 * covering every feature of the format; the marks generator produces marks that pass `checkMarkValue`,
 * with missing marks, extra judges and absent competitors.
 */
import fc from 'fast-check';
import { Decimal } from '../src/decimal';
import { markDomain } from '../src/engine/aspects';
import type { ItemRef } from '../src/engine/items';
import type { DifficultyInput, EventMarkInput } from '../src/engine/types';
import { type Aspect, component, componentMax, type Scheme, type SchemeInput } from '../src/scheme/schema';

type Json = Record<string, unknown>;
type ComponentInput = SchemeInput['components'][number];
type AspectInput = ComponentInput['aspects'][number];

/** Drops keys whose value is undefined, so that optional fields are really omitted. */
function compact<T extends Json>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `arb` with probability `presence`, else undefined (an omitted optional field). */
const optional = <T>(arb: fc.Arbitrary<T>, presence = 0.5): fc.Arbitrary<T | undefined> => {
  const weight = Math.round(presence * 100);
  return fc.oneof({ weight: 100 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary: arb });
};

// ---------------------------------------------------------------------------------------------------------
// Decimals

/** A decimal with `places` places in [min, max], as text ("8.5", "-0.25", "3"). */
export function decimalTextArb(min: number, max: number, places: number): fc.Arbitrary<string> {
  const scale = 10 ** places;
  return fc
    .integer({ min: Math.round(min * scale), max: Math.round(max * scale) })
    .map((units) => Decimal.ratio(BigInt(units), 10n ** BigInt(places)).toString());
}

/** A decimal with 0–2 places in [min, max]. */
export function someDecimalArb(min: number, max: number): fc.Arbitrary<string> {
  return fc.oneof(decimalTextArb(min, max, 0), decimalTextArb(min, max, 1), decimalTextArb(min, max, 2));
}

/** Schemes may write decimals as strings or as JSON numbers; use a number when it prints back the same. */
function textOrNumber(arb: fc.Arbitrary<string>): fc.Arbitrary<string | number> {
  return arb.chain((text) =>
    String(Number(text)) === text ? fc.constantFrom<string | number>(text, Number(text)) : fc.constant(text),
  );
}

const positive = (min: number, max: number) =>
  textOrNumber(someDecimalArb(min, max).filter((t) => Decimal.of(t).gt(Decimal.ZERO)));

/** Any exact rational: a bigint numerator over a power of ten or an arbitrary positive denominator. */
export const rationalArb: fc.Arbitrary<Decimal> = fc
  .tuple(
    fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
    fc.oneof(
      fc.integer({ min: 0, max: 10 }).map((p) => 10n ** BigInt(p)),
      fc.bigInt({ min: 1n, max: 10n ** 7n }),
    ),
  )
  .map(([num, den]) => Decimal.ratio(num, den));

/** A terminating decimal with at most 12 places (exactly printable by `toString()`). */
export const terminatingArb: fc.Arbitrary<Decimal> = fc
  .tuple(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), fc.integer({ min: 0, max: 12 }))
  .map(([num, places]) => Decimal.ratio(num, 10n ** BigInt(places)));

// ---------------------------------------------------------------------------------------------------------
// Scheme inputs

export interface SchemeArbOptions {
  /** Generate tolerance fallbacks (which can make a raised mark lower the score, see FIG). Default true. */
  fallback?: boolean;
}

const ID_POOL = {
  component: ['skill', 'theory', 'dives', 'safety', 'Practical', 'c1', 'run-1'],
  aspect: ['execution', 'accuracy', 'time', 'faults', 'veto', 'art', 'A1', 'x_y', 'dive-1', 'run-2'],
  label: ['dive', 'run', 'attempt', 'lap'],
  round: ['Prelim', 'Semi', 'Final', 'R1', 'R2', 'Heat-A'],
};

/** Ids are made unique later (scheme-wide), so only a candidate is drawn here. */
const PLACEHOLDER_ID = '__id__';

const nameArb = fc.constantFrom('技能操作', '理论', 'Execution', '安全文明生产', 'A', '完成分 (E)');
const nameEnArb = optional(fc.constantFrom('Skill', 'Theory', 'Artistry'));

const aggregationArb = (panel: number) =>
  fc
    .record({
      method: fc.constantFrom('mean', 'median', 'sum'),
      high: fc.nat(),
      low: fc.nat(),
      spellDefaults: fc.boolean(),
    })
    .map(({ method, high, low, spellDefaults }) => {
      const dropHighest = high % panel;
      const dropLowest = low % (panel - dropHighest);
      return compact({
        method,
        dropHighest: dropHighest === 0 && !spellDefaults ? undefined : dropHighest,
        dropLowest: dropLowest === 0 && !spellDefaults ? undefined : dropLowest,
      });
    });

/** A range of whole steps: min = minSteps × step, max = min + spanSteps × step. */
const steppedRangeArb = fc
  .record({
    step: fc.constantFrom('0.01', '0.05', '0.1', '0.25', '0.5', '1', '2'),
    minSteps: fc.oneof(
      { weight: 6, arbitrary: fc.constant(0) },
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 20 }) },
      { weight: 1, arbitrary: fc.integer({ min: -20, max: -1 }) },
    ),
    spanSteps: fc.integer({ min: 1, max: 60 }),
  })
  .map(({ step, minSteps, spanSteps }) => {
    const s = Decimal.of(step);
    const min = s.times(Decimal.of(BigInt(minSteps)));
    const max = min.plus(s.times(Decimal.of(BigInt(spanSteps))));
    return { step, range: { min: min.toString(), max: max.toString() } };
  });

/** An arbitrary range (min < max) with no step. */
const freeRangeArb = fc
  .tuple(someDecimalArb(-5, 50), someDecimalArb(0.01, 60))
  .map(([min, span]) => ({ min, max: Decimal.of(min).plus(Decimal.of(span)).toString() }))
  .filter((r) => Decimal.of(r.min).lt(Decimal.of(r.max)));

/** The domain of a measurement or deduction: nothing, a step, a range, or both. */
const domainArb = fc.oneof(
  fc.constant({}),
  fc.record({ step: positive(0.01, 2) }),
  fc.record({ range: freeRangeArb }),
  steppedRangeArb,
);

const toleranceArb = (panel: number, fallback: boolean) =>
  fc
    .record({
      bands: fc.array(
        fc.record({ atLeast: textOrNumber(someDecimalArb(-5, 20)), maxSpread: someDecimalArb(0, 3) }),
        { minLength: 1, maxLength: 4 },
      ),
      fallback: fallback ? optional(aggregationArb(panel), 0.6) : fc.constant(undefined),
    })
    .map(compact);

const judgementArb = (opts: SchemeArbOptions) =>
  fc.integer({ min: 1, max: 7 }).chain((panel) =>
    fc
      .record({
        kind: fc.constant('judgement' as const),
        id: fc.constant(PLACEHOLDER_ID),
        name: nameArb,
        nameEn: nameEnArb,
        panel: fc.constant(panel),
        domain: steppedRangeArb,
        aggregation: aggregationArb(panel),
        tolerance: optional(toleranceArb(panel, opts.fallback ?? true), 0.4),
        rescale: optional(fc.record({ from: positive(0.5, 10), to: positive(0.5, 100) }), 0.3),
        stepAsNumber: fc.boolean(),
      })
      .map(({ domain, stepAsNumber, ...rest }) =>
        compact({
          ...rest,
          range: domain.range,
          step: stepAsNumber ? Number(domain.step) : domain.step,
        }),
      ),
  );

const bandArb = fc
  .record({
    lower: fc.oneof(
      fc.constant({}),
      fc.record({ from: someDecimalArb(-5, 60) }),
      fc.record({ above: someDecimalArb(-5, 60) }),
    ),
    upper: fc.oneof(
      fc.constant({}),
      fc.record({ to: someDecimalArb(0, 80) }),
      fc.record({ below: someDecimalArb(0, 80) }),
    ),
    points: textOrNumber(someDecimalArb(0, 20)),
  })
  .map(({ lower, upper, points }) => ({ ...lower, ...upper, points }));

const mappingArb = fc.oneof(
  fc.constant({ type: 'direct' as const }),
  fc.constant({ type: 'binary' as const }),
  fc
    .record({
      type: fc.constant('linear' as const),
      full: someDecimalArb(0, 60),
      zero: someDecimalArb(0, 60),
    })
    .filter((m) => !Decimal.of(m.full).eq(Decimal.of(m.zero))),
  fc.record({
    type: fc.constant('table' as const),
    bands: fc.array(bandArb, { minLength: 1, maxLength: 4 }),
  }),
);

const measurementArb = fc
  .record({
    kind: fc.constant('measurement' as const),
    id: fc.constant(PLACEHOLDER_ID),
    name: nameArb,
    nameEn: nameEnArb,
    unit: optional(fc.constantFrom('s', 'mm', '分')),
    max: positive(0.5, 100),
    domain: optional(domainArb),
    panel: optional(fc.integer({ min: 1, max: 3 })),
    mapping: mappingArb,
  })
  .map(({ domain, ...rest }) => compact({ ...rest, ...domain }));

const deductionArb = fc
  .record({
    kind: fc.constant('deduction' as const),
    id: fc.constant(PLACEHOLDER_ID),
    name: nameArb,
    unit: optional(fc.constantFrom('处', 'mm')),
    rule: fc.oneof(
      fc.record({ per: positive(0.1, 5), cap: optional(positive(0.5, 20)) }).map(compact),
      fc.record({ bands: fc.array(bandArb, { minLength: 1, maxLength: 4 }) }),
    ),
    domain: optional(domainArb),
  })
  .map(({ rule, domain, ...rest }) => compact({ ...rest, ...rule, ...domain }));

const vetoArb = fc.record({
  kind: fc.constant('veto' as const),
  id: fc.constant(PLACEHOLDER_ID),
  name: nameArb,
  effect: fc.constantFrom('zero', 'disqualify'),
});

const aspectArb = (opts: SchemeArbOptions) =>
  fc.oneof(
    { weight: 4, arbitrary: judgementArb(opts) },
    { weight: 2, arbitrary: measurementArb },
    { weight: 2, arbitrary: deductionArb },
    { weight: 1, arbitrary: vetoArb },
  );

const attemptsArb = fc
  .record({
    label: fc.constantFrom(...ID_POOL.label),
    count: fc.integer({ min: 1, max: 3 }),
    difficulty: optional(fc.boolean(), 0.7),
    combine: optional(fc.constantFrom('sum', 'best'), 0.7),
  })
  .map(compact);

const componentArb = (opts: SchemeArbOptions) =>
  fc
    .record({
      id: fc.constant(PLACEHOLDER_ID),
      name: nameArb,
      nameEn: nameEnArb,
      max: optional(positive(1, 200), 0.3),
      normaliseTo: optional(positive(1, 100), 0.35),
      floor: optional(textOrNumber(someDecimalArb(-10, 10)), 0.2),
      attempts: optional(attemptsArb, 0.35),
      aspects: fc.array(aspectArb(opts), { minLength: 1, maxLength: 3 }),
      judgeTotals: optional(
        fc.record({ method: fc.constantFrom('mean', 'median', 'sum'), high: fc.nat(), low: fc.nat() }),
        0.25,
      ),
      fallbackMax: positive(1, 200),
    })
    .map(({ fallbackMax, judgeTotals, ...rest }) => {
      const c = structuredClone(rest) as unknown as ComponentInput;
      // Judge totals: no attempts, and every judgement aspect on the same panel (raising a panel keeps the
      // aspects' own drops valid).
      const judged = c.aspects.filter((a) => a.kind === 'judgement');
      if (judgeTotals && !c.attempts && judged.length > 0) {
        const panel = Math.max(...judged.map((a) => a.panel));
        for (const a of judged) a.panel = panel;
        const dropHighest = judgeTotals.high % panel;
        c.judgeTotals = {
          method: judgeTotals.method,
          dropHighest,
          dropLowest: judgeTotals.low % (panel - dropHighest),
        };
      }
      // normaliseTo needs a full mark above 0: given, or derived from the aspects.
      if (c.normaliseTo !== undefined && c.max === undefined) {
        const parsed = component.safeParse({
          ...c,
          id: 'c',
          aspects: c.aspects.map((a) => ({ ...a, id: 'a' })),
        });
        if (!parsed.success || !componentMax(parsed.data)?.gt(Decimal.ZERO)) c.max = fallbackMax;
      }
      return compact(c as unknown as Json) as unknown as ComponentInput;
    });

const skeletonArb = (opts: SchemeArbOptions) =>
  fc.record({
    id: optional(fc.constantFrom('my-scheme', 'S1')),
    name: fc.constantFrom('全国职业技能大赛', 'Test scheme', '跳水'),
    nameEn: nameEnArb,
    source: optional(fc.constant('rulebook §3')),
    precision: optional(fc.integer({ min: 0, max: 6 }), 0.6),
    rounding: optional(
      fc
        .record({
          at: optional(fc.constantFrom('total', 'aspect', 'attempt', 'component'), 0.8),
          mode: optional(fc.constantFrom('halfUp', 'halfEven', 'down'), 0.8),
          stages: optional(
            fc
              .record(
                Object.fromEntries(
                  ['panelMark', 'aspect', 'attempt', 'component'].map((stage) => [
                    stage,
                    optional(
                      fc
                        .record({
                          places: fc.integer({ min: 0, max: 4 }),
                          mode: optional(fc.constantFrom('halfUp', 'halfEven', 'down'), 0.5),
                        })
                        .map(compact),
                      0.4,
                    ),
                  ]),
                ),
              )
              .map(compact),
            0.3,
          ),
        })
        // A stage is rounded once: by `at` or by its own entry.
        .map(({ stages, ...r }) =>
          compact({
            ...r,
            stages:
              stages && typeof r.at === 'string'
                ? Object.fromEntries(Object.entries(stages).filter(([stage]) => stage !== r.at))
                : stages,
          }),
        ),
    ),
    factor: optional(positive(0.1, 3), 0.2),
    components: fc.array(componentArb(opts), { minLength: 1, maxLength: 3 }),
    componentIds: fc.array(fc.constantFrom(...ID_POOL.component), { minLength: 3, maxLength: 3 }),
    aspectIds: fc.array(fc.constantFrom(...ID_POOL.aspect), { minLength: 9, maxLength: 9 }),
    weights: fc.constantFrom('none', 'whole', 'tenths'),
    rounds: optional(fc.uniqueArray(fc.constantFrom(...ID_POOL.round), { minLength: 1, maxLength: 3 }), 0.75),
    standardScale: optional(
      fc.record({ centre: someDecimalArb(0, 1000), perDeviation: positive(0.5, 200) }),
      0.2,
    ),
  });

/**
 * Gives every component and aspect a scheme-wide unique id (schemes share one namespace for both). An aspect
 * id may end in "-<digits>" but must not read as an attempt item "<label>-<n>" of one of the scheme's labels.
 */
function assignIds(components: ComponentInput[], componentIds: string[], aspectIds: string[]): void {
  // Attempt labels are unique in a scheme (their items would collide): number the repeats.
  const seenLabels = new Set<string>();
  for (const c of components) {
    if (!c.attempts) continue;
    let label = c.attempts.label;
    for (let n = 2; seenLabels.has(label); n++) label = `${c.attempts.label}${n}`;
    seenLabels.add(label);
    c.attempts.label = label;
  }
  const labels = [...seenLabels];
  const readsAsAttempt = (id: string) =>
    labels.some((label) => id.startsWith(`${label}-`) && /^\d+$/.test(id.slice(label.length + 1)));
  const taken = new Set<string>();
  const unique = (candidate: string) => {
    let id = readsAsAttempt(candidate) ? `${candidate}_x` : candidate;
    for (let n = 2; taken.has(id); n++) id = `${candidate}_${n}`;
    taken.add(id);
    return id;
  };
  let a = 0;
  components.forEach((c, ci) => {
    c.id = unique(componentIds[ci] ?? 'comp');
    for (const aspect of c.aspects) aspect.id = unique(aspectIds[a++] ?? 'aspect');
  });
}

/** The quantities a tie-break may name in this scheme. */
function quantities(components: readonly ComponentInput[]): string[] {
  const aspects: AspectInput[] = components.flatMap((c) => c.aspects);
  return [
    'total',
    'deductions',
    ...components.map((c) => `component:${c.id}`),
    ...components.slice(1).map((c, i) => `component:${components[i]?.id}+${c.id}`),
    ...aspects.map((a) => `aspect:${a.id}`),
    ...aspects.filter((a) => a.kind === 'measurement').map((a) => `measure:${a.id}`),
  ];
}

/** Splits `total` units into `parts` positive whole parts at distinct cut points. */
const splitArb = (total: number, parts: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: total - 1 }), { minLength: parts - 1, maxLength: parts - 1 })
    .map((cuts) => {
      const points = [0, ...cuts.sort((x, y) => x - y), total];
      return points.slice(1).map((p, i) => p - (points[i] ?? 0));
    });

/** A valid scheme input covering every feature of the format. */
export function schemeInputArb(opts: SchemeArbOptions = {}): fc.Arbitrary<SchemeInput> {
  return skeletonArb(opts).chain(({ components, componentIds, aspectIds, weights, rounds, ...top }) => {
    const named = structuredClone(components) as unknown as ComponentInput[];
    assignIds(named, componentIds, aspectIds);
    const ids = named.flatMap((c) => [c.id, ...c.aspects.map((a) => a.id)]);
    const vetoCount = named.flatMap((c) => c.aspects).filter((a) => a.kind === 'veto').length;
    const trigger = optional(fc.record({ pick: fc.nat(), above: someDecimalArb(0, 40) }), 0.4);
    const weightScale = weights === 'tenths' ? 10 : 1;
    return fc
      .record({
        split: weights === 'none' ? fc.constant(undefined) : splitArb(100 * weightScale, named.length),
        targets: fc.tuple(
          ...Array.from({ length: vetoCount }, () =>
            optional(fc.subarray(ids, { minLength: 1, maxLength: Math.min(3, ids.length) }), 0.6),
          ),
        ),
        triggers: fc.tuple(...Array.from({ length: vetoCount }, () => trigger)),
        roundSpecs: fc.tuple(
          ...(rounds ?? []).map((_, ri) =>
            fc.record({
              name: optional(fc.constantFrom('预赛', '决赛', 'Final')),
              carryOver: optional(fc.subarray((rounds ?? []).slice(0, ri)), 0.6),
              advance: optional(fc.integer({ min: 1, max: 4 }), 0.5),
            }),
          ),
        ),
        tieBreaks: optional(
          fc.array(
            fc.record({
              by: fc.constantFrom(...quantities(named)),
              prefer: fc.constantFrom('higher', 'lower'),
            }),
            { maxLength: 3 },
          ),
          0.7,
        ),
      })
      .map(({ split, targets, triggers, roundSpecs, tieBreaks }): SchemeInput => {
        // This runs more than once per skeleton while shrinking: never mutate the shared objects.
        const cs = structuredClone(named);
        let i = 0;
        for (const c of cs) {
          // A trigger watches a measurement or deduction of the veto's own component.
          const sources = c.aspects.filter((a) => a.kind === 'measurement' || a.kind === 'deduction');
          for (const v of c.aspects) {
            if (v.kind !== 'veto') continue;
            const t = targets[i];
            const tr = triggers[i];
            i++;
            if (t !== undefined) v.targets = t;
            const source = tr && sources[tr.pick % sources.length];
            if (tr && source) v.trigger = { aspect: source.id, above: tr.above };
          }
        }
        if (split) {
          cs.forEach((c, i) => {
            c.weight = Decimal.ratio(BigInt(split[i] ?? 0), BigInt(weightScale)).toString();
          });
        }
        return compact({
          ...top,
          components: cs,
          rounds: rounds?.map((id, i) => compact({ id, ...compact(roundSpecs[i] ?? {}) })),
          ranking: tieBreaks === undefined ? undefined : { tieBreaks },
        }) as SchemeInput;
      });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Marks

/** One markable item of a scheme, with the component, aspect and attempt it was generated for. */
export interface SchemeItem extends ItemRef {
  item: string;
}

/** The items a scheme is marked on, derived from its structure (independently of `itemNames`). */
export function schemeItems(scheme: Scheme): SchemeItem[] {
  return scheme.components.flatMap((component) => {
    const attempts = component.attempts;
    if (!attempts)
      return component.aspects.map((aspect) => ({ item: aspect.id, component, aspect, attempt: null }));
    const result: SchemeItem[] = [];
    for (let attempt = 1; attempt <= attempts.count; attempt++) {
      for (const aspect of component.aspects) {
        const item =
          component.aspects.length === 1
            ? `${attempts.label}-${attempt}`
            : `${attempts.label}-${attempt}:${aspect.id}`;
        result.push({ item, component, aspect, attempt });
      }
    }
    return result;
  });
}

/** The number of marks an aspect expects per item. */
export function panelOf(aspect: Aspect): number {
  return aspect.kind === 'judgement' || aspect.kind === 'measurement' ? aspect.panel : 1;
}

/** A valid mark for the aspect, chosen deterministically by `seed` within the aspect's mark domain. */
export function markValueFor(aspect: Aspect, seed: number): string {
  if (aspect.kind === 'veto') return seed % 6 === 0 ? '1' : '0';
  const { min, max, step } = markDomain(aspect);
  const low = min ?? Decimal.ZERO;
  const s = BigInt(seed);
  if (step) {
    const steps = max ? max.minus(low).div(step) : Decimal.of(20n);
    const top = steps.num / steps.den;
    return low.plus(step.times(Decimal.of(s % (top + 1n)))).toString();
  }
  const high = max ?? low.plus(Decimal.of(50n));
  return low.plus(high.minus(low).times(Decimal.ratio(s % 1001n, 1000n))).toString();
}

export interface EventInput {
  marks: EventMarkInput[];
  difficulties: DifficultyInput[];
}

const COMPETITORS = ['Ana', 'Bo', '张伟', 'Chen', 'Dee', '李娜'];

/** The marks of one item: the panel's judges minus some, plus an extra judge or two, each with a seed. */
const itemSheetArb = (panel: number) =>
  fc.record({
    missing: fc.oneof(
      { weight: 5, arbitrary: fc.constant<number[]>([]) },
      { weight: 1, arbitrary: fc.subarray(Array.from({ length: panel }, (_, i) => i + 1)) },
    ),
    extra: fc.oneof(
      { weight: 8, arbitrary: fc.constant<number[]>([]) },
      { weight: 1, arbitrary: fc.subarray([panel + 1, panel + 2], { minLength: 1 }) },
    ),
    seeds: fc.array(fc.nat(), { minLength: panel + 2, maxLength: panel + 2 }),
  });

const difficultyTextArb = fc
  .integer({ min: 10, max: 45 })
  .map((u) => Decimal.ratio(BigInt(u), 10n).toFixed(1));

/**
 * Random marks (and degrees of difficulty) for an event under a scheme: 1–`maxCompetitors` competitors,
 * each in a random subset of the rounds, with missing marks and extra judges now and then.
 */
export function eventInputArb(scheme: Scheme, maxCompetitors = 5): fc.Arbitrary<EventInput> {
  const items = schemeItems(scheme);
  const maxAttempt = Math.max(
    0,
    ...scheme.components.filter((c) => c.attempts?.difficulty).map((c) => c.attempts?.count ?? 0),
  );
  const sitting = fc.record({
    sheets: fc.tuple(...items.map((it) => itemSheetArb(panelOf(it.aspect)))),
    difficulties: fc.array(optional(difficultyTextArb, 0.9), {
      minLength: maxAttempt,
      maxLength: maxAttempt,
    }),
  });
  const entrant = fc.array(optional(sitting, 0.8), {
    minLength: scheme.rounds.length,
    maxLength: scheme.rounds.length,
  });
  return fc.array(entrant, { minLength: 1, maxLength: maxCompetitors }).map((entrants) => {
    const marks: EventMarkInput[] = [];
    const difficulties: DifficultyInput[] = [];
    entrants.forEach((sittings, ci) => {
      const competitor = COMPETITORS[ci] ?? `C${ci}`;
      sittings.forEach((s, ri) => {
        const round = scheme.rounds[ri]?.id;
        if (!s || round === undefined) return;
        s.sheets.forEach((sheet, ii) => {
          const it = items[ii];
          if (!it) return;
          const panel = panelOf(it.aspect);
          const judges = [
            ...Array.from({ length: panel }, (_, j) => j + 1).filter((j) => !sheet.missing.includes(j)),
            ...sheet.extra,
          ];
          for (const j of judges) {
            const value = markValueFor(it.aspect, sheet.seeds[j - 1] ?? 0);
            marks.push({ round, competitor, item: it.item, judge: `J${j}`, value });
          }
        });
        s.difficulties.forEach((difficulty, ai) => {
          if (difficulty !== undefined) difficulties.push({ round, competitor, attempt: ai + 1, difficulty });
        });
      });
    });
    return { marks, difficulties };
  });
}

/** The same elements in a random order. */
export function permutationArb<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}

// ---------------------------------------------------------------------------------------------------------
// Garbage

const garbageValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    '',
    'abc',
    '1e3',
    '8,5',
    ' 8.5 ',
    '-0',
    'NaN',
    NaN,
    Number.POSITIVE_INFINITY,
    -1,
    0,
    1.5,
    1e21,
    true,
    [],
    {},
    'total',
    'component:nope',
    '__proto__',
    '(',
    'a+',
    '0.00',
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Every path to a value inside a JSON-ish object. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}

/** A valid scheme input with one value somewhere replaced by garbage, or deleted. */
export function mutatedSchemeArb(base: fc.Arbitrary<SchemeInput>): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.nat(), garbageValueArb, fc.boolean()).map(([input, pick, garbage, remove]) => {
    const copy = structuredClone(input) as unknown;
    const all = paths(copy);
    const path = all[pick % Math.max(1, all.length)];
    if (!path) return garbage;
    let holder = copy as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
    const last = path.at(-1) as string | number;
    if (remove) delete holder[last];
    else holder[last] = garbage;
    return copy;
  });
}

/** Arbitrary JSON-ish garbage, including objects that look a little like schemes. */
export const garbageArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.jsonValue(),
  fc.record({
    name: garbageValueArb,
    components: fc.oneof(garbageValueArb, fc.array(fc.dictionary(fc.string(), garbageValueArb))),
  }),
);
