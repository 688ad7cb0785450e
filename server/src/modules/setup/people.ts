import { randomUUID } from 'node:crypto';
import {
  type CompetitorCreated,
  type CompetitorView,
  type CreateCompetitorRequest,
  type CreateJudgeRequest,
  type JudgeView,
  normaliseResidentId,
  type RecusalConflict,
  type ResidentIdProblem,
  residentIdProblem,
  type SkillLevel,
  type TeamMemberView,
  teamSize,
  type UpdateCompetitorRequest,
  type UpdateTeamMemberRequest,
} from '@jiangxin/shared';
import type { Executor } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import type { Principal } from '../../plugins/auth';
import { AppError, type Locale, type Localized, localized } from '../../plugins/errors';
import { notFound, roundSignedOff } from '../../refusals';
import type { Writer } from '../audit/service';
import { changeBy, isoNow, type Outcome, type Recorder, type SetupDeps, settled } from './common';
import { auditRouting, type PanelSeating, planCompetitors, reasonText, recordRefusal } from './recusal';
import {
  applyPlan,
  type CompetitorChanges,
  type CompetitorRow,
  competitorsOf,
  deleteTeamMemberRow,
  eventSignedOff,
  existingRecusals,
  findCompetition,
  findCompetitor,
  findEvent,
  findTeamMember,
  idNumberTaken,
  insertCompetitor,
  insertJudge,
  insertTeamMember,
  type JudgeRow,
  judgesOf,
  lockEvent,
  membersOfEvent,
  membersOfTeam,
  panelsOfEvent,
  type TeamMemberRow,
  updateCompetitorRow,
  updateTeamMemberRow,
} from './repository';

/** What a competitor's and a team member's views both show of the person (never the ID number's hash). */
function personView(row: CompetitorRow | TeamMemberRow) {
  return {
    id: row.id,
    name: row.name,
    unit: row.unit,
    region: row.region,
    frontline: row.frontline,
    unionMember: row.unionMember,
    skillLevel: row.skillLevel as SkillLevel,
    unitHead: row.unitHead,
    idNumberMasked: row.idNumberMasked,
  };
}

export function memberView(row: TeamMemberRow): TeamMemberView {
  return { ...personView(row), position: row.position };
}

/**
 * What a team's competitors row says of it, from its members: their units and regions (distinct, joined),
 * frontline and union member when every member is; honours and recusal read the members themselves.
 */
export function teamFields(
  members: readonly Pick<TeamMemberView, 'unit' | 'region' | 'frontline' | 'unionMember'>[],
): Pick<CompetitorView, 'unit' | 'region' | 'frontline' | 'unionMember' | 'skillLevel' | 'unitHead'> {
  const distinct = (values: string[]) => [...new Set(values)].join('、');
  return {
    unit: distinct(members.map((m) => m.unit)),
    region: distinct(members.map((m) => m.region)),
    frontline: members.every((m) => m.frontline),
    unionMember: members.every((m) => m.unionMember),
    skillLevel: 'none',
    unitHead: false,
  };
}

export function competitorView(row: CompetitorRow, members?: readonly TeamMemberRow[]): CompetitorView {
  return {
    ...personView(row),
    eventId: row.eventId,
    entryNumber: row.entryNumber,
    createdAt: isoNow(row.createdAt),
    ...(members ? { members: members.map(memberView) } : {}),
  };
}

export function judgeView(row: JudgeRow): JudgeView {
  return { id: row.id, name: row.name, unit: row.unit, region: row.region, createdAt: isoNow(row.createdAt) };
}

// ── ID numbers ───────────────────────────────────────────────────────────────────────────────────────

export const ID_PROBLEMS: Record<ResidentIdProblem, Localized> = {
  format: localized(
    '应为 18 位居民身份证号码（17 位数字加 1 位数字或 X）',
    'must be an 18-character resident ID number (17 digits, then a digit or X)',
  ),
  birthDate: localized('其中的出生日期不是有效日期', 'holds a date of birth that is not a real date'),
  checkDigit: localized('校验码不符，请核对号码', 'has a wrong check digit; check the number'),
};

