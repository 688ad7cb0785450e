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
  type UpdateCompetitorRequest,
} from '@jiangxin/shared';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Executor } from '../../db/client';
import { competitors, judges } from '../../db/schema';
import type { Principal } from '../../plugins/auth';
import { AppError, type Locale, type Localized, localized } from '../../plugins/errors';
import { audited } from '../audit/service';
import {
  actorOf,
  findCompetition,
  findCompetitor,
  findEvent,
  isoNow,
  isUniqueViolation,
  lockEvent,
} from './common';
import {
  applyPlan,
  auditConflict,
  auditRouting,
  existingRecusals,
  type PanelSeating,
  panelsOfEvent,
  planCompetitors,
  reasonText,
} from './recusal';

type CompetitorRow = typeof competitors.$inferSelect;
type JudgeRow = typeof judges.$inferSelect;

export function competitorView(row: CompetitorRow): CompetitorView {
  return {
    id: row.id,
    eventId: row.eventId,
    name: row.name,
    unit: row.unit,
    region: row.region,
    frontline: row.frontline,
    unionMember: row.unionMember,
    skillLevel: row.skillLevel as SkillLevel,
    unitHead: row.unitHead,
    idNumberMasked: row.idNumberMasked,
    entryNumber: row.entryNumber,
    createdAt: isoNow(row.createdAt),
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
  app: FastifyInstance,
  raw: string | null | undefined,
): Identity | null | { problem: ResidentIdProblem } {
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  const problem = residentIdProblem(raw);
  if (problem) return { problem };
  const id = normaliseResidentId(raw);
  return { hash: app.hmac(`idNumber:${id}`), masked: `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}` };
}

function identifyOrThrow(app: FastifyInstance, raw: string | null | undefined): Identity | null {
  const identity = identify(app, raw);
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
  const [taken] = await db
    .select({ id: competitors.id })
    .from(competitors)
    .where(
      and(
        eq(competitors.eventId, eventId),
        eq(competitors.idNumberHash, hash),
        except ? ne(competitors.id, except) : undefined,
      ),
    );
  if (taken) throw duplicateId();
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

type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

/**
 * Registers a competitor. Their ID number is kept only as a keyed hash (to refuse a duplicate in the event)
 * and a mask. If a panel of the event has a judge of the competitor's unit (or region), the competitor is
 * routed to a free reserve of that panel; without one, registration is refused and the refusal recorded.
 */
export async function createCompetitor(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  eventId: string,
  body: CreateCompetitorRequest,
): Promise<CompetitorCreated> {
  const identity = identifyOrThrow(app, body.idNumber);
  const outcome = await audited(app, async (tx, audit): Promise<Outcome<CompetitorCreated>> => {
    const event = await findEvent(tx, competitionId, eventId);
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
      await audit(competitionId, {
        affects: 'noStandings',
        actor: actorOf(principal),
        action: 'competitor.refused',
        subject: `event:${event.id}`,
        detail: {
          reason: 'recusal: no reserve judge free of conflict',
          name: body.name,
          unit: body.unit,
          region: body.region,
          conflicts: conflicts.map(auditConflict),
        },
      });
      return { ok: false, error: recusalRefused(conflicts, panelSeatings) };
    }
    const [row] = await tx
      .insert(competitors)
      .values({
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
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await applyPlan(tx, [], plan.routings);
    await audit(competitionId, {
      affects: { eventId: event.id },
      actor: actorOf(principal),
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
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw duplicateId();
    throw error;
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

export async function listCompetitors(
  app: FastifyInstance,
  competitionId: string,
  eventId: string,
): Promise<CompetitorView[]> {
  const event = await findEvent(app.db, competitionId, eventId);
  const rows = await app.db
    .select()
    .from(competitors)
    .where(eq(competitors.eventId, event.id))
    .orderBy(sql`${competitors.entryNumber} asc nulls last`, asc(competitors.createdAt), asc(competitors.id));
  return rows.map(competitorView);
}

export async function getCompetitor(app: FastifyInstance, competitionId: string, competitorId: string) {
  return competitorView(await findCompetitor(app.db, competitionId, competitorId));
}

/** Changes a competitor's registration; a new unit or region re-applies recusal on every panel. */
export async function updateCompetitor(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  competitorId: string,
  body: UpdateCompetitorRequest,
): Promise<CompetitorCreated> {
  const identity = body.idNumber === undefined ? undefined : identifyOrThrow(app, body.idNumber);
  const outcome = await audited(app, async (tx, audit): Promise<Outcome<CompetitorCreated>> => {
    const found = await findCompetitor(tx, competitionId, competitorId);
    await lockEvent(tx, found.eventId);
    const before = await findCompetitor(tx, competitionId, competitorId);
    const changes: Partial<typeof competitors.$inferInsert> = {};
    for (const field of [
      'name',
      'unit',
      'region',
      'frontline',
      'unionMember',
      'skillLevel',
      'unitHead',
    ] as const) {
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
      const plan = planCompetitors(panelSeatings, [after], competition.recusalByRegion, existing);
      if (plan.unroutable.length > 0) {
        await audit(competitionId, {
          affects: 'noStandings',
          actor: actorOf(principal),
          action: 'competitor.updateRefused',
          subject: `competitor:${before.id}`,
          detail: {
            reason: 'recusal: no reserve judge free of conflict',
            unit: after.unit,
            region: after.region,
            conflicts: plan.unroutable.map(auditConflict),
          },
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
    const [row] = await tx.update(competitors).set(changes).where(eq(competitors.id, before.id)).returning();
    if (!row) throw new Error('update returned nothing');
    const { idNumberHash: _hash, ...shown } = changes;
    await audit(competitionId, {
      affects: { eventId: row.eventId },
      actor: actorOf(principal),
      action: 'competitor.updated',
      subject: `competitor:${row.id}`,
      detail: { changes: shown, ...routingDetail },
    });
    return { ok: true, value: { competitor: competitorView(row), routings } };
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw duplicateId();
    throw error;
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

// ── Judges ──────────────────────────────────────────────────────────────────────────────────────────

export async function createJudge(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  body: CreateJudgeRequest,
): Promise<JudgeView> {
  return audited(app, async (tx, audit) => {
    const [row] = await tx
      .insert(judges)
      .values({ competitionId, name: body.name, unit: body.unit, region: body.region })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(competitionId, {
      affects: 'noStandings',
      actor: actorOf(principal),
      action: 'judge.added',
      subject: `judge:${row.id}`,
      detail: { name: row.name, unit: row.unit, region: row.region },
    });
    return judgeView(row);
  });
}

export async function listJudges(app: FastifyInstance, competitionId: string): Promise<JudgeView[]> {
  const rows = await app.db
    .select()
    .from(judges)
    .where(eq(judges.competitionId, competitionId))
    .orderBy(asc(judges.createdAt), asc(judges.id));
  return rows.map(judgeView);
}
