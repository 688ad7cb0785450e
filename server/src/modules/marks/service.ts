import { randomUUID } from 'node:crypto';
import {
  type Aspect,
  checkMarkValue,
  Decimal,
  describeItems,
  type ItemRef,
  type MarkView,
  type MyMarksResponse,
  type PaperMarkRequest,
  type PaperMarkView,
  type SubmitMarkRequest,
} from '@jiangxin/shared';
import type { Database, Executor } from '../../db/client';
import { type JudgeClaims, principalOfClaims } from '../../plugins/auth';
import { AppError } from '../../plugins/errors';
import { roundClosed, roundSignedOff } from '../../refusals';
import { difficultiesOf, effectiveMarks, type RoundCompetitor, type RoundContext } from '../../scoring/round';
import type { CheckedRound, RoundCache } from '../../scoring/round-cache';
import { type RoundView, roundView } from '../../scoring/round-view';
import { judgeSlot } from '../../scoring/seating';
import { audited, type Writer } from '../audit/service';
import {
  itemUnknown,
  markIdConflict,
  markUnknown,
  notYourPanel,
  paperValueMismatch,
  recused,
  samePerson,
  seatUnknown,
  valueInvalid,
  workstationUnknown,
} from './errors';
import type { GroupCommit, PreparedMark } from './group-commit';
import {
  bodyHash,
  correctionMarks,
  correctionsOf,
  findMark,
  insertPaperConfirmation,
  lockRound,
  type MarkRow,
  paperConfirmation,
  remarkOrdersOf,
  unconfirmedPaperMarks,
} from './repository';
import { canonicalValue, correctionView, markTarget, markView, remarkView } from './views';

/**
 * A judge's mark on its way in: checked against the round, the scheme, the panels and recusals, then stored
 * once (the client id is the primary key; INSERT … ON CONFLICT DO NOTHING) with its audit entry in the same
 * transaction, its competition's group commit (group-commit.ts). The round row is read FOR SHARE in that
 * transaction and sign-off takes it FOR UPDATE, so no mark slips in after the lock.
 */

export interface Stored<T> {
  /** True when this request stored it; false for a retry answered with the original. */
  created: boolean;
  value: T;
}

export function resolveTarget(
  view: RoundView,
  workstation: string,
  item: string,
): [RoundCompetitor, ItemRef] {
  const competitor = view.byCode.get(workstation);
  if (!competitor) throw workstationUnknown(workstation);
  const ref = view.ref(item);
  if (!ref) throw itemUnknown(item, describeItems(view.ctx.scheme, view.ctx.round.key));
  return [competitor, ref];
}

export function checkValue(aspect: Aspect, value: string) {
  if (checkMarkValue(aspect, Decimal.of(value)) !== null) throw valueInvalid(aspect, value);
}

/** The judge's seat for the item of the competitor, or the refusal. */
export function seatOfJudge(
  view: RoundView,
  competitor: RoundCompetitor,
  ref: ItemRef,
  judgeId: string,
  item: string,
) {
  const slot = judgeSlot(
    view.seating,
    { aspectId: ref.aspect.id, attempt: ref.attempt },
    competitor,
    judgeId,
  );
  if ('refused' in slot) {
    throw slot.refused === 'recused' ? recused(competitor.code) : notYourPanel(item);
  }
  return slot.seat;
}

/** The judge marking in a seat, for entries made on a judge's behalf (paper sheets, corrections). */
export function judgeInSeat(view: RoundView, competitor: RoundCompetitor, seat: string, item: string) {
  const slots = view.slots(item, competitor.id);
  const slot = slots.find((s) => s.seat === seat);
  if (!slot)
    throw seatUnknown(
      seat,
      item,
      slots.map((s) => s.seat),
    );
  if (slot.judgeId === null) throw recused(competitor.code, seat);
  return slot.judgeId;
}

/** Answers a repeated id: the original if the body is the same, otherwise a refusal (never a change). */
function replay(existing: MarkRow, hash: string) {
  if (existing.bodyHash !== hash) throw markIdConflict();
}

async function existingView(view: RoundView, row: MarkRow, ex: Executor): Promise<MarkView> {
  const confirmation = row.source === 'paper' ? await paperConfirmation(ex, row.id) : undefined;
  return markView(row, view.code(row.competitorId), view.seatOf(row), confirmation?.confirmedAt ?? null);
}

/** Who a mark is from, as the tablet or the paper sheet tells it. */
interface MarkOrigin {
  source: 'tablet' | 'paper';
  /** The device or account that entered it. */
  enteredBy: string;
  actor: string;
  action: string;
  /** What identifies a retry of the same entry, beside the round, workstation, item and value. */
  hashed: Record<string, string>;
  /** The judge the mark is from and their seat (or the refusal). */
  seatOf(
    view: RoundView,
    competitor: RoundCompetitor,
    ref: ItemRef,
    item: string,
  ): { judgeId: string; seat: string };
  /** Paper marks count once confirmed: they are shown unconfirmed. */
  confirmedAt?: null;
  /** A judge token not yet compared with its device row: the group commit does (decision 027). */
  token?: JudgeClaims | null;
}