export const DUPLICATE_ID: Localized = localized(
  '与本赛项已报名的选手重复（同一身份证号）',
  'is already registered in this event (the same ID number)',
);

export interface Identity {
  hash: string;
  masked: string;
}

/** The keyed hash and the mask of an ID number, or its problem; blank means no number. */
export function identify(
  hmac: SetupDeps['hmac'],
  raw: string | null | undefined,
): Identity | null | { problem: ResidentIdProblem } {
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  const problem = residentIdProblem(raw);
  if (problem) return { problem };
  const id = normaliseResidentId(raw);
  return { hash: hmac(`idNumber:${id}`), masked: `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}` };
}

function identifyOrThrow(hmac: SetupDeps['hmac'], raw: string | null | undefined): Identity | null {
  const identity = identify(hmac, raw);
  if (identity && 'problem' in identity) {
    const problem = ID_PROBLEMS[identity.problem];
    throw new AppError(
      400,
      'id_number_invalid',
      localized(
        `字段 idNumber：身份证号${problem['zh-CN']}`,
        `field "idNumber": the ID number ${problem.en}`,
      ),
      { field: 'idNumber', problem: identity.problem },
    );
  }
  return identity;
}

const duplicateId = () =>
  new AppError(
    409,
    'id_number_duplicate',
    localized(
      `字段 idNumber：身份证号${DUPLICATE_ID['zh-CN']}`,
      `field "idNumber": the ID number ${DUPLICATE_ID.en}`,
    ),
    {
      field: 'idNumber',
    },
  );

async function assertIdFree(db: Executor, eventId: string, hash: string, except?: string) {
  if (await idNumberTaken(db, eventId, hash, except)) throw duplicateId();
}

/** A change that may race another registration of the same ID number: the loser gets the same 409. */
async function registering<T>(outcome: Promise<Outcome<T>>): Promise<T> {
  return settled(
    outcome.catch((error: unknown) => {
      if (isUniqueViolation(error)) throw duplicateId();
      throw error;
    }),
  );
}

// ── Recusal of competitors added or changed ─────────────────────────────────────────────────────────

/** Where a conflict is, for the organizer: the panel's name, the seat and the reason. */
export function describeSeatConflicts(
  conflicts: readonly RecusalConflict[],
  panelSeatings: readonly PanelSeating[],
  locale: Locale,
): string {
  const zh = locale === 'zh-CN';
  return conflicts
    .map((c) => {
      const panel = panelSeatings.find((p) => p.id === c.panelId)?.name ?? c.panelId;
      return zh
        ? `裁判组“${panel}”${c.seat} 席的裁判（${reasonText(c.reason, locale)}）`
        : `the judge at seat ${c.seat} of panel "${panel}" (${reasonText(c.reason, locale)})`;
    })
    .join(zh ? '、' : ', ');
}

const recusalRefused = (conflicts: RecusalConflict[], panelSeatings: PanelSeating[]) =>
  new AppError(
    409,
    'recusal_unroutable',
    localized(
      `该选手须回避${describeSeatConflicts(conflicts, panelSeatings, 'zh-CN')}，而该裁判组没有可替换的无冲突备用裁判（R1、R2…）；请先安排备用裁判或调整裁判`,
      `this competitor must not be marked by ${describeSeatConflicts(conflicts, panelSeatings, 'en')}, and that panel has no reserve judge (R1, R2 …) free of conflict to take over; seat a reserve or change the judges first`,
    ),
    { conflicts },
  );

// ── Competitors ─────────────────────────────────────────────────────────────────────────────────────

