import { z } from 'zod';
import { type SkillLevel, skillLevels } from '../honours/schema';
import { decimalText, type Entrants, namesShownChoices, type Scheme } from '../scheme/schema';
import type { Role } from './roles';
import { plainText, type TextRule } from './text';

/**
 * The HTTP contract of the setup API (competitions, events, competitors, judges, imports, panels and
 * recusal, the draw and the encryption mapping), shared by the server (validation, responses) and the
 * client. Every competition-scoped route lives under /api/competitions/:competitionId/…
 */

// ── Vocabulary ───────────────────────────────────────────────────────────────────────────────────────

/** The five-level system plus national and county competitions (a county union runs one every quarter). */
export const competitionLevels = [
  'national',
  'provincial',
  'city',
  'county',
  'industry',
  'park',
  'enterprise',
] as const;
export type CompetitionLevel = (typeof competitionLevels)[number];

/** 一类 / 二类 / 三类, when an honour rule grades the competition. */
export const competitionGrades = ['I', 'II', 'III'] as const;
export type CompetitionGrade = (typeof competitionGrades)[number];

/** Why a judge does not mark a competitor: the same unit (employer), or the same region where it counts. */
export type RecusalReason = 'sameUnit' | 'sameRegion';

/** `J1` … `Jn` mark; `R1`, `R2` … are reserves who mark only the competitors routed to them by recusal. */
export const SEAT_PATTERN = /^([JR])([1-9][0-9]?)$/;

// ── Chinese resident ID numbers (居民身份证号码, GB 11643) ─────────────────────────────────────────────

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character (0–9 or X) of the first 17 digits of an ID number. */
export function residentIdCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

/** An ID number as stored and compared: trimmed, a lower-case x made upper-case. */
export function normaliseResidentId(text: string): string {
  return text.trim().toUpperCase();
}

export type ResidentIdProblem = 'format' | 'birthDate' | 'checkDigit';

/** What is wrong with an 18-character resident ID number (normalised first), or null when it is valid. */
export function residentIdProblem(text: string): ResidentIdProblem | null {
  const id = normaliseResidentId(text);
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const born = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1900 ||
    born.getUTCFullYear() !== year ||
    born.getUTCMonth() !== month - 1 ||
    born.getUTCDate() !== day ||
    born.getTime() > Date.now()
  ) {
    return 'birthDate';
  }
  return residentIdCheckDigit(id.slice(0, 17)) === id[17] ? null : 'checkDigit';
}

// ── Requests ─────────────────────────────────────────────────────────────────────────────────────────

const text = (max: number) => plainText({ max });
const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });

/** POST /api/competitions (an organizer account). */
export const createCompetitionRequest = z.strictObject({
  name: text(200),
  level: z.enum(competitionLevels),
  grade: z.enum(competitionGrades).nullable().optional(),
  /** The organizing body (主办单位). */
  organizer: text(200),
  venue: text(200),
  startsOn: isoDate,
  /** Not before startsOn. */
  endsOn: isoDate,
  /** Judges also never mark competitors of their own region. */
  recusalByRegion: z.boolean().default(false),
  /** Open scoring (公开评分): the public follows rounds live under names, as open sports do. */
  openScoring: z.boolean().default(false),
});
export type CreateCompetitionRequest = z.input<typeof createCompetitionRequest>;

/** POST …/events: the scheme is a template name (GET /api/templates) or a scheme as JSON. */
export const createEventRequest = z.strictObject({
  name: text(200),
  scheme: z.union([text(100), z.record(z.string(), z.unknown())]),
  /** Under open scoring, when names are shown before decryption; replaces the scheme's `namesShown`. */
  namesShown: z.enum(namesShownChoices).optional(),
});
export type CreateEventRequest = z.input<typeof createEventRequest>;

/** The text fields of a person (competitor or judge): one rule for the API and for imports. */
export const personText = {
  name: { max: 100 },
  /** 工作单位: the employer, the basis of recusal. */
  unit: { max: 200 },
  region: { max: 100 },
} as const satisfies Record<string, TextRule>;

