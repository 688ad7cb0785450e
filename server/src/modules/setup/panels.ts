import {
  type Aspect,
  allAspects,
  type CreatePanelRequest,
  type PanelView,
  type RecusalConflict,
  type RecusalReason,
  type Scheme,
  type SeatAssigned,
} from '@jiangxin/shared';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Executor } from '../../db/client';
import { competitors, judges, panelSeats, panels, recusals } from '../../db/schema';
import type { Principal } from '../../plugins/auth';
import { AppError, type Locale, localized } from '../../plugins/errors';
import { compareSeats, parseSeat } from '../../scoring/seating';
import { audited } from '../audit/service';
import {
  actorOf,
  type EventRow,
  findCompetition,
  findEvent,
  findJudge,
  findPanel,
  isoNow,
  lockEvent,
  schemeOf,
} from './common';
import {
  applyPlan,
  auditConflict,
  auditRouting,
  describeConflicts,
  existingRecusals,
  planPanel,
  type SeatedJudge,
} from './recusal';

type PanelRow = typeof panels.$inferSelect;

/** How many judges an aspect needs (deductions and vetoes are recorded by one). */
const judgesFor = (a: Aspect) => (a.kind === 'judgement' || a.kind === 'measurement' ? a.panel : 1);

/** The marking seats a panel has: the most judges any of its aspects needs. */
export function panelSize(scheme: Scheme, aspects: readonly string[]): number {
  const marked = allAspects(scheme).filter((a) => aspects.length === 0 || aspects.includes(a.id));
  return Math.max(1, ...marked.map(judgesFor));
}

export async function createPanel(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  eventId: string,
  body: CreatePanelRequest,
): Promise<PanelView> {
  const event = await findEvent(app.db, competitionId, eventId);
  const scheme = schemeOf(event);
  const known = allAspects(scheme).map((a) => a.id);
  const aspects = body.aspects ?? [];
  aspects.forEach((id, index) => {
    if (!known.includes(id)) {
      throw new AppError(
        400,
        'aspect_unknown',
        localized(
          `字段 aspects.${index}：本赛项的评分标准中没有评分项“${id}”；现有评分项：${known.join('、')}`,
          `field "aspects.${index}": the event's scheme has no aspect "${id}"; its aspects are ${known.join(', ')}`,
        ),
        { field: `aspects.${index}`, aspects: known },
      );
    }
    if (aspects.indexOf(id) !== index) {
      throw new AppError(
        400,
        'aspect_repeated',
        localized(
          `字段 aspects.${index}：评分项“${id}”重复`,
          `field "aspects.${index}": the aspect "${id}" is repeated`,
        ),
        { field: `aspects.${index}` },
      );
    }
  });
  return audited(app, async (tx, audit) => {
    const [row] = await tx.insert(panels).values({ eventId: event.id, name: body.name, aspects }).returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(competitionId, {
      affects: { eventId: event.id },
      actor: actorOf(principal),
      action: 'panel.created',
      subject: `panel:${row.id}`,
      detail: { eventId: event.id, name: row.name, aspects, size: panelSize(scheme, aspects) },
    });
    return panelView(tx, row, event);
  });
}

/** A panel with its seats and recusals (organizer and chief judge only: it names competitors). */
export async function panelView(db: Executor, panel: PanelRow, event: EventRow): Promise<PanelView> {
  const seatRows = await db
    .select({
      seat: panelSeats.seat,
      judgeId: judges.id,
      name: judges.name,
      unit: judges.unit,
      region: judges.region,
    })
    .from(panelSeats)
    .innerJoin(judges, eq(judges.id, panelSeats.judgeId))
    .where(eq(panelSeats.panelId, panel.id));
  seatRows.sort((a, b) => compareSeats(a.seat, b.seat));
  const recusalRows = await db
    .select({
      judgeId: recusals.judgeId,
      competitorId: recusals.competitorId,
      entryNumber: competitors.entryNumber,
      competitorName: competitors.name,
      reason: recusals.reason,
      substituteJudgeId: recusals.substituteJudgeId,
      createdAt: recusals.createdAt,
    })
    .from(recusals)
    .innerJoin(competitors, eq(competitors.id, recusals.competitorId))
    .where(eq(recusals.panelId, panel.id))
    .orderBy(asc(competitors.entryNumber), asc(recusals.createdAt));
  const seatOf = (judgeId: string | null) => seatRows.find((s) => s.judgeId === judgeId)?.seat ?? null;
  return {
    id: panel.id,
    eventId: panel.eventId,
    name: panel.name,
    aspects: panel.aspects,
    size: panelSize(schemeOf(event), panel.aspects),
    seats: seatRows,
    recusals: recusalRows.map((r) => ({
      ...r,
      reason: r.reason as RecusalReason,
      seat: seatOf(r.judgeId),
      substituteSeat: seatOf(r.substituteJudgeId),
      createdAt: isoNow(r.createdAt),
    })),
  };
}

export async function getPanel(app: FastifyInstance, competitionId: string, panelId: string) {
  const { panel, event } = await findPanel(app.db, competitionId, panelId);
  return panelView(app.db, panel, event);
}

