import { z } from 'zod';
import { plainText } from '../api/text';
import { DECIMAL_PATTERN, Decimal } from '../decimal';

/**
 * The marking scheme (评分标准) of an event, as data. Every scoring rule the engine knows is chosen here;
 * see docs/SCHEMES.md for the format and the shipped templates.
 */

/** Decimal values are kept as strings so that no binary fraction ever enters a scheme. */
export const decimalText = z
  .union([z.string(), z.number()])
  .transform((value) => (typeof value === 'number' ? Decimal.textOf(value) : value.trim()))
  .pipe(
    z.string().regex(DECIMAL_PATTERN, { message: 'must be a decimal number such as "8.5"', abort: true }),
  );

// Aborting checks: the scheme-wide checks below run only on values that passed these.
const positiveDecimal = decimalText.refine((v) => Decimal.of(v).gt(Decimal.ZERO), {
  message: 'must be greater than 0',
  abort: true,
});
const nonNegativeDecimal = decimalText.refine((v) => !Decimal.of(v).isNegative(), {
  message: 'must not be negative',
  abort: true,
});

/** The names a scheme gives itself and its parts (shown to people, stored with the event). */
const schemeName = plainText({ max: 200 });

export const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, {
  message: 'must start with a letter and contain only letters, digits, "-" and "_"',
  abort: true,
});

const count = z.number().int('must be a whole number').nonnegative('must not be negative');

export const roundingMode = z.enum(['halfUp', 'halfEven', 'down']);

/**
 * The named stages a scheme can round at, in the order the engine reaches them: a judging panel's
 * aggregate (`panelMark`), an aspect's points (after `rescale`: the factored mark), an attempt (× its
 * difficulty), a component's score (after normalisation). The total is always rounded.
 */
export const ROUNDING_STAGES = ['panelMark', 'aspect', 'attempt', 'component'] as const;
export type RoundingStage = (typeof ROUNDING_STAGES)[number];

/** One stage's rounding: decimal places, and a mode (the scheme's `rounding.mode` when omitted). */
export const stageRounding = z.strictObject({
  places: z.number().int('must be a whole number').min(0, 'must not be negative').max(6, 'at most 6'),
  mode: roundingMode.optional(),
});

/** How a panel's marks become one value: drop the k highest and lowest, then mean, median or sum. */
export const aggregation = z.strictObject({
  method: z.enum(['mean', 'median', 'sum']),
  dropHighest: count.default(0),
  dropLowest: count.default(0),
});

/**
 * A tolerance between judges. The band is chosen by the primary aggregate (the highest `atLeast` not above
 * it); if the marks it used spread further than `maxSpread`, the aspect is flagged and, with `fallback`,
 * aggregated the fallback way instead (FIG aerobic: the middle two, else all four).
 */
export const tolerance = z.strictObject({
  bands: z
    .array(z.strictObject({ atLeast: decimalText, maxSpread: nonNegativeDecimal }))
    .min(1, 'needs at least one band'),
  fallback: aggregation.optional(),
});

export const range = z
  .strictObject({ min: decimalText, max: decimalText })
  .refine((r) => Decimal.of(r.min).lt(Decimal.of(r.max)), {
    message: 'min must be below max',
    path: ['max'],
  });

/** One band of a lookup table; lower bound `from` (inclusive) or `above`, upper bound `to` (inclusive) or `below`. */
export const band = z
  .strictObject({
    from: decimalText.optional(),
    above: decimalText.optional(),
    to: decimalText.optional(),
    below: decimalText.optional(),
    points: decimalText,
  })
  .refine((b) => !(b.from !== undefined && b.above !== undefined), 'give "from" or "above", not both')
  .refine((b) => !(b.to !== undefined && b.below !== undefined), 'give "to" or "below", not both');

const aspectBase = {
  id: identifier,
  name: schemeName,
  nameEn: schemeName.optional(),
};

/** Subjective marks from a panel of judges. */
export const judgementAspect = z.strictObject({
  ...aspectBase,
  kind: z.literal('judgement'),
  panel: z.number().int('must be a whole number').min(1, 'needs at least one judge'),
  range,
  step: positiveDecimal,
  aggregation,
  tolerance: tolerance.optional(),
  /** Scale the aggregate: `value / from × to` (WorldSkills: average of 0–3 marks / 3 × the aspect's maximum). */
  rescale: z.strictObject({ from: positiveDecimal, to: positiveDecimal }).optional(),
});