type MarkBody = { id: string; workstation: string; item: string; value: string };

/** The canonical item and value of a body and the hash that tells a retry from a different mark. */
function hashed({ ctx, view }: CheckedRound, body: MarkBody, origin: MarkOrigin) {
  const item = view.canonical(body.item);
  const value = canonicalValue(body.value);
  const hash = bodyHash({
    kind: origin.source,
    roundId: ctx.round.id,
    ...origin.hashed,
    workstation: body.workstation,
    item,
    value,
  });
  return { item, value, hash };
}

/** Checks a mark against the round, target, seat and value; what to store and audit, or the refusal. */
function prepare(round: CheckedRound, body: MarkBody, origin: MarkOrigin): PreparedMark {
  const { ctx, view } = round;
  const { item, value, hash } = hashed(round, body, origin);
  if (ctx.round.signedOffAt) throw roundSignedOff();
  if (ctx.round.markingClosedAt) throw roundClosed();
  const [competitor, ref] = resolveTarget(view, body.workstation, item);
  const { judgeId, seat } = origin.seatOf(view, competitor, ref, item);
  checkValue(ref.aspect, value);
  return {
    values: {
      id: body.id,
      roundId: ctx.round.id,
      competitorId: competitor.id,
      item,
      judgeId,
      value,
      source: origin.source,
      enteredBy: origin.enteredBy,
      bodyHash: hash,
    },
    entry: {
      actor: origin.actor,
      action: origin.action,
      detail: {
        markId: body.id,
        ...markTarget(ctx, competitor, { item, seat, judgeId, value }),
        source: origin.source,
      },
    },
    competitorCode: competitor.code,
    seat,
  };
}

/** What the mark path keeps between marks: the rounds it checks against and its group commit. */
export interface Marking {
  writer: Writer;
  rounds: RoundCache;
  commits: GroupCommit;
}

/**
 * The one path of a mark into storage, from a tablet or a paper sheet: checked against the round as last
 * read (a refusal only from the round read again, and a known id is then a retry answered with the original,
 * or refused when the body differs), then stored once with its audit entry in its competition's next group
 * commit, which checks it again under the lock when the setup changed meanwhile.
 */
async function storeMark(
  marking: Marking,
  competitionId: string,
  roundId: string,
  body: MarkBody,
  origin: MarkOrigin,
): Promise<Stored<MarkView>> {
  const { db } = marking.writer;
  let round = await marking.rounds.get(competitionId, roundId);
  let prepared: PreparedMark;
  try {
    prepared = prepare(round, body, origin);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Answered here, not by the group: a token that no longer holds is refused as such first.
    if (origin.token) await principalOfClaims(db, origin.token);
    round = await marking.rounds.load(db, competitionId, roundId);
    const known = await findMark(db, body.id);
    if (known) {
      replay(known, hashed(round, body, origin).hash);
      return { created: false, value: await existingView(round.view, known, db) };
    }
    prepared = prepare(round, body, origin);
  }
  const outcome = await marking.commits.store(competitionId, {
    roundId,
    position: round.position,
    prepared,
    token: origin.token ?? null,
    recheck: (fresh) => prepare(fresh, body, origin),
  });
  if (!outcome.created) return { created: false, value: await existingView(round.view, outcome.row, db) };
  const { row, prepared: stored } = outcome;
  return {
    created: true,
    value:
      origin.confirmedAt === null
        ? markView(row, stored.competitorCode, stored.seat, null)
        : markView(row, stored.competitorCode, stored.seat),
  };
}

/** POST …/marks: a judge's mark from the tablet. */
export function submitTabletMark(
  marking: Marking,
  competitionId: string,
  roundId: string,
  judge: { judgeId: string; deviceId: string; token: JudgeClaims | null },
  body: SubmitMarkRequest,
): Promise<Stored<MarkView>> {
  return storeMark(marking, competitionId, roundId, body, {
    token: judge.token,
    source: 'tablet',
    enteredBy: judge.deviceId,
    actor: `device:${judge.deviceId}`,
    action: 'mark.submitted',
    hashed: { judgeId: judge.judgeId },
    seatOf: (view, competitor, ref, item) => ({
      judgeId: judge.judgeId,
      seat: seatOfJudge(view, competitor, ref, judge.judgeId, item),
    }),
  });
}

/** POST …/paper-marks: a scorekeeper copies a mark from a signed sheet; it counts once someone else confirms. */
export function submitPaperMark(
  marking: Marking,
  competitionId: string,
  roundId: string,
  accountId: string,
  body: PaperMarkRequest,
): Promise<Stored<MarkView>> {
  return storeMark(marking, competitionId, roundId, body, {
    source: 'paper',
    enteredBy: accountId,
    actor: `account:${accountId}`,
    action: 'mark.paperEntered',
    hashed: { enteredBy: accountId, seat: body.seat },
    seatOf: (view, competitor, _ref, item) => ({
      judgeId: judgeInSeat(view, competitor, body.seat, item),
      seat: body.seat,
    }),
    confirmedAt: null,
  });
}