export function createPeopleService({ writer, hmac }: SetupDeps) {
  const { db } = writer;
  return {
    /**
     * Registers a competitor. Their ID number is kept only as a keyed hash (to refuse a duplicate in the
     * event) and a mask. If a panel of the event has a judge of the competitor's unit (or region), the
     * competitor is routed to a free reserve of that panel; without one, registration is refused and the
     * refusal recorded.
     */
    createCompetitor(
      principal: Principal,
      competitionId: string,
      eventId: string,
      body: CreateCompetitorRequest,
    ): Promise<CompetitorCreated> {
      const identity = identifyOrThrow(hmac, body.idNumber);
      return registering(
        changeBy(writer, principal, competitionId, (tx, record) =>
          addCompetitor(tx, record, { competitionId, eventId }, body, identity),
        ),
      );
    },

    async listCompetitors(competitionId: string, eventId: string): Promise<CompetitorView[]> {
      const event = await findEvent(db, competitionId, eventId);
      const members = teamSize(event.scheme) ? await membersOfEvent(db, event.id) : null;
      return (await competitorsOf(db, event.id)).map((row) =>
        competitorView(row, members ? (members.get(row.id) ?? []) : undefined),
      );
    },

    async getCompetitor(competitionId: string, competitorId: string) {
      const row = await findCompetitor(db, competitionId, competitorId);
      const event = await findEvent(db, competitionId, row.eventId);
      return competitorView(row, teamSize(event.scheme) ? await membersOfTeam(db, row.id) : undefined);
    },

    /** Changes a team member's registration; a new unit or region re-applies recusal to the team. */
    updateTeamMember(
      principal: Principal,
      ids: { competitionId: string; competitorId: string; memberId: string },
      body: UpdateTeamMemberRequest,
    ): Promise<CompetitorView> {
      const identity = body.idNumber === undefined ? undefined : identifyOrThrow(hmac, body.idNumber);
      return registering(
        changeBy(writer, principal, ids.competitionId, (tx, record) =>
          changeMember(tx, record, ids, body, identity),
        ),
      );
    },

    /** Adds a member to a team, within the scheme's team size; recusal re-applied through members. */
    addTeamMember(
      principal: Principal,
      ids: { competitionId: string; competitorId: string },
      body: CreateCompetitorRequest,
    ): Promise<CompetitorView> {
      const identity = identifyOrThrow(hmac, body.idNumber);
      return registering(
        changeBy(writer, principal, ids.competitionId, (tx, record) =>
          addMember(tx, record, ids, body, identity),
        ),
      );
    },

    /** Removes a member from a team, within the scheme's team size. */
    removeTeamMember(
      principal: Principal,
      ids: { competitionId: string; competitorId: string; memberId: string },
    ): Promise<CompetitorView> {
      return settled(
        changeBy(writer, principal, ids.competitionId, (tx, record) => removeMember(tx, record, ids)),
      );
    },

    /** Changes a competitor's registration; a new unit or region re-applies recusal on every panel. */
    updateCompetitor(
      principal: Principal,
      competitionId: string,
      competitorId: string,
      body: UpdateCompetitorRequest,
    ): Promise<CompetitorCreated> {
      const identity = body.idNumber === undefined ? undefined : identifyOrThrow(hmac, body.idNumber);
      return registering(
        changeBy(writer, principal, competitionId, (tx, record) =>
          changeCompetitor(tx, record, { competitionId, competitorId }, body, identity),
        ),
      );
    },

    createJudge(principal: Principal, competitionId: string, body: CreateJudgeRequest): Promise<JudgeView> {
      return createJudge(writer, principal, competitionId, body);
    },

    async listJudges(competitionId: string): Promise<JudgeView[]> {
      return (await judgesOf(db, competitionId)).map(judgeView);
    },
  };
}