export const measurementMapping = z.discriminatedUnion('type', [
  /** The value is the points (a machine-scored theory paper, a simulator's score). */
  z.strictObject({ type: z.literal('direct') }),
  /** Yes (1) earns `max`, no (0) earns nothing. */
  z.strictObject({ type: z.literal('binary') }),
  /** `full` or better earns `max`, `zero` or worse earns nothing, linear in between (lower is better when full < zero). */
  z.strictObject({ type: z.literal('linear'), full: decimalText, zero: decimalText }),
  /** The first band that holds the value gives the points. */
  z.strictObject({ type: z.literal('table'), bands: z.array(band).min(1, 'needs at least one band') }),
]);

/** An objective check: a measured value mapped to points. */
export const measurementAspect = z.strictObject({
  ...aspectBase,
  kind: z.literal('measurement'),
  unit: plainText({ max: 32 }).optional(),
  max: positiveDecimal,
  /** The values a measurer may enter; defaults to 0–max for direct, 0–1 for binary. */
  range: range.optional(),
  step: positiveDecimal.optional(),
  /** Readings from several measurers are averaged. */
  panel: z.number().int().min(1).default(1),
  mapping: measurementMapping,
});

/** Points taken off: a count of faults × `per` (capped), or a measured value looked up in `bands`. */
export const deductionAspect = z
  .strictObject({
    ...aspectBase,
    kind: z.literal('deduction'),
    unit: plainText({ max: 32 }).optional(),
    per: positiveDecimal.optional(),
    cap: positiveDecimal.optional(),
    bands: z.array(band).min(1).optional(),
    range: range.optional(),
    step: positiveDecimal.optional(),
  })
  .refine((d) => (d.per === undefined) !== (d.bands === undefined), 'give either "per" or "bands"');

/** A rule that, once broken (mark 1), zeroes components or aspects, or disqualifies (一票否决). */
export const vetoAspect = z.strictObject({
  ...aspectBase,
  kind: z.literal('veto'),
  effect: z.enum(['zero', 'disqualify']),
  /**
   * Component or aspect ids to zero. By default the component that holds the veto or, in an attempt-based
   * component, only the attempt it is marked on (a foul cancels that run).
   */
  targets: z.array(identifier).optional(),
  /** Also broken, without a mark, when an aspect of the same component measures above a limit (30 min over). */
  trigger: z.strictObject({ aspect: identifier, above: decimalText }).optional(),
});

export const aspect = z.discriminatedUnion('kind', [
  judgementAspect,
  measurementAspect,
  deductionAspect,
  vetoAspect,
]);

/** Repeated attempts (dives, runs), each marked on the component's aspects. */
export const attempts = z.strictObject({
  /** Items are named `<label>-<n>` (e.g. `dive-3`), or `<label>-<n>:<aspect>` when there are several aspects. */
  label: identifier,
  count: z.number().int().min(1, 'needs at least one attempt'),
  /** Each attempt's score is multiplied by its declared degree of difficulty. */
  difficulty: z.boolean().default(false),
  combine: z.enum(['sum', 'best']).default('sum'),
});

export const component = z.strictObject({
  id: identifier,
  name: schemeName,
  nameEn: schemeName.optional(),
  /** Percentage of the total; either every component has one and they add up to 100, or none has. */
  weight: positiveDecimal.optional(),
  /** The component's full mark on its own scale; derived from its aspects when omitted. */
  max: positiveDecimal.optional(),
  /** Rescale the component to this full mark before weighting (e.g. every component to 100). */
  normaliseTo: positiveDecimal.optional(),
  /** Deductions never take the component below this. */
  floor: decimalText.optional(),
  /**
   * Trim judges by their totals rather than line by line: each judge's marks across the component's
   * judgement aspects are added up and the totals aggregated this way (a dish: the highest and lowest
   * judge dropped, the rest averaged). The aspects' own points are then shown for information only.
   */
  judgeTotals: aggregation.optional(),
  attempts: attempts.optional(),
  aspects: z.array(aspect).min(1, 'needs at least one aspect'),
});