export async function listPanels(app: FastifyInstance, competitionId: string, eventId: string) {
  const event = await findEvent(app.db, competitionId, eventId);
  const rows = await app.db
    .select()
    .from(panels)
    .where(eq(panels.eventId, event.id))
    .orderBy(asc(panels.createdAt), asc(panels.id));
  return Promise.all(rows.map((row) => panelView(app.db, row, event)));
}

function checkSeat(seat: string, size: number) {
  const parsed = parseSeat(seat);
  if (!parsed) {
    throw new AppError(
      400,
      'seat_invalid',
      localized(
        `路径参数 seat：“${seat.slice(0, 8)}”不是席位；评分席位为 J1…J${size}，备用席位为 R1、R2…`,
        `path parameter "seat": "${seat.slice(0, 8)}" is not a seat; marking seats are J1…J${size}, reserve seats R1, R2 …`,
      ),
      { field: 'seat' },
    );
  }
  if (parsed.kind === 'J' && parsed.number > size) {
    throw new AppError(
      400,
      'seat_out_of_range',
      localized(
        `路径参数 seat：本裁判组的评分项需要 ${size} 名裁判，评分席位为 J1…J${size}，没有 ${seat}`,
        `path parameter "seat": this panel's aspects need ${size} judge${size > 1 ? 's' : ''}, so its marking seats are J1…J${size}; there is no ${seat}`,
      ),
      { field: 'seat', size },
    );
  }
}

type SeatOutcome = { ok: true; value: SeatAssigned } | { ok: false; error: AppError };

/** The seats of a panel, with the judge of each. */
async function seatsOf(db: Executor, panelId: string): Promise<SeatedJudge[]> {
  const rows = await db
    .select({ seat: panelSeats.seat, id: judges.id, unit: judges.unit, region: judges.region })
    .from(panelSeats)
    .innerJoin(judges, eq(judges.id, panelSeats.judgeId))
    .where(eq(panelSeats.panelId, panelId));
  return rows.map((r) => ({ seat: r.seat, judge: { id: r.id, unit: r.unit, region: r.region } }));
}

const refusal = (conflicts: RecusalConflict[], judgeName: string | null, seat: string) => {
  const list = (l: Locale) => describeConflicts(conflicts, l);
  const seats = [...new Set(conflicts.map((c) => c.seat))].sort(compareSeats);
  const who = (l: Locale) =>
    judgeName
      ? l === 'zh-CN'
        ? `${seat} 席裁判 ${judgeName}`
        : `judge ${judgeName} at seat ${seat}`
      : l === 'zh-CN'
        ? `${seats.join('、')} 席的裁判`
        : `the judge${seats.length > 1 ? 's' : ''} at seat${seats.length > 1 ? 's' : ''} ${seats.join(', ')}`;
  return new AppError(
    409,
    'recusal_unroutable',
    localized(
      `${who('zh-CN')}须回避${list('zh-CN')}，而本裁判组没有可替换的无冲突备用裁判（R1、R2…）；请先安排备用裁判或改派其他裁判`,
      `${who('en')} must not mark ${list('en')}, and the panel has no reserve judge (R1, R2 …) free of conflict to take over; seat a reserve or choose another judge`,
    ),
    {
      conflicts: conflicts.map((c) => ({
        seat: c.seat,
        judgeId: c.judgeId,
        competitorId: c.competitorId,
        entryNumber: c.entryNumber,
        reason: c.reason,
      })),
    },
  );
};

/**
 * Seats a judge (J1…Jn to mark, R1… as a reserve), replacing whoever sat there. Recusal is planned for the
 * whole panel as it would be: each competitor a marking judge must not mark goes to a free reserve; if one
 * cannot, nothing changes, the refusal is recorded in the audit log and the answer is 409.
 */
