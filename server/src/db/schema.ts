import type { EventJson, HonourRuleSet, SchemeInput } from '@jiangxin/shared';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The source of truth. Marks and the audit log are append-only; everything live (Redis, screens) is a view
 * rebuilt from these tables. Decimal values are `numeric` and travel as strings, never as JS numbers.
 */

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
/** A required reference to another table's id. */
const refersTo = (column: string, target: () => AnyPgColumn) => uuid(column).notNull().references(target);

// ── Setup ────────────────────────────────────────────────────────────────────────────────────────────

export const competitions = pgTable('competitions', {
  id: id(),
  name: text('name').notNull(),
  /** national | provincial | city | county | industry | park | enterprise (five-level system plus national, county). */
  level: text('level').notNull(),
  /** The class an honour rule grades it by: I, II, III (一类 / 二类 / 三类), when graded. */
  grade: text('grade'),
  organizer: text('organizer').notNull(),
  venue: text('venue').notNull(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
  /** Judges also never mark competitors from their own region (besides their own unit). */
  recusalByRegion: boolean('recusal_by_region').notNull().default(false),
  /**
   * Open scoring (公开评分), as open sports run it: the public follows every round live, under the
   * competitors' names, from the first mark. Judges still mark blind, by workstation code.
   */
  openScoring: boolean('open_scoring').notNull().default(false),
  createdAt: createdAt(),
});

export const events = pgTable('events', {
  id: id(),
  competitionId: refersTo('competition_id', () => competitions.id),
  name: text('name').notNull(),
  /** The scheme as validated by the shared schema (its input form, so defaults stay explicit on read). */
  scheme: jsonb('scheme').$type<SchemeInput>().notNull(),
  createdAt: createdAt(),
});

/** One row per scheme round of an event; its status locks marks (sign-off) and releases results. */
export const rounds = pgTable(
  'rounds',
  {
    id: id(),
    eventId: refersTo('event_id', () => events.id),
    /** The scheme's round id (Prelim, Semi, Final …). */
    key: text('key').notNull(),
    signedOffAt: timestamp('signed_off_at', { withTimezone: true }),
    signedOffBy: uuid('signed_off_by'),
    decryptedAt: timestamp('decrypted_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Marking closed by the organizer or chief judge (null: open, the default); tablets hold their marks. */
    markingClosedAt: timestamp('marking_closed_at', { withTimezone: true }),
    /** Frozen for the ceremony: the public sees `frozenEvent` (by workstation code) while marking goes on. */
    frozenAt: timestamp('frozen_at', { withTimezone: true }),
    frozenEvent: jsonb('frozen_event').$type<EventJson>(),
    /** How many places, from the bottom, the ceremony has revealed of the current standings. */
    revealed: integer('revealed').notNull().default(0),
  },
  (t) => [unique('rounds_event_key').on(t.eventId, t.key)],
);

/** What the rules need to know of a person who competes, alone or in a team (fresh builders per table). */
const person = () => ({
  name: text('name').notNull(),
  /** Employer (工作单位): the basis of recusal. */
  unit: text('unit').notNull(),
  region: text('region').notNull(),
  frontline: boolean('frontline').notNull(),
  unionMember: boolean('union_member').notNull(),
  /** The skill level held now (a shared `skillLevels` id): decides the level a promotion awards. */
  skillLevel: text('skill_level').notNull().default('none'),
  /** Heads their unit (单位负责人): honour lists cap their share. */
  unitHead: boolean('unit_head').notNull().default(false),
  /** HMAC of the ID number (身份证号): matchable, never shown; only the mask is displayed. */
  idNumberHash: text('id_number_hash'),
  idNumberMasked: text('id_number_masked'),
});

export const competitors = pgTable(
  'competitors',
  {
    id: id(),
    competitionId: refersTo('competition_id', () => competitions.id),
    eventId: refersTo('event_id', () => events.id),
    ...person(),
    /** First draw (参赛号). */
    entryNumber: integer('entry_number'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('competitors_event_entry').on(t.eventId, t.entryNumber),
    unique('competitors_event_id_number').on(t.eventId, t.idNumberHash),
  ],
);

/**
 * The members of a team (a `competitors` row of a team event stands for the team: drawn, marked and ranked
 * once); they share its result. What honours need of each member, and the ID number hashed as competitors'.
 */
export const teamMembers = pgTable(
  'team_members',
  {
    id: id(),
    competitorId: refersTo('competitor_id', () => competitors.id),
    eventId: refersTo('event_id', () => events.id),
    /** The member's place in the team's list (1, 2 …), as imported. */
    position: integer('position').notNull(),
    ...person(),
    createdAt: createdAt(),
  },
  (t) => [
    index('team_members_competitor').on(t.competitorId, t.position),
    unique('team_members_event_id_number').on(t.eventId, t.idNumberHash),
  ],
);

/** Second draw at check-in (检录): the workstation code (工位号) judges see instead of the competitor. */
export const workstations = pgTable(
  'workstations',
  {
    roundId: refersTo('round_id', () => rounds.id),
    competitorId: refersTo('competitor_id', () => competitors.id),
    code: text('code').notNull(),
    drawnAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.competitorId] }),
    unique('workstations_round_code').on(t.roundId, t.code),
  ],
);