export const round = z.strictObject({
  id: identifier,
  name: schemeName.optional(),
  /** Earlier rounds whose own scores are added to this round's total (a final that adds the semifinal). */
  carryOver: z.array(identifier).default([]),
  /** The top N advance to the next round. */
  advance: z.number().int().min(1).optional(),
  /** This round's own number of attempts, by component id (a semifinal of 5 dives where the others have 6). */
  attempts: z
    .record(identifier, z.number().int('must be a whole number').min(1, 'needs at least one attempt'))
    .optional(),
});

/**
 * A named quantity that breaks ties: `total`, `component:<id>` (what it adds to the total; `component:a+b`
 * for several together, e.g. a practical split in two), `aspect:<id>` (its points),
 * `measure:<id>` (a measurement's raw value, e.g. completion time) or `deductions` (points taken off).
 */
export const quantity = z
  .string()
  .regex(
    /^(total|deductions|component:[A-Za-z][A-Za-z0-9_-]*(\+[A-Za-z][A-Za-z0-9_-]*)*|(aspect|measure):[A-Za-z][A-Za-z0-9_-]*)$/,
    'must be "total", "deductions", "component:<id>[+<id>…]", "aspect:<id>" or "measure:<id>"',
  );

export const tieBreak = z.strictObject({ by: quantity, prefer: z.enum(['higher', 'lower']) });

/**
 * Open scoring (公开评分) before the round is decrypted: when screens and spectators may show a competitor's
 * name beside the workstation code. `afterDecryption` (the default): never, codes only until the encryption
 * officer decrypts, so marking stays blind. `whenCompetitorComplete`: once every mark the scheme needs for
 * that competitor is in, so no judge still marking them can learn who they are (decision 014). A judge's
 * device is never sent names, whatever the choice; a blind competition shows none before decryption.
 */
export const namesShownChoices = ['afterDecryption', 'whenCompetitorComplete'] as const;

/**
 * Who enters the event: individuals (the default, when absent) or teams of `size.min`–`size.max` members
 * (pairs, three-person teams, the distillation crew). A team is drawn, checked in, marked and ranked as one
 * entrant; its members share its result (decision 020).
 */
export const entrants = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('individual') }),
  z
    .strictObject({
      kind: z.literal('team'),
      size: z.strictObject({
        min: z.number().int('must be a whole number').min(1, 'must be at least 1'),
        max: z.number().int('must be a whole number').max(20, 'must be at most 20'),
      }),
    })
    .refine((e) => e.size.max >= e.size.min, { message: 'max must not be below min', path: ['size', 'max'] }),
]);
export type Entrants = z.output<typeof entrants>;

/** A team event's size bounds, or null for an individual event. */
export const teamSize = (s: { entrants?: Entrants }): { min: number; max: number } | null =>
  s.entrants?.kind === 'team' ? s.entrants.size : null;
export type NamesShown = (typeof namesShownChoices)[number];

const schemeObject = z.strictObject({
  id: identifier.optional(),
  name: schemeName,
  nameEn: schemeName.optional(),
  /** Where the rules come from, so an appeals jury can check them. */
  source: plainText({ max: 2000, lines: true }).optional(),
  /** Decimal places of official scores. */
  precision: z.number().int().min(0).max(6).default(2),
  /**
   * Where rounding happens: the total always (at `precision`, by `mode`); `at` also rounds one stage at
   * `precision`; `stages` rounds named stages each at its own places (official sheets: the panel's mark to
   * the hundredth, then the factored mark again).
   */
  rounding: z
    .strictObject({
      at: z.enum(['total', ...ROUNDING_STAGES]).default('total'),
      mode: roundingMode.default('halfUp'),
      stages: z
        .strictObject({
          panelMark: stageRounding.optional(),
          aspect: stageRounding.optional(),
          attempt: stageRounding.optional(),
          component: stageRounding.optional(),
        })
        .optional(),
    })
    .default({ at: 'total', mode: 'halfUp' }),
  /**
   * What the chief judge may do when a judge's mark cannot be had (a tablet dies mid-round): nothing
   * (`none`, the default), or replace it by the average of the others' marks for that item (FIG).
   */
  missingMark: z.enum(['none', 'averageOfOthers']).optional(),
  /** Multiplies the total (a global factor). */
  factor: positiveDecimal.optional(),
  components: z.array(component).min(1, 'needs at least one component'),
  rounds: z
    .array(round)
    .min(1)
    .default([{ id: 'Final', carryOver: [] }]),
  ranking: z.strictObject({ tieBreaks: z.array(tieBreak).default([]) }).default({ tieBreaks: [] }),
  /** Also report each ranked competitor on a common scale: the median at `centre` (WorldSkills: 700). */
  standardScale: z.strictObject({ centre: decimalText, perDeviation: positiveDecimal }).optional(),
  /** Under open scoring, when the public may see a competitor's name before decryption (NamesShown). */
  namesShown: z.enum(namesShownChoices).default('afterDecryption'),
  /** Individuals (absent) or teams (Entrants). */
  entrants: entrants.optional(),
});