async function addCompetitor(
  tx: Executor,
  record: Recorder,
  { competitionId, eventId }: { competitionId: string; eventId: string },
  body: CreateCompetitorRequest,
  identity: Identity | null,
): Promise<Outcome<CompetitorCreated>> {
  const event = await findEvent(tx, competitionId, eventId);
  if (teamSize(event.scheme)) throw teamEventRefused();
  await lockEvent(tx, event.id);
  const competition = await findCompetition(tx, competitionId);
  if (identity) await assertIdFree(tx, event.id, identity.hash);
  const id = randomUUID();
  const panelSeatings = await panelsOfEvent(tx, event.id);
  const plan = planCompetitors(
    panelSeatings,
    [{ id, unit: body.unit, region: body.region, entryNumber: null }],
    competition.recusalByRegion,
    [],
  );
  if (plan.unroutable.length > 0) {
    const conflicts = plan.unroutable.map((c) => ({ ...c, competitorId: null }));
    await recordRefusal(record, 'competitor.refused', `event:${event.id}`, conflicts, {
      name: body.name,
      unit: body.unit,
      region: body.region,
    });
    return { ok: false, error: recusalRefused(conflicts, panelSeatings) };
  }
  const row = await insertCompetitor(tx, {
    id,
    competitionId,
    eventId: event.id,
    name: body.name,
    unit: body.unit,
    region: body.region,
    frontline: body.frontline,
    unionMember: body.unionMember,
    skillLevel: body.skillLevel ?? 'none',
    unitHead: body.unitHead ?? false,
    idNumberHash: identity?.hash ?? null,
    idNumberMasked: identity?.masked ?? null,
  });
  await applyPlan(tx, [], plan.routings);
  await record({
    affects: { eventId: event.id },
    action: 'competitor.added',
    subject: `competitor:${row.id}`,
    detail: {
      eventId: event.id,
      name: row.name,
      unit: row.unit,
      region: row.region,
      frontline: row.frontline,
      unionMember: row.unionMember,
      skillLevel: row.skillLevel,
      unitHead: row.unitHead,
      idNumberMasked: row.idNumberMasked,
      routings: plan.routings.map(auditRouting),
    },
  });
  return { ok: true, value: { competitor: competitorView(row), routings: plan.routings } };
}

const EDITABLE = ['name', 'unit', 'region', 'frontline', 'unionMember', 'skillLevel', 'unitHead'] as const;

async function changeCompetitor(
  tx: Executor,
  record: Recorder,
  { competitionId, competitorId }: { competitionId: string; competitorId: string },
  body: UpdateCompetitorRequest,
  identity: Identity | null | undefined,
): Promise<Outcome<CompetitorCreated>> {
  const found = await findCompetitor(tx, competitionId, competitorId);
  await lockEvent(tx, found.eventId);
  const before = await findCompetitor(tx, competitionId, competitorId);
  const changes: CompetitorChanges = {};
  for (const field of EDITABLE) {
    const value = body[field];
    if (value !== undefined && value !== before[field]) Object.assign(changes, { [field]: value });
  }
  if (identity !== undefined && (identity?.hash ?? null) !== before.idNumberHash) {
    if (identity) await assertIdFree(tx, before.eventId, identity.hash, before.id);
    changes.idNumberHash = identity?.hash ?? null;
    changes.idNumberMasked = identity?.masked ?? null;
  }
  if (Object.keys(changes).length === 0) {
    return { ok: true, value: { competitor: competitorView(before), routings: [] } };
  }
  await assertRecusalFieldsOpen(tx, before.eventId, changes);
  const after = { ...before, ...changes };
  let routingDetail: Record<string, unknown> = {};
  let routings: CompetitorCreated['routings'] = [];
  if (changes.unit !== undefined || changes.region !== undefined) {
    const competition = await findCompetition(tx, competitionId);
    const panelSeatings = await panelsOfEvent(tx, before.eventId);
    const existing = await existingRecusals(tx, {
      panelIds: panelSeatings.map((p) => p.id),
      competitorIds: [before.id],
    });
    // A team is recused through its members too.
    const members = await membersOfTeam(tx, before.id);
    const ref = members.length > 0 ? { ...after, members } : after;
    const plan = planCompetitors(panelSeatings, [ref], competition.recusalByRegion, existing);
    if (plan.unroutable.length > 0) {
      await recordRefusal(record, 'competitor.updateRefused', `competitor:${before.id}`, plan.unroutable, {
        unit: after.unit,
        region: after.region,
      });
      return { ok: false, error: recusalRefused(plan.unroutable, panelSeatings) };
    }
    const applied = await applyPlan(tx, existing, plan.routings);
    routings = applied.changed;
    routingDetail = {
      routings: applied.changed.map(auditRouting),
      recusalsRemoved: applied.removed.map((r) => ({ panelId: r.panelId, judgeId: r.judgeId })),
    };
  }
  const row = await updateCompetitorRow(tx, before.id, changes);
  const { idNumberHash: _hash, ...shown } = changes;
  await record({
    affects: { eventId: row.eventId },
    action: 'competitor.updated',
    subject: `competitor:${row.id}`,
    detail: { changes: shown, ...routingDetail },
  });
  return { ok: true, value: { competitor: competitorView(row), routings } };
}