const competitorFields = {
  name: plainText(personText.name),
  unit: plainText(personText.unit),
  region: plainText(personText.region),
  /** 一线职工 */
  frontline: z.boolean(),
  /** 工会会员 */
  unionMember: z.boolean(),
  /** 现有职业技能等级, for promotions (default: none held). */
  skillLevel: z.enum(skillLevels).default('none'),
  /** 单位负责人, for the share rules of honour lists. */
  unitHead: z.boolean().default(false),
  /** 18-character resident ID number; stored only as a keyed hash and a mask, never returned in full. */
  idNumber: z.string().max(64).nullable().optional(),
};

/** POST …/events/:eventId/competitors */
export const createCompetitorRequest = z.strictObject(competitorFields);
export type CreateCompetitorRequest = z.input<typeof createCompetitorRequest>;

/** PATCH …/competitors/:competitorId: any of the fields; `idNumber: null` removes the number. */
export const updateCompetitorRequest = z.strictObject({
  name: competitorFields.name.optional(),
  unit: competitorFields.unit.optional(),
  region: competitorFields.region.optional(),
  frontline: competitorFields.frontline.optional(),
  unionMember: competitorFields.unionMember.optional(),
  skillLevel: z.enum(skillLevels).optional(),
  unitHead: z.boolean().optional(),
  idNumber: competitorFields.idNumber,
});
export type UpdateCompetitorRequest = z.input<typeof updateCompetitorRequest>;

/** PATCH …/competitors/:competitorId/members/:memberId: a team member's fields, as a competitor's. */
export const updateTeamMemberRequest = updateCompetitorRequest;
export type UpdateTeamMemberRequest = UpdateCompetitorRequest;

/** POST …/judges */
export const createJudgeRequest = z.strictObject({
  name: plainText(personText.name),
  unit: plainText(personText.unit),
  region: plainText(personText.region),
});
export type CreateJudgeRequest = z.input<typeof createJudgeRequest>;

/** The largest file an import accepts (the CSV text, or the decoded XLSX). */
export const IMPORT_FILE_LIMIT = 2 * 1024 * 1024;

/**
 * POST …/events/:eventId/competitors/import and …/judges/import: CSV text or a base64-encoded XLSX, with
 * Chinese or English headers (姓名/name, 工作单位/unit, 地区/region, 一线职工/frontline, 工会会员/unionMember,
 * 身份证号/idNumber, and optionally 技能等级/skillLevel and 单位负责人/unitHead).
 */
export const importRequest = z.strictObject({
  format: z.enum(['csv', 'xlsx']),
  content: z.string().min(1),
});
export type ImportRequest = z.input<typeof importRequest>;

/** The header names an import accepts for each field (compared case-insensitively, spaces ignored). */
export const importHeaders = {
  name: ['姓名', 'name'],
  unit: ['工作单位', '单位', 'unit'],
  region: ['地区', '所在地区', 'region'],
  frontline: ['一线职工', '是否一线职工', 'frontline'],
  unionMember: ['工会会员', '是否工会会员', 'unionMember'],
  idNumber: ['身份证号', '身份证号码', 'idNumber'],
  skillLevel: ['技能等级', '职业技能等级', 'skillLevel'],
  unitHead: ['单位负责人', '是否单位负责人', 'unitHead'],
  /** A team event: one row per member, this column naming the member's team. */
  team: ['团队', '队名', '团队名称', 'team'],
} as const;

/** PUT …/rounds/:roundId/competitors/:competitorId/attempts: the whole declared list (a dive list). */
export const declareAttemptsRequest = z
  .array(z.strictObject({ attempt: z.number().int().min(1).max(99), difficulty: decimalText }))
  .max(99);
export type DeclareAttemptsRequest = z.input<typeof declareAttemptsRequest>;

/**
 * What part of the event a panel marks: one round (absent: every round of the event), some competitors
 * (absent or empty: the whole field of the round) and some attempts (absent or empty: every attempt; two
 * panels taking turns by dive), shown under a group label (A组).
 */
const panelCoverage = {
  roundId: z.guid().optional(),
  competitorIds: z.array(z.guid()).max(2000).default([]),
  attempts: z.array(z.number().int().min(1).max(99)).max(99).default([]),
  group: plainText({ min: 0, max: 40 }).default(''),
};