export const scheme = schemeObject.superRefine(checkScheme);

export type SchemeInput = z.input<typeof scheme>;
export type Scheme = z.output<typeof schemeObject>;
export type Component = z.output<typeof component>;
export type Aspect = z.output<typeof aspect>;
export type JudgementAspect = z.output<typeof judgementAspect>;
export type MeasurementAspect = z.output<typeof measurementAspect>;
export type DeductionAspect = z.output<typeof deductionAspect>;
export type VetoAspect = z.output<typeof vetoAspect>;
export type Aggregation = z.output<typeof aggregation>;
export type Band = z.output<typeof band>;

type Path = (string | number)[];

function checkScheme(s: Scheme, ctx: z.RefinementCtx): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const ids = new Map<string, string>();
  const claim = (id: string, path: Path) => {
    const earlier = ids.get(id);
    if (earlier) issue(path, `id "${id}" is already used at ${earlier}`);
    else ids.set(id, path.join('.'));
  };

  const weighted = s.components.filter((c) => c.weight !== undefined);
  if (weighted.length > 0 && weighted.length < s.components.length) {
    issue(['components'], 'either every component has a weight or none has');
  }
  if (weighted.length === s.components.length && weighted.length > 0) {
    const totalWeight = Decimal.sum(weighted.map((c) => Decimal.of(c.weight ?? '0')));
    if (!totalWeight.eq(Decimal.HUNDRED)) {
      issue(['components'], `weights must add up to 100 (%), they add up to ${totalWeight.toString()}`);
    }
  }

  s.components.forEach((c, ci) => {
    claim(c.id, ['components', ci, 'id']);
    if (c.normaliseTo !== undefined && c.max === undefined && !componentMax(c)?.gt(Decimal.ZERO)) {
      issue(['components', ci, 'max'], 'normaliseTo needs the component\'s full mark: give "max"');
    }
    if (c.judgeTotals) {
      const panels = [...new Set(c.aspects.flatMap((a) => (a.kind === 'judgement' ? [a.panel] : [])))];
      const at: Path = ['components', ci, 'judgeTotals'];
      if (c.attempts) issue(at, 'judge totals cannot be combined with attempts');
      if (panels.length !== 1) issue(at, 'needs judgement aspects that all have the same panel size');
      else if (c.judgeTotals.dropHighest + c.judgeTotals.dropLowest >= (panels[0] ?? 0)) {
        issue(
          at,
          `a panel of ${panels[0]} cannot drop ${c.judgeTotals.dropHighest} highest and ${c.judgeTotals.dropLowest} lowest`,
        );
      }
    }
    c.aspects.forEach((a, ai) => {
      const path: Path = ['components', ci, 'aspects', ai];
      claim(a.id, [...path, 'id']);
      if (a.kind === 'veto' && a.trigger) {
        const source = c.aspects.find((x) => x.id === a.trigger?.aspect);
        if (source?.kind !== 'measurement' && source?.kind !== 'deduction') {
          issue(
            [...path, 'trigger', 'aspect'],
            `"${a.trigger.aspect}" is not a measurement or deduction of this component`,
          );
        }
      }
      checkAspect(a, path, issue);
      if (a.kind === 'veto') {
        (a.targets ?? []).forEach((target, ti) => {
          if (!schemeHasId(s, target))
            issue([...path, 'targets', ti], `unknown component or aspect "${target}"`);
        });
      }
    });
  });

  const labels = s.components.flatMap((c) => (c.attempts ? [c.attempts.label] : []));
  s.components.forEach((c, ci) => {
    if (c.attempts && labels.indexOf(c.attempts.label) !== labels.lastIndexOf(c.attempts.label)) {
      issue(
        ['components', ci, 'attempts', 'label'],
        `the attempts label "${c.attempts.label}" is used by another component`,
      );
    }
  });
  s.components.forEach((c, ci) => {
    c.aspects.forEach((a, ai) => {
      const label = labels.find((l) => new RegExp(`^${l}-\\d+$`).test(a.id));
      if (label)
        issue(
          ['components', ci, 'aspects', ai, 'id'],
          `"${a.id}" reads as an attempt of "${label}"; rename it`,
        );
    });
  });

  const at = s.rounding.at;
  if (at !== 'total' && s.rounding.stages?.[at] !== undefined) {
    issue(
      ['rounding', 'stages', at],
      `"${at}" is already rounded by rounding.at; give its rounding once (drop "at" or this stage)`,
    );
  }

  const roundIds: string[] = [];
  s.rounds.forEach((r, ri) => {
    if (roundIds.includes(r.id)) issue(['rounds', ri, 'id'], `round "${r.id}" is defined twice`);
    r.carryOver.forEach((earlier, ei) => {
      if (!roundIds.includes(earlier)) {
        issue(
          ['rounds', ri, 'carryOver', ei],
          `"${earlier}" is not an earlier round (earlier: ${roundIds.join(', ') || 'none'})`,
        );
      }
    });
    for (const id of Object.keys(r.attempts ?? {})) {
      if (!s.components.some((c) => c.id === id && c.attempts)) {
        issue(['rounds', ri, 'attempts', id], `"${id}" is not a component with attempts`);
      }
    }
    roundIds.push(r.id);
  });

  s.ranking.tieBreaks.forEach((t, ti) => {
    const [kind, id] = t.by.split(':') as [string, string | undefined];
    if (id === undefined) return;
    const path: Path = ['ranking', 'tieBreaks', ti, 'by'];
    for (const part of kind === 'component' ? id.split('+') : []) {
      if (!s.components.some((c) => c.id === part)) issue(path, `unknown component "${part}"`);
    }
    if (kind === 'aspect' && !allAspects(s).some((a) => a.id === id)) issue(path, `unknown aspect "${id}"`);
    if (kind === 'measure' && !allAspects(s).some((a) => a.id === id && a.kind === 'measurement')) {
      issue(path, `"${id}" is not a measurement aspect`);
    }
  });
}

