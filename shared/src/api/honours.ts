import { z } from 'zod';
import type { HonourCandidate, HonoursEvaluation } from '../honours/evaluate';
import type { CompetitionClass, HonourRuleSet } from '../honours/schema';
import { identifier } from '../scheme/schema';
import type { CompetitionGrade, CompetitionLevel } from './setup';
import { plainText } from './text';

/**
 * The HTTP contract of honours (issue 11): a competition's honour rule set (a template for its class, then
 * edited), the computed recommendation list from published standings, and the organizer's overrides with
 * reasons. The list is the shared `HonoursEvaluation`, so every export renders the same thing.
 */

/**
 * The class honour rules grade a competition by, from its level and grade (一类 / 二类 / 三类). A national or
 * provincial competition without a grade has no class: a `competitionClass` condition then fails, saying so.
 */
export function competitionClassOf(
  level: CompetitionLevel,
  grade: CompetitionGrade | null,
): CompetitionClass | null {
  switch (level) {
    case 'national':
      return grade === 'I' || grade === 'II' ? `national-${grade}` : null;
    case 'provincial':
      return grade ? `provincial-${grade}` : null;
    default:
      return level;
  }
}

/**
 * The template a competition of this class starts from; null where no shipped template fits (provincial
 * class III, industry, park and enterprise competitions, an ungraded provincial one): the organizer chooses.
 */
export function defaultHonourTemplate(
  level: CompetitionLevel,
  competitionClass: CompetitionClass | null,
): string | null {
  if (level === 'national') return 'national-workers';
  switch (competitionClass) {
    case 'provincial-I':
      return 'provincial-class-1';
    case 'provincial-II':
      return 'provincial-class-2';
    case 'city':
      return 'city';
    case 'county':
      return 'county';
    default:
      return null;
  }
}

/** PUT …/honours/rules (organizer): a template name (GET /api/honour-templates) or a rule set as JSON. */
export const putHonourRulesRequest = z.strictObject({
  rules: z.union([plainText({ max: 100 }), z.record(z.string(), z.unknown())]),
});
export type PutHonourRulesRequest = z.input<typeof putHonourRulesRequest>;

/**
 * POST …/honours/overrides (organizer): recommend or not one candidate, against the rules if need be, with a
 * reason. The candidate is a competitor (`competitorId`) or, for a unit honour, a unit (`unit`).
 */
export const honourOverrideRequest = z
  .strictObject({
    honour: identifier,
    competitorId: z.guid().optional(),
    unit: plainText({ max: 200 }).optional(),
    recommended: z.boolean(),
    reason: plainText({ max: 2000, lines: true }),
  })
  .refine((b) => (b.competitorId === undefined) !== (b.unit === undefined), {
    message: 'give exactly one of competitorId and unit',
    path: ['competitorId'],
  });
export type HonourOverrideRequest = z.input<typeof honourOverrideRequest>;

export interface HonourTemplateSummary {
  name: string;
  title: string;
  titleEn: string;
  source: string;
  competitionClass: CompetitionClass | null;
  rules: HonourRuleSet;
}

export interface HonourRulesResponse {
  competitionClass: CompetitionClass | null;
  /** The template this competition's class starts from, if one fits. */
  defaultTemplate: string | null;
  /** The template the stored rule set was chosen from (null: edited JSON, or none stored). */
  template: string | null;
  /** False: nothing stored yet, `rules` is the default template (or null when none fits). */
  stored: boolean;
  rules: HonourRuleSet | null;
}

/** A candidate as the server lists it: the competitor by name, with the ids an override names. */
export interface HonourListCandidate extends HonourCandidate {
  /** The competitor's id (individual honours), for POST …/honours/overrides. */
  competitorId: string | null;
  eventId: string | null;
}

/** One event's part in the list: computed from its published last round, or why not. */
export interface HonourEventStatus {
  eventId: string;
  event: string;
  /** The round whose official standings count: the event's last round. */
  roundId: string | null;
  status: 'computed' | 'notPublished' | 'notDecrypted' | 'noRounds';
}

export interface OverrideSetAside {
  honour: string;
  competitor: string;
  recommended: boolean;
  reason: string;
  because: 'noCandidate' | 'conditionsChanged';
  /** The failing conditions when the organizer decided, and now (null: no candidate). */
  failedThen: string[];
  failedNow: string[] | null;
}

/** An override applied to the list, as the export documents take it (the candidate's `override` too). */
export interface HonourListOverride {
  honour: string;
  event: string;
  competitor: string;
  recommended: boolean;
  reason: string;
  /** `account:<id>` */
  by: string;
  at: string;
}

export interface HonoursListResponse extends Omit<HonoursEvaluation, 'candidates'> {
  competition: { id: string; name: string; level: CompetitionLevel; grade: CompetitionGrade | null };
  /** The rule set evaluated, with its honours (their names for the documents). */
  ruleSet: {
    id: string;
    name: string;
    nameEn: string;
    template: string | null;
    stored: boolean;
    honours: HonourRuleSet['honours'];
  };
  events: HonourEventStatus[];
  /** Each candidate's `recommended` is the rules' verdict; the list as sent is `finalRecommendation`. */
  candidates: HonourListCandidate[];
  /** The organizer's decisions in force, each with its reason. */
  overrides: HonourListOverride[];
  /**
   * Overrides not applied, because the results changed since the organizer decided: the competitor is no
   * longer a candidate, or the conditions they fail are not the ones the decision was about.
   */
  overridesSetAside: OverrideSetAside[];
  /** sha256 of the list (candidates, ties, list rules): the audit log records it each time it changes. */
  hash: string;
  /** The list as last recorded in the audit log: its version, and whether it is the one shown. */
  recorded: { version: number; hash: string | null; current: boolean };
  publishedAt: string | null;
}