const teamEventRefused = () =>
  new AppError(
    409,
    'team_event',
    localized(
      '字段 eventId：本赛项为团体项目，请通过导入登记团队（每名成员一行，“团队”列填写队名）',
      'field "eventId": this is a team event; register teams by import (one row per member, the "team" column naming the team)',
    ),
    { field: 'eventId' },
  );

async function changeMember(
  tx: Executor,
  record: Recorder,
  {
    competitionId,
    competitorId,
    memberId,
  }: { competitionId: string; competitorId: string; memberId: string },
  body: UpdateTeamMemberRequest,
  identity: Identity | null | undefined,
): Promise<Outcome<CompetitorView>> {
  const found = await findTeamMember(tx, competitionId, competitorId, memberId);
  await lockEvent(tx, found.team.eventId);
  const { team, member: before } = await findTeamMember(tx, competitionId, competitorId, memberId);
  const changes: Partial<TeamMemberRow> = {};
  for (const field of EDITABLE) {
    const value = body[field];
    if (value !== undefined && value !== before[field]) Object.assign(changes, { [field]: value });
  }
  if (identity !== undefined && (identity?.hash ?? null) !== before.idNumberHash) {
    if (identity) await assertIdFree(tx, team.eventId, identity.hash, before.id);
    changes.idNumberHash = identity?.hash ?? null;
    changes.idNumberMasked = identity?.masked ?? null;
  }
  const members = await membersOfTeam(tx, team.id);
  if (Object.keys(changes).length === 0) return { ok: true, value: competitorView(team, members) };
  await assertRecusalFieldsOpen(tx, team.eventId, changes);
  const after = members.map((m) => (m.id === before.id ? { ...m, ...changes } : m));
  const derived = teamFields(after);
  let routingDetail: Record<string, unknown> = {};
  if (changes.unit !== undefined || changes.region !== undefined) {
    const routed = await routeTeam(tx, competitionId, team, after);
    if (!routed.ok) {
      await recordRefusal(record, 'teamMember.updateRefused', `teamMember:${before.id}`, routed.unroutable, {
        competitorId: team.id,
        unit: changes.unit ?? before.unit,
        region: changes.region ?? before.region,
      });
      return { ok: false, error: routed.error };
    }
    routingDetail = routed.detail;
  }
  await updateTeamMemberRow(tx, before.id, changes);
  const teamRow = await updateCompetitorRow(tx, team.id, {
    unit: derived.unit,
    region: derived.region,
    frontline: derived.frontline,
    unionMember: derived.unionMember,
  });
  const { idNumberHash: _hash, ...shown } = changes;
  await record({
    affects: { eventId: team.eventId },
    action: 'teamMember.updated',
    subject: `teamMember:${before.id}`,
    detail: { competitorId: team.id, changes: shown, ...routingDetail },
  });
  return { ok: true, value: competitorView(teamRow, await membersOfTeam(tx, team.id)) };
}

