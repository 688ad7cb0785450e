import {
  type Aspect,
  allAspects,
  type CreatePanelRequest,
  type Localized,
  mostAttempts,
  type PanelCoverageRequest,
  type PanelView,
  type RecusalConflict,
  type RecusalReason,
  type Scheme,
  type SeatAssigned,
} from '@jiangxin/shared';
import type { Executor } from '../../db/client';
import type { Principal } from '../../plugins/auth';
import { AppError, type Locale, localized } from '../../plugins/errors';
import { schemeOf } from '../../scoring/round';
import { compareSeats, covers, type Field, fieldOf, parseSeat } from '../../scoring/seating';
import type { Writer } from '../audit/service';
import { changeBy, isoNow, type Outcome, type Recorder, type SetupDeps, settled } from './common';
import { auditRouting, describeConflicts, planPanel, recordRefusal, type SeatedJudge } from './recusal';
import {
  applyPlan,
  competitorRefs,
  type EventRow,
  existingRecusals,
  findCompetition,
  findEvent,
  findJudge,
  findPanel,
  insertPanel,
  lockEvent,
  markingStarted,
  type PanelRow,
  panelFields,
  panelsOf,
  panelsOfEvent,
  recusalsOfPanel,
  roundsOf,
  seatJudge,
  seatsOf,
  setCoverage,
  unseatJudge,
} from './repository';

/** How many judges an aspect needs (deductions and vetoes are recorded by one). */
const judgesFor = (a: Aspect) => (a.kind === 'judgement' || a.kind === 'measurement' ? a.panel : 1);

/** The marking seats a panel has: the most judges any of its aspects needs. */
export function panelSize(scheme: Scheme, aspects: readonly string[]): number {
  const marked = allAspects(scheme).filter((a) => aspects.length === 0 || aspects.includes(a.id));
  return Math.max(1, ...marked.map(judgesFor));
}