/** POST …/paper-marks/:markId/confirm: a second person confirms a paper mark; then it counts. */
export async function confirmPaperMark(
  writer: Writer,
  ctx: RoundContext,
  accountId: string,
  markId: string,
  readValue: string | undefined,
): Promise<Stored<MarkView>> {
  const mark = await findMark(writer.db, markId);
  if (!mark || mark.roundId !== ctx.round.id || mark.source !== 'paper') throw markUnknown();
  if (mark.enteredBy === accountId) throw samePerson();
  const view = await roundView(writer.db, ctx);
  const done = await paperConfirmation(writer.db, markId);
  if (done)
    return {
      created: false,
      value: markView(mark, view.code(mark.competitorId), view.seatOf(mark), done.confirmedAt),
    };
  if (readValue !== undefined && !Decimal.of(readValue).eq(Decimal.of(mark.value))) {
    throw paperValueMismatch(canonicalValue(mark.value), canonicalValue(readValue));
  }
  const seat = view.seatOf(mark);
  const workstation = view.code(mark.competitorId);

  const result = await audited(writer, async (tx, audit) => {
    const round = await lockRound(tx, ctx.round.id, 'share');
    if (round.signedOffAt) {
      const confirmed = await paperConfirmation(tx, markId);
      if (confirmed) return { created: false, confirmedAt: confirmed.confirmedAt };
      throw roundSignedOff();
    }
    const inserted = await insertPaperConfirmation(tx, markId, accountId);
    if (!inserted) {
      const confirmed = await paperConfirmation(tx, markId);
      return { created: false, confirmedAt: confirmed?.confirmedAt ?? null };
    }
    await audit(ctx.competitionId, {
      affects: { roundId: ctx.round.id },
      actor: `account:${accountId}`,
      action: 'mark.paperConfirmed',
      subject: `mark:${markId}`,
      detail: {
        markId,
        roundId: ctx.round.id,
        workstation,
        item: mark.item,
        seat,
        value: canonicalValue(mark.value),
        enteredBy: mark.enteredBy,
        confirmedBy: accountId,
      },
    });
    return { created: true, confirmedAt: inserted.confirmedAt };
  });
  return { created: result.created, value: markView(mark, workstation, seat, result.confirmedAt) };
}

/** GET …/paper-marks: the round's paper marks still waiting for a second person. */
export async function pendingPaperMarks(ex: Executor, view: RoundView): Promise<PaperMarkView[]> {
  const roundId = view.ctx.round.id;
  const [rows, inForce] = await Promise.all([
    unconfirmedPaperMarks(ex, roundId),
    effectiveMarks(ex, [roundId]),
  ]);
  return rows.map((row) => ({
    ...markView(row, view.code(row.competitorId), view.seatOf(row), null),
    enteredBy: row.enteredBy,
    superseded: inForce.some(
      (m) =>
        m.competitorId === row.competitorId &&
        m.item === row.item &&
        m.judgeId === row.judgeId &&
        m.seq > row.seq,
    ),
  }));
}

/**
 * GET …/my-marks: what the judge marks, the judge's marks in force, the open re-mark orders and the
 * corrections of the judge's marks.
 */
export async function myMarks(
  db: Database,
  ctx: RoundContext,
  judgeId: string,
): Promise<Omit<MyMarksResponse, 'round'>> {
  const view = await roundView(db, ctx);
  const [all, orders, corrections, correctionMarkIds, declared] = await Promise.all([
    effectiveMarks(db, [ctx.round.id]),
    remarkOrdersOf(db, ctx.round.id),
    correctionsOf(db, ctx.round.id, judgeId),
    correctionMarks(db, ctx.round.id),
    difficultiesOf(db, [ctx.round.id]),
  ]);
  const items = view.items();
  const attemptsOf = (competitorId: string) =>
    declared
      .filter((d) => d.competitorId === competitorId)
      .map((d) => ({ attempt: d.attempt, difficulty: Decimal.of(d.difficulty).toString() }))
      .sort((a, b) => a.attempt - b.attempt);
  const assignments = view.competitors
    .map((competitor) => ({
      workstation: competitor.code,
      items: items.filter((item) => view.slots(item, competitor.id).some((s) => s.judgeId === judgeId)),
      attempts: attemptsOf(competitor.id),
    }))
    .filter((a) => a.items.length > 0);
  const marks = all
    .filter((m) => m.judgeId === judgeId && view.byId.has(m.competitorId))
    .map((m) => markView(m, view.code(m.competitorId), view.seatOf(m)))
    .sort((a, b) => a.workstation.localeCompare(b.workstation) || a.item.localeCompare(b.item));
  const remarks = orders.flatMap((order) => {
    const slot = view.slots(order.item, order.competitorId).find((s) => s.judgeId === judgeId);
    if (!slot) return [];
    const remark = remarkView(view, order, all);
    return remark.pendingSeats.includes(slot.seat) ? [remark] : [];
  });
  return {
    assignments,
    marks,
    remarks,
    corrections: corrections.map((row) => correctionView(view, row, all, correctionMarkIds)),
  };
}

/** A fresh id for server-made marks (corrections). */
export const newMarkId = () => randomUUID();