/** POST …/events/:eventId/panels: the aspects it marks (ids of the event's scheme; empty: all) and its coverage. */
export const createPanelRequest = z.strictObject({
  name: text(100),
  aspects: z.array(text(64)).max(200).default([]),
  ...panelCoverage,
});
export type CreatePanelRequest = z.input<typeof createPanelRequest>;

/** PUT …/panels/:panelId/coverage: replaces the round, field and group of a panel (before marking starts). */
export const panelCoverageRequest = z.strictObject(panelCoverage);
export type PanelCoverageRequest = z.input<typeof panelCoverageRequest>;

/**
 * POST …/rounds/:roundId/panel-draw (裁判抽签): draws judges of the pool (default: every judge of the
 * competition) to the marking seats of the round's panels (default: all of them), then `reserves` reserve
 * seats each. `seed` (hex) makes a publicly announced draw reproducible; absent, a fresh one is drawn.
 */
export const panelDrawRequest = z.strictObject({
  judgeIds: z.array(z.guid()).max(500).optional(),
  panelIds: z.array(z.guid()).min(1).max(50).optional(),
  reserves: z.number().int().min(0).max(9).default(0),
  seed: z
    .string()
    .regex(/^[0-9a-f]{16,128}$/)
    .optional(),
});
export type PanelDrawRequest = z.input<typeof panelDrawRequest>;

/** PUT …/panels/:panelId/seats/:seat */
export const assignSeatRequest = z.strictObject({ judgeId: z.guid() });
export type AssignSeatRequest = z.input<typeof assignSeatRequest>;

/** POST …/rounds/:roundId/check-in (检录): draws the competitor's workstation for the round. */
export const checkInRequest = z.strictObject({ competitorId: z.guid() });
export type CheckInRequest = z.input<typeof checkInRequest>;

// ── Responses ────────────────────────────────────────────────────────────────────────────────────────

export interface CompetitionView {
  id: string;
  name: string;
  level: CompetitionLevel;
  grade: CompetitionGrade | null;
  organizer: string;
  venue: string;
  startsOn: string;
  endsOn: string;
  recusalByRegion: boolean;
  openScoring: boolean;
  createdAt: string;
  /** What the caller may do in it. */
  roles: Role[];
}

export interface RoundView {
  id: string;
  /** The scheme's round id. */
  key: string;
  name: string | null;
  signedOffAt: string | null;
  decryptedAt: string | null;
  publishedAt: string | null;
  /** Marking closed (null: open): tablets hold their marks until it reopens. */
  markingClosedAt: string | null;
}

export interface EventSummary {
  id: string;
  competitionId: string;
  name: string;
  /** The scheme's own name and id (a template's id when made from one). */
  schemeName: string;
  schemeId: string | null;
  /** Who enters: individuals (absent) or teams of a size (the scheme's `entrants`). */
  entrants?: Entrants;
  createdAt: string;
}

export interface EventView extends EventSummary {
  scheme: Scheme;
  rounds: RoundView[];
}

/** A person's record as staff see it (a competitor or a team member): never the full ID number. */
export interface PersonView {
  name: string;
  unit: string;
  region: string;
  frontline: boolean;
  unionMember: boolean;
  skillLevel: SkillLevel;
  unitHead: boolean;
  /** e.g. `3501**********123X` */
  idNumberMasked: string | null;
}

/** A competitor as the organizer, chief judge and encryption officer see one. */
export interface CompetitorView extends PersonView {
  id: string;
  eventId: string;
  entryNumber: number | null;
  createdAt: string;
  /** A team event's entrant is a team: its members, in order (they share its result). */
  members?: TeamMemberView[];
}

/** A member of a team (the team is the competitor drawn, marked and ranked). */
export interface TeamMemberView extends PersonView {
  id: string;
  position: number;
}

export interface JudgeView {
  id: string;
  name: string;
  unit: string;
  region: string;
  createdAt: string;
}