/** Declared attempts with their degree of difficulty (a dive list). */
export const declaredAttempts = pgTable(
  'declared_attempts',
  {
    roundId: refersTo('round_id', () => rounds.id),
    competitorId: refersTo('competitor_id', () => competitors.id),
    attempt: integer('attempt').notNull(),
    difficulty: numeric('difficulty').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.competitorId, t.attempt] })],
);

export const judges = pgTable('judges', {
  id: id(),
  competitionId: refersTo('competition_id', () => competitions.id),
  name: text('name').notNull(),
  unit: text('unit').notNull(),
  region: text('region').notNull(),
  /** argon2 hash of the PIN the judge signs in with on a paired tablet. */
  pinHash: text('pin_hash'),
  createdAt: createdAt(),
});

/**
 * A panel (裁判组) marks some aspects of an event; empty `aspects` means all of them. It marks one round
 * (`roundId`) or, when null, every round; its field is `panel_competitors`, or the whole field when it has none.
 */
export const panels = pgTable('panels', {
  id: id(),
  eventId: refersTo('event_id', () => events.id),
  roundId: uuid('round_id').references(() => rounds.id),
  name: text('name').notNull(),
  /** The group label shown with it (A组, B组); empty when the panel has none. */
  group: text('group').notNull().default(''),
  aspects: text('aspects').array().notNull().default(sql`'{}'::text[]`),
  /** The attempts of the round it marks (dives 1, 2, 5); empty: every attempt. */
  attempts: integer('attempts').array().notNull().default(sql`'{}'::integer[]`),
  createdAt: createdAt(),
});

/** The competitors a panel marks when it covers only part of the field (alternate, a session, a list). */
export const panelCompetitors = pgTable(
  'panel_competitors',
  {
    panelId: refersTo('panel_id', () => panels.id),
    competitorId: refersTo('competitor_id', () => competitors.id),
  },
  (t) => [primaryKey({ columns: [t.panelId, t.competitorId] })],
);

/** A judge's seat on a panel (J1 … J7): the public sees marks by seat, never by judge name. */
export const panelSeats = pgTable(
  'panel_seats',
  {
    panelId: refersTo('panel_id', () => panels.id),
    judgeId: refersTo('judge_id', () => judges.id),
    seat: text('seat').notNull(),
  },
  (t) => [primaryKey({ columns: [t.panelId, t.judgeId] }), unique('panel_seats_seat').on(t.panelId, t.seat)],
);

/** A judge kept from marking a competitor (own unit or region), and who marks instead, with the reason. */
export const recusals = pgTable(
  'recusals',
  {
    panelId: refersTo('panel_id', () => panels.id),
    judgeId: refersTo('judge_id', () => judges.id),
    competitorId: refersTo('competitor_id', () => competitors.id),
    reason: text('reason').notNull(),
    substituteJudgeId: uuid('substitute_judge_id').references(() => judges.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.panelId, t.judgeId, t.competitorId] })],
);