function checkAspect(a: Aspect, path: Path, issue: (path: Path, message: string) => void): void {
  const checkDrops = (agg: Aggregation, panel: number, at: Path) => {
    if (agg.dropHighest + agg.dropLowest >= panel) {
      issue(
        at,
        `a panel of ${panel} cannot drop ${agg.dropHighest} highest and ${agg.dropLowest} lowest: at least one mark must remain`,
      );
    }
  };
  const checkStep = (r: { min: string; max: string } | undefined, step: string | undefined, at: Path) => {
    if (!r || !step) return;
    const span = Decimal.of(r.max).minus(Decimal.of(r.min)).div(Decimal.of(step));
    if (!span.isInteger()) issue(at, `the range ${r.min}–${r.max} is not a whole number of steps of ${step}`);
  };
  if (a.kind === 'judgement') {
    checkDrops(a.aggregation, a.panel, [...path, 'aggregation']);
    if (a.tolerance?.fallback) checkDrops(a.tolerance.fallback, a.panel, [...path, 'tolerance', 'fallback']);
    checkStep(a.range, a.step, [...path, 'step']);
  }
  if (a.kind === 'measurement') {
    if (a.mapping.type === 'linear' && Decimal.of(a.mapping.full).eq(Decimal.of(a.mapping.zero))) {
      issue([...path, 'mapping', 'zero'], '"full" and "zero" must differ');
    }
    checkStep(a.range, a.step, [...path, 'step']);
  }
  if (a.kind === 'deduction') checkStep(a.range, a.step, [...path, 'step']);
}

