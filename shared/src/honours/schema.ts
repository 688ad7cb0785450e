import { z } from 'zod';
import { Decimal } from '../decimal';
import { decimalText, type FieldError, identifier, parseDocument } from '../scheme/schema';

/**
 * An honour rule set (荣誉评定规则) as data: which honours a competition's results lead to, whom each
 * covers, and the conditions a candidate must meet. Templates per competition level ship in templates.ts;
 * an organizer's edited copy is validated by the same schema. See docs/HONOURS.md.
 */

/** A competition's class as honour rules grade it: its level, and for graded levels 一类 / 二类 / 三类. */
export const competitionClasses = [
  'national-I',
  'national-II',
  'provincial-I',
  'provincial-II',
  'provincial-III',
  'city',
  'county',
  'industry',
  'park',
  'enterprise',
] as const;
export type CompetitionClass = (typeof competitionClasses)[number];

/** 国家职业资格等级, lowest first; `none` for a competitor who holds no level yet. */
export const skillLevels = [
  'none',
  'junior',
  'intermediate',
  'senior',
  'technician',
  'seniorTechnician',
] as const;
export type SkillLevel = (typeof skillLevels)[number];

export const skillLevelNames: Record<SkillLevel, { 'zh-CN': string; en: string }> = {
  none: { 'zh-CN': '无等级', en: 'no level' },
  junior: { 'zh-CN': '初级工', en: 'junior worker' },
  intermediate: { 'zh-CN': '中级工', en: 'intermediate worker' },
  senior: { 'zh-CN': '高级工', en: 'senior worker' },
  technician: { 'zh-CN': '技师', en: 'technician' },
  seniorTechnician: { 'zh-CN': '高级技师', en: 'senior technician' },
};

/** Where a figure comes from; `parameter: true` marks a default the organizer is expected to set. */
const sourced = {
  source: z.string().min(1, 'must say where the figure comes from'),
  parameter: z.boolean().optional(),
};

const count = z.number().int('must be a whole number').min(1, 'must be at least 1');

export const honourCondition = z.discriminatedUnion('kind', [
  /** The event had at least `count` ranked competitors. */
  z.strictObject({ kind: z.literal('minEntrants'), count, ...sourced }),
  /** The competition's class is one of these. */
  z.strictObject({
    kind: z.literal('competitionClass'),
    classes: z.array(z.enum(competitionClasses)).min(1),
    ...sourced,
  }),
  /** The competitor's score in `component` (after normalisation) is at least `mark`. */
  z.strictObject({ kind: z.literal('passMark'), component: identifier, mark: decimalText, ...sourced }),
  /** Not disqualified and no veto (一票否决) zeroed any part of the result. */
  z.strictObject({ kind: z.literal('notDisqualified'), ...sourced }),
  /** 一线职工 */
  z.strictObject({ kind: z.literal('frontline'), ...sourced }),
  /** 工会会员 */
  z.strictObject({ kind: z.literal('unionMember'), ...sourced }),
  /** Promotion: the level held decides the level awarded; a level held that no line lists fails. */
  z.strictObject({
    kind: z.literal('skillLevel'),
    promotions: z
      .array(z.strictObject({ held: z.array(z.enum(skillLevels)).min(1), awarded: z.enum(skillLevels) }))
      .min(1),
    ...sourced,
  }),
  /**
   * At most `max` recipients of the honour across the competition, filled by place (first places first).
   * Candidates sharing the place at the boundary are all reported, never cut: they share when they fit,
   * otherwise the organizer decides.
   */
  z.strictObject({ kind: z.literal('quota'), max: count, ...sourced }),
]);
export type HonourCondition = z.output<typeof honourCondition>;

/**
 * The stable id of a condition, as candidates report it: its kind, or `passMark:<component>`. Every honour
 * also reports `place` first: the place lies in its `covers`.
 */
export const conditionId = (c: HonourCondition): string =>
  c.kind === 'passMark' ? `passMark:${c.component}` : c.kind;

/**
 * Whom an honour covers, checked as the `place` condition: places `from`–`to` (inclusive) of an event's
 * overall standings; with `withinShare`, also no lower than that share of its ranked entrants.
 */
export const coverage = z
  .strictObject({
    from: count,
    to: count.optional(),
    withinShare: decimalText
      .refine(
        (v) => Decimal.of(v).gt(Decimal.ZERO) && Decimal.of(v).lte(Decimal.ONE),
        'must be above 0 and at most 1',
      )
      .optional(),
    ...sourced,
  })
  .refine((c) => c.to === undefined || c.to >= c.from, {
    message: 'to must not be below from',
    path: ['to'],
  });