export async function assignSeat(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  panelId: string,
  seat: string,
  judgeId: string,
): Promise<SeatAssigned> {
  const outcome = await audited(app, async (tx, audit): Promise<SeatOutcome> => {
    const { panel, event } = await findPanel(tx, competitionId, panelId);
    checkSeat(seat, panelSize(schemeOf(event), panel.aspects));
    const judge = await findJudge(tx, competitionId, judgeId);
    await lockEvent(tx, event.id);
    const seats = await seatsOf(tx, panel.id);
    const occupant = seats.find((s) => s.seat === seat);
    if (occupant?.judge.id === judge.id) {
      return { ok: true, value: { panel: await panelView(tx, panel, event), routings: [] } };
    }
    const elsewhere = seats.find((s) => s.judge.id === judge.id);
    if (elsewhere) {
      throw new AppError(
        409,
        'judge_already_seated',
        localized(
          `裁判 ${judge.name} 已在本裁判组的 ${elsewhere.seat} 席；请先撤下再改派`,
          `judge ${judge.name} already sits at seat ${elsewhere.seat} of this panel; clear that seat first`,
        ),
        { seat: elsewhere.seat },
      );
    }
    const next = [
      ...seats.filter((s) => s.seat !== seat),
      { seat, judge: { id: judge.id, unit: judge.unit, region: judge.region } },
    ];
    const { plan, existing } = await planSeating(tx, competitionId, event.id, panel.id, next);
    if (plan.unroutable.length > 0) {
      const mine = plan.unroutable.some((c) => c.judgeId === judge.id);
      await audit(competitionId, {
        affects: 'noStandings',
        actor: actorOf(principal),
        action: 'panel.seatRefused',
        subject: `panel:${panel.id}`,
        detail: {
          seat,
          judgeId: judge.id,
          reason: 'recusal: no reserve judge free of conflict',
          conflicts: plan.unroutable.map(auditConflict),
        },
      });
      return { ok: false, error: refusal(plan.unroutable, mine ? judge.name : null, seat) };
    }
    if (occupant) {
      await tx
        .delete(panelSeats)
        .where(and(eq(panelSeats.panelId, panel.id), eq(panelSeats.judgeId, occupant.judge.id)));
    }
    await tx.insert(panelSeats).values({ panelId: panel.id, judgeId: judge.id, seat });
    const applied = await applyPlan(tx, existing, plan.routings);
    await audit(competitionId, {
      affects: { eventId: event.id },
      actor: actorOf(principal),
      action: 'panel.judgeSeated',
      subject: `panel:${panel.id}`,
      detail: {
        seat,
        judgeId: judge.id,
        replacedJudgeId: occupant?.judge.id ?? null,
        routings: applied.changed.map(auditRouting),
        recusalsRemoved: applied.removed.map((r) => ({ judgeId: r.judgeId, competitorId: r.competitorId })),
      },
    });
    return { ok: true, value: { panel: await panelView(tx, panel, event), routings: applied.changed } };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Clears a seat; refused (and recorded) when it would leave a recused competitor without a reserve. */
export async function clearSeat(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  panelId: string,
  seat: string,
): Promise<SeatAssigned> {
  const outcome = await audited(app, async (tx, audit): Promise<SeatOutcome> => {
    const { panel, event } = await findPanel(tx, competitionId, panelId);
    checkSeat(seat, panelSize(schemeOf(event), panel.aspects));
    await lockEvent(tx, event.id);
    const seats = await seatsOf(tx, panel.id);
    const occupant = seats.find((s) => s.seat === seat);
    if (!occupant) {
      throw new AppError(
        404,
        'seat_empty',
        localized(`${seat} 席没有裁判`, `no judge sits at seat ${seat}`),
        { field: 'seat' },
      );
    }
    const next = seats.filter((s) => s.seat !== seat);
    const { plan, existing } = await planSeating(tx, competitionId, event.id, panel.id, next);
    if (plan.unroutable.length > 0) {
      await audit(competitionId, {
        affects: 'noStandings',
        actor: actorOf(principal),
        action: 'panel.seatRefused',
        subject: `panel:${panel.id}`,
        detail: {
          seat,
          judgeId: null,
          reason: 'recusal: no reserve judge free of conflict',
          conflicts: plan.unroutable.map(auditConflict),
        },
      });
      return { ok: false, error: refusal(plan.unroutable, null, seat) };
    }
    await tx
      .delete(panelSeats)
      .where(and(eq(panelSeats.panelId, panel.id), eq(panelSeats.judgeId, occupant.judge.id)));
    const applied = await applyPlan(tx, existing, plan.routings);
    await audit(competitionId, {
      affects: { eventId: event.id },
      actor: actorOf(principal),
      action: 'panel.judgeUnseated',
      subject: `panel:${panel.id}`,
      detail: {
        seat,
        judgeId: occupant.judge.id,
        routings: applied.changed.map(auditRouting),
        recusalsRemoved: applied.removed.map((r) => ({ judgeId: r.judgeId, competitorId: r.competitorId })),
      },
    });
    return { ok: true, value: { panel: await panelView(tx, panel, event), routings: applied.changed } };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** The ids of the events whose panels seat a judge (a judge's tablet may read those rounds). */
export async function eventsSeating(db: Executor, judgeId: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db
    .select({ eventId: panels.eventId })
    .from(panelSeats)
    .innerJoin(panels, eq(panels.id, panelSeats.panelId))
    .where(and(eq(panelSeats.judgeId, judgeId), inArray(panels.eventId, eventIds)));
  return new Set(rows.map((r) => r.eventId));
}

/** The recusal plan of a panel if it had these seats (every competitor of the event against every judge), and the recusals it would replace. */
async function planSeating(
  tx: Executor,
  competitionId: string,
  eventId: string,
  panelId: string,
  seats: Parameters<typeof planPanel>[1],
) {
  const competition = await findCompetition(tx, competitionId);
  const eventCompetitors = await tx
    .select({
      id: competitors.id,
      unit: competitors.unit,
      region: competitors.region,
      entryNumber: competitors.entryNumber,
    })
    .from(competitors)
    .where(eq(competitors.eventId, eventId));
  const existing = await existingRecusals(tx, { panelId });
  return {
    plan: planPanel(panelId, seats, eventCompetitors, competition.recusalByRegion, existing),
    existing,
  };
}