export function allAspects(s: Pick<Scheme, 'components'>): Aspect[] {
  return s.components.flatMap((c) => c.aspects);
}

function schemeHasId(s: Scheme, id: string): boolean {
  return s.components.some((c) => c.id === id || c.aspects.some((a) => a.id === id));
}

/** The most an aspect can add to its component (deductions and vetoes add nothing). */
export function aspectMax(a: Aspect): Decimal {
  switch (a.kind) {
    case 'judgement': {
      if (a.rescale) return Decimal.of(a.rescale.to);
      const top = Decimal.of(a.range.max);
      if (a.aggregation.method !== 'sum') return top;
      return top.times(Decimal.of(BigInt(a.panel - a.aggregation.dropHighest - a.aggregation.dropLowest)));
    }
    case 'measurement':
      return Decimal.of(a.max);
    default:
      return Decimal.ZERO;
  }
}

/**
 * How many attempts a component has in a round: the round's own count, else the component's. Without a
 * round (or an unknown one), the most any round has, so that every attempt some round has is named.
 */
export function attemptCount(s: Pick<Scheme, 'rounds'>, c: Component, round?: string): number {
  const base = c.attempts?.count ?? 0;
  const own = (r: Scheme['rounds'][number] | undefined) => r?.attempts?.[c.id] ?? base;
  const known = s.rounds.find((r) => r.id === round);
  return known ? own(known) : Math.max(base, ...s.rounds.map(own));
}

/** The most attempts any attempted component has in the round (no round: in any round); 0 without attempts. */
export function mostAttempts(s: Pick<Scheme, 'rounds' | 'components'> | undefined, round?: string): number {
  if (!s) return 0;
  return Math.max(0, ...s.components.filter((c) => c.attempts).map((c) => attemptCount(s, c, round)));
}

/**
 * A component's full mark: given, or its aspects' maxima (per attempt, times the attempts that count: the
 * component's count, or a round's own).
 */
export function componentMax(c: Component, attempts = c.attempts?.count ?? 0): Decimal | undefined {
  if (c.max !== undefined) return Decimal.of(c.max);
  if (c.attempts?.difficulty) return undefined;
  if (c.judgeTotals) {
    const judged = c.aspects.filter((a) => a.kind === 'judgement');
    const perJudge = Decimal.sum(judged.map((a) => Decimal.of(a.range.max)));
    const kept = (judged[0]?.panel ?? 1) - c.judgeTotals.dropHighest - c.judgeTotals.dropLowest;
    const panelMax = c.judgeTotals.method === 'sum' ? perJudge.times(Decimal.of(BigInt(kept))) : perJudge;
    return panelMax.plus(Decimal.sum(c.aspects.filter((a) => a.kind !== 'judgement').map(aspectMax)));
  }
  const perAttempt = Decimal.sum(c.aspects.map(aspectMax));
  if (!c.attempts || c.attempts.combine === 'best') return perAttempt;
  return perAttempt.times(Decimal.of(BigInt(attempts)));
}

/** A zod issue's field as a dotted path (`components.0.aspects.1`); empty when the issue is about the whole. */
export const issuePath = (issue: z.core.$ZodIssue) => issue.path.map(String).join('.');

/** One thing wrong with a document (a scheme, a set of honour rules): the field's path, and the problem. */
export interface FieldError {
  path: string;
  message: string;
}
export type SchemeError = FieldError;

/** Validates a document, naming the path (`root` for the whole) and the problem of everything wrong with it. */
export function parseDocument<S extends z.ZodType>(
  schema: S,
  input: unknown,
  root: string,
): { ok: true; value: z.output<S> } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((i) => ({ path: issuePath(i) || root, message: i.message })),
  };
}

export type SchemeParseResult = { ok: true; scheme: Scheme } | { ok: false; errors: FieldError[] };

/** Validates a scheme, naming the path and the problem of everything wrong with it. */
export function parseScheme(input: unknown): SchemeParseResult {
  const parsed = parseDocument(scheme, input, '(scheme)');
  return parsed.ok ? { ok: true, scheme: parsed.value } : parsed;
}