/**
 * In a team event, the places an individual honour covers for a team of `size` members (the national skills
 * contest: 技术能手 to the top 5 individuals, the top 3 pairs, the top 2 three-person teams).
 */
export const teamCoverage = z.strictObject({ size: count, from: count, to: count, ...sourced });

export const honour = z
  .strictObject({
    id: identifier,
    name: z.string().min(1),
    nameEn: z.string().min(1),
    /**
     * Individuals are the competitors, and in a team event each member of a covered team; a unit honour goes
     * to the employer of competitors it covers; a team honour (工人先锋号) to the teams of team events.
     */
    recipient: z.enum(['individual', 'unit', 'team']).default('individual'),
    covers: coverage,
    /**
     * An individual honour in team events: the places covered per team size (a size not listed is not
     * covered). Absent: `covers` applies to teams as to individuals.
     */
    teamCovers: z.array(teamCoverage).optional(),
    /** A unit honour: at least this many of the unit's competitors must meet every condition. */
    unitMinimum: z.strictObject({ count, ...sourced }).optional(),
    conditions: z.array(honourCondition),
  })
  .superRefine((h, ctx) => {
    const seen = new Set<string>();
    h.conditions.forEach((c, i) => {
      const id = conditionId(c);
      if (seen.has(id))
        ctx.addIssue({ code: 'custom', message: `condition "${id}" appears twice`, path: ['conditions', i] });
      seen.add(id);
    });
    if (h.recipient === 'unit' && !h.unitMinimum)
      ctx.addIssue({ code: 'custom', message: 'a unit honour needs unitMinimum', path: ['unitMinimum'] });
    if (h.recipient === 'unit' && h.conditions.some((c) => c.kind === 'quota' || c.kind === 'skillLevel'))
      ctx.addIssue({
        code: 'custom',
        message: 'quota and skillLevel apply to individuals only',
        path: ['conditions'],
      });
    if (h.recipient === 'team' && h.conditions.some((c) => c.kind === 'skillLevel'))
      ctx.addIssue({
        code: 'custom',
        message: 'skillLevel applies to individuals only',
        path: ['conditions'],
      });
    if (h.recipient !== 'individual' && h.teamCovers)
      ctx.addIssue({
        code: 'custom',
        message: 'teamCovers applies to individual honours',
        path: ['teamCovers'],
      });
  });
export type Honour = z.output<typeof honour>;

/** A share rule checked on the whole list of recommended individuals of the listed honours. */
export const listRule = z
  .strictObject({
    id: identifier,
    /** Who is counted: frontline workers, or heads of their unit (单位负责人). */
    of: z.enum(['frontline', 'unitHead']),
    /** Percentages of the nominees. */
    atLeast: decimalText.optional(),
    atMost: decimalText.optional(),
    /** The honours whose recommended recipients are the nominees (empty: every individual honour). */
    honours: z.array(identifier).default([]),
    ...sourced,
  })
  .refine((r) => (r.atLeast === undefined) !== (r.atMost === undefined), {
    message: 'give exactly one of atLeast and atMost',
  });
export type ListRule = z.output<typeof listRule>;

export const honourRuleSet = z
  .strictObject({
    id: identifier,
    name: z.string().min(1),
    nameEn: z.string().min(1),
    source: z.string().min(1),
    /** The class of competition the set is written for, used when the competition's own is not given. */
    competitionClass: z.enum(competitionClasses).optional(),
    honours: z.array(honour).min(1, 'needs at least one honour'),
    listRules: z.array(listRule).default([]),
  })
  .superRefine((set, ctx) => {
    const ids = set.honours.map((h) => h.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', message: `honour "${id}" appears twice`, path: ['honours', i, 'id'] });
    });
    set.listRules.forEach((r, i) => {
      r.honours.forEach((h, j) => {
        if (!ids.includes(h))
          ctx.addIssue({
            code: 'custom',
            message: `unknown honour "${h}"; the set's honours are: ${ids.join(', ')}`,
            path: ['listRules', i, 'honours', j],
          });
      });
    });
  });
export type HonourRuleSetInput = z.input<typeof honourRuleSet>;
export type HonourRuleSet = z.output<typeof honourRuleSet>;

export type RuleSetParseResult = { ok: true; rules: HonourRuleSet } | { ok: false; errors: FieldError[] };

/** Validates a rule set, naming the path and the problem of everything wrong with it. */
export function parseHonourRules(input: unknown): RuleSetParseResult {
  const parsed = parseDocument(honourRuleSet, input, '(rules)');
  return parsed.ok ? { ok: true, rules: parsed.value } : parsed;
}