export function createPanelService({ writer }: SetupDeps) {
  const { db } = writer;
  return {
    createPanel: (principal: Principal, competitionId: string, eventId: string, body: CreatePanelRequest) =>
      createPanel(writer, principal, competitionId, eventId, body),

    replaceCoverage: (
      principal: Principal,
      ids: { competitionId: string; panelId: string },
      body: PanelCoverageRequest,
    ) => replaceCoverage(writer, principal, ids, body),

    async getPanel(competitionId: string, panelId: string) {
      const { panel, event } = await findPanel(db, competitionId, panelId);
      return panelView(db, panel, event);
    },

    async listPanels(competitionId: string, eventId: string) {
      const event = await findEvent(db, competitionId, eventId);
      const rows = await panelsOf(db, event.id);
      return Promise.all(rows.map((row) => panelView(db, row, event)));
    },

    /**
     * Seats a judge (J1…Jn to mark, R1… as a reserve), replacing whoever sat there. Recusal is planned for
     * the whole panel as it would be: each competitor a marking judge must not mark goes to a free reserve;
     * if one cannot, nothing changes, the refusal is recorded in the audit log and the answer is 409.
     */
    assignSeat(
      principal: Principal,
      ids: { competitionId: string; panelId: string; seat: string },
      judgeId: string,
    ): Promise<SeatAssigned> {
      return atSeat(writer, principal, ids, async (at) => {
        const judge = await findJudge(at.tx, ids.competitionId, judgeId);
        const { seat, seats, occupant } = at;
        if (occupant?.judge.id === judge.id) {
          return { ok: true, value: { panel: await panelView(at.tx, at.panel, at.event), routings: [] } };
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
        checkMarkingSeats(next, seat, panelSize(schemeOf(at.event.id, at.event.scheme), at.panel.aspects));
        return reseat(at, next, judge, {
          write: () => seatJudge(at.tx, at.panel.id, seat, judge.id, occupant?.judge.id),
          action: 'panel.judgeSeated',
          detail: { seat, judgeId: judge.id, replacedJudgeId: occupant?.judge.id ?? null },
        });
      });
    },

    /** Clears a seat; refused (and recorded) when it would leave a recused competitor without a reserve. */
    clearSeat(principal: Principal, ids: { competitionId: string; panelId: string; seat: string }) {
      return atSeat(writer, principal, ids, async (at) => {
        const { seat, seats, occupant } = at;
        if (!occupant) {
          throw new AppError(
            404,
            'seat_empty',
            localized(`${seat} 席没有裁判`, `no judge sits at seat ${seat}`),
            { field: 'seat' },
          );
        }
        return reseat(
          at,
          seats.filter((s) => s.seat !== seat),
          null,
          {
            write: () => unseatJudge(at.tx, at.panel.id, occupant.judge.id),
            action: 'panel.judgeUnseated',
            detail: { seat, judgeId: occupant.judge.id },
          },
        );
      });
    },
  };
}

async function createPanel(
  writer: Writer,
  principal: Principal,
  competitionId: string,
  eventId: string,
  body: CreatePanelRequest,
): Promise<PanelView> {
  const event = await findEvent(writer.db, competitionId, eventId);
  const scheme = schemeOf(event.id, event.scheme);
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
  return changeBy(writer, principal, competitionId, async (tx, record) => {
    await lockEvent(tx, event.id);
    const coverage = await checkedCoverage(tx, event, { name: body.name, aspects }, body);
    const row = await insertPanel(tx, { eventId: event.id, name: body.name, aspects });
    await setCoverage(tx, row.id, coverage);
    await record({
      affects: { eventId: event.id },
      action: 'panel.created',
      subject: `panel:${row.id}`,
      detail: { eventId: event.id, name: row.name, aspects, size: panelSize(scheme, aspects), ...coverage },
    });
    return panelView(
      tx,
      { ...row, roundId: coverage.roundId, group: coverage.group, attempts: coverage.attempts },
      event,
    );
  });
}

type Coverage = {
  roundId: string | null;
  group: string;
  competitorIds: string[];
  attempts: number[];
};

/**
 * A panel's coverage as asked, checked: the round is one of the event's, each competitor is the event's and
 * named once, and no other panel marks one of its competitors for one of its aspects in one of its rounds.
 */
async function checkedCoverage(
  tx: Executor,
  event: EventRow,
  panel: { id?: string; name: string; aspects: readonly string[] },
  body: PanelCoverageRequest,
): Promise<Coverage> {
  const roundId = body.roundId ?? null;
  const rounds = await roundsOf(tx, event.id);
  if (roundId !== null && !rounds.some((r) => r.id === roundId)) {
    throw new AppError(
      400,
      'round_not_in_event',
      localized('字段 roundId：此赛项没有该场次', 'field "roundId": the event has no such round'),
      { field: 'roundId' },
    );
  }
  const competitorIds = body.competitorIds ?? [];
  const known = new Set((await competitorRefs(tx, event.id)).map((c) => c.id));
  competitorIds.forEach((id, index) => {
    if (!known.has(id)) {
      throw new AppError(
        400,
        'competitor_not_in_event',
        localized(
          `字段 competitorIds.${index}：此赛项没有该选手`,
          `field "competitorIds.${index}": the event has no such competitor`,
        ),
        { field: `competitorIds.${index}` },
      );
    }
    if (competitorIds.indexOf(id) !== index) {
      throw new AppError(
        400,
        'competitor_repeated',
        localized(
          `字段 competitorIds.${index}：该选手重复`,
          `field "competitorIds.${index}": the competitor is repeated`,
        ),
        { field: `competitorIds.${index}` },
      );
    }
  });
  const attempts = checkedAttempts(event, rounds, roundId, body.attempts ?? []);
  const mine = { roundId, aspects: panel.aspects, attempts, field: fieldOf(competitorIds) };
  const other = (await panelsOfEvent(tx, event.id)).find((p) => p.id !== panel.id && overlap(mine, p));
  if (other) {
    throw new AppError(
      409,
      'panel_overlap',
      localized(
        `裁判组“${panel.name}”与“${other.name}”会在同一场次为同一选手评同一评分项；请分开两组的场次、选手或评分项`,
        `panels "${panel.name}" and "${other.name}" would mark the same aspect of the same competitor in the same round; give them different rounds, competitors, attempts or aspects`,
      ),
      { field: 'competitorIds', panels: [panel.id ?? null, other.id] },
    );
  }
  return { roundId, group: body.group ?? '', competitorIds, attempts };
}

/**
 * The attempts a panel marks, checked against the rounds it marks: each is one the scheme's attempted
 * components have in one of those rounds (a round may have fewer than the component), named once; sorted.
 */
function checkedAttempts(
  event: EventRow,
  rounds: readonly { id: string; key: string }[],
  roundId: string | null,
  attempts: readonly number[],
): number[] {
  if (attempts.length === 0) return [];
  const scheme = schemeOf(event.id, event.scheme);
  // A panel of every round may take an attempt that any round has.
  const most = mostAttempts(scheme, rounds.find((r) => r.id === roundId)?.key);
  attempts.forEach((attempt, index) => {
    if (attempt > most) {
      throw new AppError(
        400,
        'attempt_out_of_range',
        localized(
          most === 0
            ? `字段 attempts.${index}：本赛项的评分标准没有分次完成的项目（如跳水动作），不能按次分配裁判组`
            : `字段 attempts.${index}：该场次只有 ${most} 次动作，没有第 ${attempt} 次`,
          most === 0
            ? `field "attempts.${index}": the event's scheme has no attempts (such as dives) to divide between panels`
            : `field "attempts.${index}": the round has ${most} attempts, not ${attempt}`,
        ),
        { field: `attempts.${index}`, attempts: most },
      );
    }
    if (attempts.indexOf(attempt) !== index) {
      throw new AppError(
        400,
        'attempt_repeated',
        localized(
          `字段 attempts.${index}：第 ${attempt} 次重复`,
          `field "attempts.${index}": attempt ${attempt} is repeated`,
        ),
        { field: `attempts.${index}` },
      );
    }
  });
  return [...attempts].sort((a, b) => a - b);
}

type Scope = {
  roundId: string | null;
  aspects: readonly string[];
  attempts: readonly number[];
  field: Field;
};

/** Whether two panels would both mark an aspect of an attempt of a competitor in a round. */
function overlap(a: Scope, b: Scope): boolean {
  const rounds = a.roundId === null || b.roundId === null || a.roundId === b.roundId;
  const aspects =
    a.aspects.length === 0 || b.aspects.length === 0 || a.aspects.some((x) => b.aspects.includes(x));
  const attempts =
    a.attempts.length === 0 || b.attempts.length === 0 || a.attempts.some((x) => b.attempts.includes(x));
  const field = a.field === null || b.field === null || [...a.field].some((id) => covers(b, id));
  return rounds && aspects && attempts && field;
}

/** The competitors a panel marks (for its recusals): its list, or every competitor of the event. */
async function coveredCompetitors(tx: Executor, panel: PanelRow) {
  const all = await competitorRefs(tx, panel.eventId);
  const field = fieldOf((await panelFields(tx, [panel.id])).get(panel.id) ?? []);
  return all.filter((c) => covers({ field }, c.id));
}

/** The rounds whose marks a panel of this round (null: every round) would change. */
const roundsCovered = async (tx: Executor, eventId: string, roundId: string | null) =>
  roundId === null ? (await roundsOf(tx, eventId)).map((r) => r.id) : [roundId];

/** Refuses to change who marks a round once a mark of it has been entered. */
export async function assertNotMarked(tx: Executor, roundIds: readonly string[], what: Localized) {
  if (await markingStarted(tx, roundIds)) {
    throw new AppError(
      409,
      'marking_started',
      localized(
        `该场次已开始评分，不能再${what['zh-CN']}`,
        `marking has started in the round, so ${what.en} can no longer change`,
      ),
    );
  }
}

/**
 * PUT …/panels/:panelId/coverage: replaces the round, group and field of a panel before marking starts in
 * the rounds it covered or will cover; its recusals are planned anew for the competitors it will cover.
 */
async function replaceCoverage(
  writer: Writer,
  principal: Principal,
  ids: { competitionId: string; panelId: string },
  body: PanelCoverageRequest,
): Promise<PanelView> {
  return settled(
    changeBy(writer, principal, ids.competitionId, async (tx, record) => {
      const { panel, event } = await findPanel(tx, ids.competitionId, ids.panelId);
      await lockEvent(tx, event.id);
      const coverage = await checkedCoverage(tx, event, panel, body);
      await assertNotMarked(
        tx,
        [
          ...(await roundsCovered(tx, event.id, panel.roundId)),
          ...(await roundsCovered(tx, event.id, coverage.roundId)),
        ],
        localized('更改裁判组的评分范围', "the panel's coverage"),
      );
      const competition = await findCompetition(tx, ids.competitionId);
      const seats = await seatsOf(tx, panel.id);
      const field = fieldOf(coverage.competitorIds);
      const competitors = (await competitorRefs(tx, event.id)).filter((c) => covers({ field }, c.id));
      const existing = await existingRecusals(tx, { panelId: panel.id });
      const plan = planPanel(panel.id, seats, competitors, competition.recusalByRegion, existing);
      if (plan.unroutable.length > 0) {
        await recordRefusal(record, 'panel.coverageRefused', `panel:${panel.id}`, plan.unroutable, coverage);
        return { ok: false, error: refusal(plan.unroutable, null, '') };
      }
      await setCoverage(tx, panel.id, coverage);
      const applied = await applyPlan(tx, existing, plan.routings);
      await record({
        affects: { eventId: event.id },
        action: 'panel.coverageReplaced',
        subject: `panel:${panel.id}`,
        detail: {
          before: { roundId: panel.roundId, group: panel.group, attempts: panel.attempts },
          ...coverage,
          routings: applied.changed.map(auditRouting),
          recusalsRemoved: applied.removed.map((r) => ({ judgeId: r.judgeId, competitorId: r.competitorId })),
        },
      });
      return { ok: true, value: await panelView(tx, { ...panel, ...coverage }, event) };
    }),
  );
}

/** A panel with its seats and recusals (organizer and chief judge only: it names competitors). */
export async function panelView(db: Executor, panel: PanelRow, event: EventRow): Promise<PanelView> {
  const seatRows = (await seatsOf(db, panel.id)).map(({ seat, judge }) => ({
    seat,
    judgeId: judge.id,
    name: judge.name,
    unit: judge.unit,
    region: judge.region,
  }));
  seatRows.sort((a, b) => compareSeats(a.seat, b.seat));
  const recusalRows = await recusalsOfPanel(db, panel.id);
  const seatOf = (judgeId: string | null) => seatRows.find((s) => s.judgeId === judgeId)?.seat ?? null;
  const field = (await panelFields(db, [panel.id])).get(panel.id) ?? [];
  return {
    id: panel.id,
    eventId: panel.eventId,
    roundId: panel.roundId,
    name: panel.name,
    group: panel.group,
    competitorIds: field,
    attempts: panel.attempts,
    aspects: panel.aspects,
    size: panelSize(schemeOf(event.id, event.scheme), panel.aspects),
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

function checkSeat(seat: string) {
  if (!parseSeat(seat)) {
    throw new AppError(
      400,
      'seat_invalid',
      localized(
        `路径参数 seat：“${seat.slice(0, 8)}”不是席位；评分席位为 J1、J2…（可沿用裁判库的编号，如 J8），备用席位为 R1、R2…`,
        `path parameter "seat": "${seat.slice(0, 8)}" is not a seat; marking seats are J1, J2 … (a pool's numbering such as J8 is kept), reserve seats R1, R2 …`,
      ),
      { field: 'seat' },
    );
  }
}

/** What the scheme bounds is how many marking seats a panel has, not their numbers (J8…J14 is a panel of 7). */
function checkMarkingSeats(next: readonly SeatedJudge[], seat: string, size: number) {
  const marking = next.filter((s) => parseSeat(s.seat)?.kind === 'J').map((s) => s.seat);
  if (marking.length <= size) return;
  const others = marking.filter((s) => s !== seat).sort(compareSeats);
  throw new AppError(
    400,
    'seat_out_of_range',
    localized(
      `路径参数 seat：本裁判组的评分项需要 ${size} 名裁判，评分席位 ${others.join('、')} 已满，不能再设 ${seat}；请先撤下一席`,
      `path parameter "seat": this panel's aspects need ${size} judge${size > 1 ? 's' : ''} and its marking seats ${others.join(', ')} are full, so there is no room for ${seat}; clear a seat first`,
    ),
    { field: 'seat', size, seats: others },
  );
}

export const refusal = (conflicts: RecusalConflict[], judgeName: string | null, seat: string) => {
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

/** A seat of a panel inside a change: the panel's event locked, its seats and whoever sits at the seat. */
interface AtSeat {
  tx: Executor;
  record: Recorder;
  competitionId: string;
  panel: PanelRow;
  event: EventRow;
  seat: string;
  seats: SeatedJudge[];
  occupant: SeatedJudge | undefined;
}

/** Runs a change of one seat of a panel; a refusal it returns is thrown once recorded. */
function atSeat(
  writer: Writer,
  principal: Principal,
  { competitionId, panelId, seat }: { competitionId: string; panelId: string; seat: string },
  change: (at: AtSeat) => Promise<Outcome<SeatAssigned>>,
): Promise<SeatAssigned> {
  return settled(
    changeBy(writer, principal, competitionId, async (tx, record) => {
      const { panel, event } = await findPanel(tx, competitionId, panelId);
      checkSeat(seat);
      await lockEvent(tx, event.id);
      const seats = await seatsOf(tx, panel.id);
      const occupant = seats.find((s) => s.seat === seat);
      return change({ tx, record, competitionId, panel, event, seat, seats, occupant });
    }),
  );
}

/**
 * Gives the panel the seats `next` and plans recusal for them: refused (and recorded) when a competitor
 * would be left without a free reserve; otherwise `write` changes the seats and the entry is recorded.
 */
async function reseat(
  at: AtSeat,
  next: SeatedJudge[],
  judge: { id: string; name: string } | null,
  seated: { write: () => Promise<void>; action: string; detail: Record<string, unknown> },
): Promise<Outcome<SeatAssigned>> {
  const { tx, record, panel, event, seat } = at;
  const competition = await findCompetition(tx, at.competitionId);
  const existing = await existingRecusals(tx, { panelId: panel.id });
  const competitors = await coveredCompetitors(tx, panel);
  const plan = planPanel(panel.id, next, competitors, competition.recusalByRegion, existing);
  if (plan.unroutable.length > 0) {
    await recordRefusal(record, 'panel.seatRefused', `panel:${panel.id}`, plan.unroutable, {
      seat,
      judgeId: judge?.id ?? null,
    });
    const mine = judge !== null && plan.unroutable.some((c) => c.judgeId === judge.id);
    return { ok: false, error: refusal(plan.unroutable, mine ? judge.name : null, seat) };
  }
  await seated.write();
  const applied = await applyPlan(tx, existing, plan.routings);
  await record({
    affects: { eventId: event.id },
    action: seated.action,
    subject: `panel:${panel.id}`,
    detail: {
      ...seated.detail,
      routings: applied.changed.map(auditRouting),
      recusalsRemoved: applied.removed.map((r) => ({ judgeId: r.judgeId, competitorId: r.competitorId })),
    },
  });
  return { ok: true, value: { panel: await panelView(tx, panel, event), routings: applied.changed } };
}