// ── People and devices ───────────────────────────────────────────────────────────────────────────────

export const accounts = pgTable('accounts', {
  id: id(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  /** May create competitions (an organizer of the union). */
  organizer: boolean('organizer').notNull().default(false),
  createdAt: createdAt(),
});

/** What an account may do in one competition: organizer, chiefJudge, encryptionOfficer, scorekeeper. */
export const memberships = pgTable(
  'memberships',
  {
    accountId: refersTo('account_id', () => accounts.id),
    competitionId: refersTo('competition_id', () => competitions.id),
    role: text('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.competitionId, t.role] })],
);

/** A tablet or big screen paired by the organizer; revoking it (or bumping its version) ends its tokens. */
export const devices = pgTable('devices', {
  id: id(),
  competitionId: refersTo('competition_id', () => competitions.id),
  /** judge (a tablet a judge signs in on) or display (read-only screen). */
  kind: text('kind').notNull(),
  label: text('label').notNull(),
  pairingCodeHash: text('pairing_code_hash'),
  pairingExpiresAt: timestamp('pairing_expires_at', { withTimezone: true }),
  pairedAt: timestamp('paired_at', { withTimezone: true }),
  judgeId: uuid('judge_id').references(() => judges.id),
  tokenVersion: integer('token_version').notNull().default(0),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: createdAt(),
});

/** Failed sign-ins, counted per key (see modules/auth/rate-limit.ts: a whole venue may share one IP). */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: id(),
    /** `address:<ip>|account:<username>`, `account:<username>`, `address:<ip>`, `device:<id>` or `judge:<id>`. */
    key: text('key').notNull(),
    at: createdAt(),
  },
  (t) => [index('sign_in_failures_key').on(t.key, t.at)],
);

// ── Marks ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Every mark ever submitted, append-only. `id` is the client-generated id: the same id again returns the
 * original result. The mark in force for (round, competitor, item, judge) is the latest effective row;
 * a paper entry becomes effective once a second person confirms it (paper_confirmations).
 */
export const marks = pgTable(
  'marks',
  {
    id: uuid('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    roundId: refersTo('round_id', () => rounds.id),
    competitorId: refersTo('competitor_id', () => competitors.id),
    /** The scheme item: an aspect id, or `<label>-<n>[:<aspect>]` for attempts. */
    item: text('item').notNull(),
    judgeId: refersTo('judge_id', () => judges.id),
    value: numeric('value').notNull(),
    /** tablet (the judge), paper (a scorekeeper from a sheet) or correction (approved by the chief judge). */
    source: text('source').notNull(),
    /** Who sent it: a device or account id. */
    enteredBy: uuid('entered_by').notNull(),
    /** Hash of the submitted body, so a retry with a different body is refused. */
    bodyHash: text('body_hash').notNull(),
    correctionId: uuid('correction_id'),
    createdAt: createdAt(),
  },
  (t) => [index('marks_key').on(t.roundId, t.competitorId, t.item, t.judgeId, t.seq)],
);

export const paperConfirmations = pgTable('paper_confirmations', {
  markId: uuid('mark_id')
    .primaryKey()
    .references(() => marks.id),
  confirmedBy: uuid('confirmed_by').notNull(),
  confirmedAt: createdAt(),
});

/** A change after sign-off, requested with a reason and decided by the chief judge. */
export const corrections = pgTable('corrections', {
  id: id(),
  roundId: refersTo('round_id', () => rounds.id),
  competitorId: refersTo('competitor_id', () => competitors.id),
  item: text('item').notNull(),
  judgeId: refersTo('judge_id', () => judges.id),
  value: numeric('value').notNull(),
  reason: text('reason').notNull(),
  /** Who asked, as audit actors are written: `account:<id>` (chief judge, scorekeeper) or `device:<id>` (a judge). */
  requestedBy: text('requested_by').notNull(),
  /** pending | approved | rejected */
  status: text('status').notNull().default('pending'),
  /** The chief judge who decided, `account:<id>`. */
  decidedBy: text('decided_by'),
  decisionReason: text('decision_reason'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  createdAt: createdAt(),
});

/** The chief judge's order to re-mark an item (tolerance exceeded, a dispute). */
export const remarkOrders = pgTable('remark_orders', {
  id: id(),
  roundId: refersTo('round_id', () => rounds.id),
  competitorId: refersTo('competitor_id', () => competitors.id),
  item: text('item').notNull(),
  reason: text('reason').notNull(),
  orderedBy: uuid('ordered_by').notNull(),
  createdAt: createdAt(),
});

// ── Honours ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * A competition's honours: its rule set (null: the default template of its class), the recommendation
 * list as last recorded in the audit log (version and hash), and when the organizer published it.
 */
export const honourSettings = pgTable('honour_settings', {
  competitionId: uuid('competition_id')
    .primaryKey()
    .references(() => competitions.id),
  rules: jsonb('rules').$type<HonourRuleSet>(),
  /** The template the rule set was chosen from (null: the organizer's own JSON). */
  template: text('template'),
  listVersion: integer('list_version').notNull().default(0),
  listHash: text('list_hash'),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  updatedAt: createdAt(),
});

/**
 * The organizer's decisions against the rules, append-only: the latest per (honour, subject) is in force.
 * `subject` is `competitor:<id>` or `unit:<name>`.
 */
export const honourOverrides = pgTable(
  'honour_overrides',
  {
    id: id(),
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    competitionId: refersTo('competition_id', () => competitions.id),
    honour: text('honour').notNull(),
    subject: text('subject').notNull(),
    recommended: boolean('recommended').notNull(),
    reason: text('reason').notNull(),
    /**
     * The conditions the candidate failed when the organizer decided: when the results change them, the
     * decision no longer applies and is set aside for the organizer to take again.
     */
    failedConditions: text('failed_conditions').array().notNull(),
    /** `account:<id>` */
    decidedBy: text('decided_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('honour_overrides_subject').on(t.competitionId, t.honour, t.subject, t.seq)],
);

/**
 * A seat whose missing mark (a judge's tablet died mid-round) the chief judge had replaced under the
 * scheme's `missingMark` rule; the engine computes the value from the other marks, so it is never stored.
 */
export const missingMarks = pgTable(
  'missing_marks',
  {
    id: id(),
    roundId: refersTo('round_id', () => rounds.id),
    competitorId: refersTo('competitor_id', () => competitors.id),
    item: text('item').notNull(),
    seat: text('seat').notNull(),
    reason: text('reason').notNull(),
    appliedBy: uuid('applied_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('missing_marks_seat').on(t.roundId, t.competitorId, t.item, t.seat)],
);

// ── Audit ────────────────────────────────────────────────────────────────────────────────────────────

/** The audit actions of marks; every other entry may change what a mark is checked against. */
export const MARK_ACTIONS = ['mark.submitted', 'mark.paperEntered', 'mark.paperConfirmed'] as const;
/** Literal, not parameters: the planner uses the partial index `audit_log_setup` only for this very predicate. */
export const NOT_A_MARK_ENTRY = `action not in (${MARK_ACTIONS.map((a) => `'${a}'`).join(', ')})`;
export const notAMarkEntry = sql.raw(NOT_A_MARK_ENTRY);

/** Append-only, hash-chained per competition: each entry hashes the previous hash and its own content. */
export const auditLog = pgTable(
  'audit_log',
  {
    competitionId: refersTo('competition_id', () => competitions.id),
    seq: integer('seq').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    /** Who: `account:<id>`, `device:<id>` or `system`. */
    actor: text('actor').notNull(),
    /** What: `mark.submitted`, `round.signedOff`, `panel.judgeAssigned` … */
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.competitionId, t.seq] }),
    // The last entry that is not a mark: a cached round view (seating, competitors, scheme) is valid while it stays.
    index('audit_log_setup').on(t.competitionId, t.seq).where(notAMarkEntry),
  ],
);