/** A judge kept from marking a competitor, and the reserve who marks that competitor instead. */
export interface Routing {
  panelId: string;
  judgeId: string;
  seat: string;
  competitorId: string;
  entryNumber: number | null;
  reason: RecusalReason;
  substituteJudgeId: string;
  substituteSeat: string;
}

/** A conflict no reserve could take. */
export interface RecusalConflict {
  panelId: string;
  judgeId: string;
  seat: string;
  competitorId: string | null;
  entryNumber: number | null;
  reason: RecusalReason;
}

export interface CompetitorCreated {
  competitor: CompetitorView;
  routings: Routing[];
}

export interface ImportRejection {
  /** The spreadsheet row (CSV line) number. */
  row: number;
  field: string;
  message: string;
}

export interface ImportReport {
  /** Rows accepted (in a team event, members). */
  accepted: number;
  /** A team event: the teams registered. */
  teams?: number;
  rejected: ImportRejection[];
  /** Recusal routings made for the accepted competitors. */
  routings?: Routing[];
}

/** One row an import would register, as read from the file (the ID number only masked). */
export interface ImportPreviewRow {
  row: number;
  name: string;
  unit: string;
  region: string;
  /** The competitors' fields (absent for judges). */
  frontline?: boolean;
  unionMember?: boolean;
  skillLevel?: SkillLevel;
  unitHead?: boolean;
  idNumberMasked?: string | null;
  /** A team event: the member's team. */
  team?: string;
}

/**
 * POST …/competitors/import/preview and …/judges/import/preview: what the same import would register and
 * refuse, row by row, through the same checks; nothing is saved.
 */
export interface ImportPreview extends ImportReport {
  rows: ImportPreviewRow[];
  /** The refused rows' cells as read, so the row can be found in the file (the ID number left out). */
  refusedRows: { row: number; cells: Partial<Record<keyof typeof importHeaders, string>> }[];
}

export interface DeclaredAttempt {
  attempt: number;
  difficulty: string;
}

export interface SeatView {
  seat: string;
  judgeId: string;
  name: string;
  unit: string;
  region: string;
}

export interface RecusalView {
  judgeId: string;
  seat: string | null;
  competitorId: string;
  entryNumber: number | null;
  competitorName: string;
  reason: RecusalReason;
  substituteJudgeId: string | null;
  substituteSeat: string | null;
  createdAt: string;
}

export interface PanelView {
  id: string;
  eventId: string;
  /** The round it marks; null: every round of the event. */
  roundId: string | null;
  name: string;
  /** The group label (A组), empty when none. */
  group: string;
  /** The competitors it marks; empty: the whole field. */
  competitorIds: string[];
  /** The attempts it marks (1-based); empty: every attempt. */
  attempts: number[];
  /** The aspect ids it marks (all of the scheme's when empty). */
  aspects: string[];
  /** How many marking seats (J1…Jn) the aspects need. */
  size: number;
  seats: SeatView[];
  recusals: RecusalView[];
}

export interface SeatAssigned {
  panel: PanelView;
  /** The routings this change made (new or moved). */
  routings: Routing[];
}

/** POST …/rounds/:roundId/panel-draw: the seed (its SHA-256 is in the audit log) and the panels as drawn. */
export interface PanelDrawResult {
  seed: string;
  seedHash: string;
  panels: PanelView[];
  routings: Routing[];
}

export interface DrawResult {
  /** The random seed the numbers were derived from (its SHA-256 is in the audit log); null: nothing to draw. */
  seed: string | null;
  seedHash: string | null;
  assigned: { competitorId: string; entryNumber: number }[];
}

export interface CheckInResult {
  roundId: string;
  competitorId: string;
  code: string;
  /** True when the competitor had already checked in: the code drawn then. */
  alreadyCheckedIn: boolean;
}

/** GET …/rounds/:roundId/mapping: code ↔ competitor, for the encryption officer and the chief judge. */
export interface MappingEntry {
  code: string;
  competitorId: string;
  entryNumber: number | null;
  name: string;
  unit: string;
  region: string;
}

/** GET …/rounds/:roundId/workstations: what a judge sees of the round. */
export interface WorkstationsView {
  roundId: string;
  codes: string[];
}