/**
 * Re-applies recusal to a team whose members change (the one way import and a competitor edit do it: a
 * judge of any member's unit or region is recused); nothing is written when some seat cannot be routed.
 */
async function routeTeam(
  tx: Executor,
  competitionId: string,
  team: CompetitorRow,
  members: readonly TeamMemberRow[],
): Promise<
  | { ok: true; detail: Record<string, unknown> }
  | { ok: false; error: AppError; unroutable: RecusalConflict[] }
> {
  const competition = await findCompetition(tx, competitionId);
  const panelSeatings = await panelsOfEvent(tx, team.eventId);
  const existing = await existingRecusals(tx, {
    panelIds: panelSeatings.map((p) => p.id),
    competitorIds: [team.id],
  });
  const ref = { ...team, ...teamFields(members), members };
  const plan = planCompetitors(panelSeatings, [ref], competition.recusalByRegion, existing);
  if (plan.unroutable.length > 0)
    return { ok: false, error: recusalRefused(plan.unroutable, panelSeatings), unroutable: plan.unroutable };
  const applied = await applyPlan(tx, existing, plan.routings);
  return {
    ok: true,
    detail: {
      routings: applied.changed.map(auditRouting),
      recusalsRemoved: applied.removed.map((r) => ({ panelId: r.panelId, judgeId: r.judgeId })),
    },
  };
}

/**
 * Unit and region decide recusal, so they stay as they were once a round of the event is signed off (its
 * panels' seating must not change under signed results); the other records (honours' facts, a name's typo)
 * may still be corrected, audited.
 */
async function assertRecusalFieldsOpen(
  tx: Executor,
  eventId: string,
  changes: { unit?: string; region?: string },
) {
  const field = changes.unit !== undefined ? 'unit' : changes.region !== undefined ? 'region' : null;
  if (field === null || !(await eventSignedOff(tx, eventId))) return;
  throw new AppError(
    409,
    'round_signed_off',
    localized(
      `字段 ${field}：本赛项已有场次由裁判长签字锁定；单位和地区决定裁判回避，签字后不能再更改`,
      `field "${field}": a round of this event is signed off; unit and region decide recusal and can no longer change`,
    ),
    { field },
  );
}

/** 409 naming the scheme's bound a change would leave the team outside. */
const teamSizeRefused = (count: number, size: { min: number; max: number }) =>
  new AppError(
    409,
    'team_size',
    localized(
      `字段 members：团队人数须在 ${size.min}–${size.max} 人之间，此操作后为 ${count} 人`,
      `field "members": a team has ${size.min}–${size.max} members by the scheme; this change would leave ${count}`,
    ),
    { field: 'members', min: size.min, max: size.max, count },
  );

/** Members change only before any round of the team's event is signed off (the results stand as signed). */
async function teamOpenForChange(tx: Executor, competitionId: string, competitorId: string) {
  const found = await findCompetitor(tx, competitionId, competitorId);
  await lockEvent(tx, found.eventId);
  const team = await findCompetitor(tx, competitionId, competitorId);
  const event = await findEvent(tx, competitionId, team.eventId);
  const size = teamSize(event.scheme);
  if (!size) throw notATeam();
  if (await eventSignedOff(tx, team.eventId)) throw roundSignedOff();
  return { team, size, members: await membersOfTeam(tx, team.id) };
}

const notATeam = () =>
  new AppError(
    409,
    'not_a_team',
    localized(
      '字段 competitorId：该参赛者不是团队，没有成员',
      'field "competitorId": this competitor is not a team',
    ),
    { field: 'competitorId' },
  );

async function addMember(
  tx: Executor,
  record: Recorder,
  { competitionId, competitorId }: { competitionId: string; competitorId: string },
  body: CreateCompetitorRequest,
  identity: Identity | null,
): Promise<Outcome<CompetitorView>> {
  const { team, size, members } = await teamOpenForChange(tx, competitionId, competitorId);
  if (members.length + 1 > size.max) throw teamSizeRefused(members.length + 1, size);
  if (identity) await assertIdFree(tx, team.eventId, identity.hash);
  const member = await insertTeamMember(tx, {
    competitorId: team.id,
    eventId: team.eventId,
    position: Math.max(0, ...members.map((m) => m.position)) + 1,
    name: body.name,
    unit: body.unit,
    region: body.region ?? '',
    frontline: body.frontline ?? false,
    unionMember: body.unionMember ?? false,
    skillLevel: 'none',
    unitHead: false,
    idNumberHash: identity?.hash ?? null,
    idNumberMasked: identity?.masked ?? null,
  });
  return memberChanged(tx, record, competitionId, team, [...members, member], {
    action: 'teamMember.added',
    member,
  });
}

async function removeMember(
  tx: Executor,
  record: Recorder,
  ids: { competitionId: string; competitorId: string; memberId: string },
): Promise<Outcome<CompetitorView>> {
  const { team, size, members } = await teamOpenForChange(tx, ids.competitionId, ids.competitorId);
  const member = members.find((m) => m.id === ids.memberId);
  if (!member) throw notFound('teamMember', ids.memberId);
  if (members.length - 1 < size.min) throw teamSizeRefused(members.length - 1, size);
  await deleteTeamMemberRow(tx, member.id);
  return memberChanged(
    tx,
    record,
    ids.competitionId,
    team,
    members.filter((m) => m.id !== member.id),
    { action: 'teamMember.removed', member },
  );
}

/** After a member joins or leaves: recusal re-applied, the team's derived fields, audited. */
async function memberChanged(
  tx: Executor,
  record: Recorder,
  competitionId: string,
  team: CompetitorRow,
  after: TeamMemberRow[],
  change: { action: 'teamMember.added' | 'teamMember.removed'; member: TeamMemberRow },
): Promise<Outcome<CompetitorView>> {
  const { member } = change;
  const subject = `teamMember:${member.id}`;
  const routed = await routeTeam(tx, competitionId, team, after);
  if (!routed.ok) {
    await recordRefusal(record, `${change.action}Refused`, subject, routed.unroutable, {
      competitorId: team.id,
      unit: member.unit,
      region: member.region,
    });
    return { ok: false, error: routed.error };
  }
  const derived = teamFields(after);
  const teamRow = await updateCompetitorRow(tx, team.id, {
    unit: derived.unit,
    region: derived.region,
    frontline: derived.frontline,
    unionMember: derived.unionMember,
  });
  await record({
    affects: { eventId: team.eventId },
    action: change.action,
    subject,
    detail: {
      competitorId: team.id,
      name: member.name,
      unit: member.unit,
      region: member.region,
      idNumberMasked: member.idNumberMasked,
      ...routed.detail,
    },
  });
  return { ok: true, value: competitorView(teamRow, await membersOfTeam(tx, team.id)) };
}

// ── Judges ──────────────────────────────────────────────────────────────────────────────────────────

function createJudge(
  writer: Writer,
  principal: Principal,
  competitionId: string,
  body: CreateJudgeRequest,
): Promise<JudgeView> {
  return changeBy(writer, principal, competitionId, async (tx, record) => {
    const row = await insertJudge(tx, {
      competitionId,
      name: body.name,
      unit: body.unit,
      region: body.region,
    });
    await record({
      affects: 'noStandings',
      action: 'judge.added',
      subject: `judge:${row.id}`,
      detail: { name: row.name, unit: row.unit, region: row.region },
    });
    return judgeView(row);
  });
}
