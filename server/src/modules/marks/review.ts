import {
  type DifficultyInput,
  type EventJson,
  type EventMarkInput,
  type EventResult,
  eventJson,
  type Flag,
  type MissingItem,
  type PaperMarkView,
  type RemarkRequest,
  type RemarkView,
  type ReviewCompetitor,
  type ReviewFlag,
  type ReviewResponse,
  type Role,
  type RoundResultsResponse,
  type Scheme,
  type SignOffBlockers,
  type SignOffRequest,
  scoreEvent,
} from '@jiangxin/shared';
import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { remarkOrders, rounds } from '../../db/schema';
import { AppError } from '../../plugins/errors';
import { appendAudit } from '../audit/service';
import { listCorrections } from './corrections';
import { alreadyDone, resultsNotPublished, roundNotSignedOff, roundSignedOff } from './errors';
import {
  difficultiesOf,
  type EffectiveMark,
  effectiveMarks,
  eventRounds,
  lockRound,
  type RoundContext,
  type RoundRow,
  remarkOrdersOf,
} from './repository';
import { compareSeats } from './seating';
import { pendingPaperMarks, resolveTarget, roundView } from './service';
import { type RoundView, roundStatus } from './views';

/**
 * The chief judge's side of a round: the standings computed by the shared engine from the marks in force
 * (by workstation code, judges by seat), what is missing, flagged or unconfirmed, re-mark orders, sign-off
 * (which locks the marks), decryption (by the encryption officer, after sign-off) and publication.
 *
 * Publication needs sign-off but not decryption: a round may be published by workstation code (the venue
 * announces 工位号 results while the encryption officer is still at work); the public results show names
 * from the moment the round is decrypted.
 */

/** This round's key and the earlier rounds it carries over, transitively. */
function carriedKeys(scheme: Scheme, key: string): string[] {
  const keys = [key];
  for (let i = 0; i < keys.length; i++) {
    const round = scheme.rounds.find((r) => r.id === keys[i]);
    for (const earlier of round?.carryOver ?? []) if (!keys.includes(earlier)) keys.push(earlier);
  }
  return keys;
}

export interface RoundComputation {
  view: RoundView;
  /** This round's marks in force. */
  marks: EffectiveMark[];
  result: EventResult;
  /** eventJson with competitors as workstation codes. */
  event: EventJson;
  missing: MissingItem[];
  flags: ReviewFlag[];
  unseated: number;
}

/** Whether a flag holds up sign-off. */
function isBlocking(flag: Flag): boolean {
  switch (flag.code) {
    case 'noMarks': // reported (and blocking) as missing items
    case 'missingMarks':
    case 'vetoed':
    case 'triggered':
      return false;
    case 'toleranceExceeded': // with a fallback the rule itself resolves it (FIG: the mean of all four)
      return !flag.fallback;
    default:
      return true;
  }
}

function itemFlags(scheme: Scheme, result: EventResult, roundKey: string): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  const push = (workstation: string, item: string | null, list: readonly Flag[]) => {
    for (const flag of list) flags.push({ workstation, item, flag, blocking: isBlocking(flag) });
  };
  const round = result.rounds.find((r) => r.round === roundKey);
  for (const { score } of round?.standings ?? []) {
    const code = score.competitor;
    push(
      code,
      null,
      score.flags.filter((f) => f.code === 'missingRound' || f.code === 'noMarks'),
    );
    for (const c of score.components) {
      const attempts = scheme.components.find((x) => x.id === c.component)?.attempts;
      if (!attempts) {
        for (const a of c.aspects) push(code, a.aspect, a.flags);
        continue;
      }
      for (const attempt of c.attempts) {
        const base = `${attempts.label}-${attempt.attempt}`;
        push(code, base, attempt.flags);
        for (const a of attempt.aspects)
          push(code, attempt.aspects.length === 1 ? base : `${base}:${a.aspect}`, a.flags);
      }
    }
  }
  return flags;
}

/** Items that have fewer marks in force than the scheme needs, with the seats that have not marked them. */
function missingItems(view: RoundView, marks: readonly EffectiveMark[]): MissingItem[] {
  const seatsMarked = new Map<string, Set<string>>();
  for (const m of marks) {
    const seat = view.seatOf(m);
    if (seat === null) continue;
    const key = `${m.competitorId}|${m.item}`;
    const set = seatsMarked.get(key) ?? new Set<string>();
    set.add(seat);
    seatsMarked.set(key, set);
  }
  const missing: MissingItem[] = [];
  const items = view.items();
  for (const competitor of view.competitors) {
    for (const item of items) {
      const aspect = view.ref(item)?.aspect;
      if (!aspect) continue;
      const expected =
        aspect.kind === 'judgement' || aspect.kind === 'measurement'
          ? aspect.panel
          : aspect.kind === 'deduction' && aspect.per === undefined
            ? 1
            : 0;
      const marked = seatsMarked.get(`${competitor.id}|${item}`) ?? new Set<string>();
      if (marked.size >= expected) continue;
      const slots = view.slots(item, competitor.id);
      missing.push({
        workstation: competitor.code,
        item,
        expected,
        received: marked.size,
        seats: slots.filter((s) => !marked.has(s.seat)).map((s) => s.seat),
        unassigned: slots.length === 0,
      });
    }
  }
  return missing;
}

/** Scores the round (with the rounds it carries over) from the marks in force. */
export async function computeRound(ex: Executor, ctx: RoundContext): Promise<RoundComputation> {
  const view = await roundView(ex, ctx);
  const related = await eventRounds(ex, ctx.event.id, carriedKeys(ctx.scheme, ctx.round.key));
  const keyOf = new Map(related.map((r) => [r.id, r.key]));
  const roundIds = related.map((r) => r.id);
  const [all, declared] = await Promise.all([effectiveMarks(ex, roundIds), difficultiesOf(ex, roundIds)]);
  const inputs: EventMarkInput[] = [];
  let unseated = 0;
  for (const m of all) {
    const competitor = view.byId.get(m.competitorId);
    const round = keyOf.get(m.roundId);
    if (!competitor || round === undefined) continue;
    const seat = view.seatOf(m);
    if (seat === null) {
      if (m.roundId === ctx.round.id) unseated++;
      continue;
    }
    inputs.push({ round, competitor: competitor.code, item: m.item, judge: seat, value: m.value });
  }
  const difficulties: DifficultyInput[] = declared.flatMap((d) => {
    const competitor = view.byId.get(d.competitorId);
    const round = keyOf.get(d.roundId);
    return competitor && round !== undefined
      ? [{ round, competitor: competitor.code, attempt: d.attempt, difficulty: d.difficulty }]
      : [];
  });
  // Everyone drawn into the round is in its standings: without a mark, last and flagged noMarks.
  const entries = view.competitors.map((c) => ({ round: ctx.round.key, competitor: c.code }));
  const result = scoreEvent(ctx.scheme, inputs, difficulties, entries);
  const marks = all.filter((m) => m.roundId === ctx.round.id);
  return {
    view,
    marks,
    result,
    event: eventJson(ctx.scheme, ctx.event.name, result),
    missing: missingItems(view, marks),
    flags: itemFlags(ctx.scheme, result, ctx.round.key),
    unseated,
  };
}

async function openRemarks(ex: Executor, comp: RoundComputation): Promise<RemarkView[]> {
  const orders = await remarkOrdersOf(ex, comp.view.ctx.round.id);
  return orders.map((o) => comp.view.remark(o, comp.marks)).filter((r) => r.pendingSeats.length > 0);
}

async function blockersOf(
  ex: Executor,
  comp: RoundComputation,
  pending?: readonly PaperMarkView[],
): Promise<SignOffBlockers> {
  return {
    missing: comp.missing,
    unconfirmedPaper: (pending ?? (await pendingPaperMarks(ex, comp.view))).filter((p) => !p.superseded),
    flagged: comp.flags.filter((f) => f.blocking),
    openRemarks: await openRemarks(ex, comp),
  };
}

/** GET …/review. */
export async function review(db: Database, ctx: RoundContext): Promise<ReviewResponse> {
  const comp = await computeRound(db, ctx);
  const [corrections, pendingPaper] = await Promise.all([
    listCorrections(db, comp.view),
    pendingPaperMarks(db, comp.view),
  ]);
  const blockers = await blockersOf(db, comp, pendingPaper);
  const decrypted = ctx.round.decryptedAt !== null;
  const complete = new Map(
    comp.result.rounds
      .find((r) => r.round === ctx.round.key)
      ?.standings.map((s) => [s.score.competitor, s.score.complete] as const) ?? [],
  );
  const competitors: ReviewCompetitor[] = comp.view.competitors.map((c) => {
    const missing = comp.missing.filter((m) => m.workstation === c.code);
    return {
      workstation: c.code,
      ...(decrypted ? { name: c.name } : {}),
      complete: (complete.get(c.code) ?? false) && missing.length === 0,
      missing,
      flags: comp.flags.filter((f) => f.workstation === c.code),
      openRemarks: blockers.openRemarks.filter((r) => r.workstation === c.code),
    };
  });
  return {
    round: roundStatus(ctx),
    event: comp.event,
    competitors,
    pendingPaper,
    corrections,
    blockers,
    unseatedMarks: comp.unseated,
  };
}

/** POST …/remarks: every seat marking the item marks it again; open until each has a newer mark. */
export async function orderRemark(
  db: Database,
  ctx: RoundContext,
  accountId: string,
  body: RemarkRequest,
): Promise<RemarkView> {
  if (ctx.round.signedOffAt) throw roundSignedOff();
  const view = await roundView(db, ctx);
  const item = view.canonical(body.item);
  const [competitor] = resolveTarget(view, body.workstation, item);
  const order = await db.transaction(async (tx) => {
    const round = await lockRound(tx, ctx.round.id, 'share');
    if (round.signedOffAt) throw roundSignedOff();
    const [row] = await tx
      .insert(remarkOrders)
      .values({
        roundId: ctx.round.id,
        competitorId: competitor.id,
        item,
        reason: body.reason,
        orderedBy: accountId,
      })
      .returning();
    if (!row) throw new Error('re-mark order not stored');
    await appendAudit(tx, ctx.competitionId, {
      actor: `account:${accountId}`,
      action: 'remark.ordered',
      subject: `remark:${row.id}`,
      detail: {
        remarkId: row.id,
        roundId: ctx.round.id,
        workstation: competitor.code,
        competitorId: competitor.id,
        item,
        reason: body.reason,
      },
    });
    return row;
  });
  // Every seat owes a mark newer than the order.
  return {
    id: order.id,
    workstation: competitor.code,
    item: order.item,
    reason: order.reason,
    orderedAt: order.createdAt.toISOString(),
    pendingSeats: view
      .slots(order.item, competitor.id)
      .filter((s) => s.judgeId !== null)
      .map((s) => s.seat)
      .sort(compareSeats),
  };
}

/** The standings as the audit records them at sign-off and publication. */
function standingsSnapshot(comp: RoundComputation, roundKey: string) {
  const round = comp.event.rounds.find((r) => r.round === roundKey);
  return (round?.standings ?? []).map((s) => ({ workstation: s.competitor, rank: s.rank, total: s.total }));
}

const count = (n: number, zh: string, en: string) => ({ n, zh: `${n} ${zh}`, en: `${n} ${en}` });

/** POST …/sign-off: locks the round's marks. Refused while anything is missing, unconfirmed or flagged, unless forced with a reason. */
export async function signOff(
  db: Database,
  ctx: RoundContext,
  accountId: string,
  body: SignOffRequest,
): Promise<{ round: RoundRow; forced: boolean }> {
  return db.transaction(async (tx) => {
    const locked = await lockRound(tx, ctx.round.id, 'update');
    if (locked.signedOffAt) {
      throw alreadyDone('round_already_signed_off', {
        'zh-CN': '本场次已签字锁定',
        en: 'this round is already signed off',
      });
    }
    const comp = await computeRound(tx, { ...ctx, round: locked });
    const blockers = await blockersOf(tx, comp);
    const parts = [
      count(blockers.missing.length, '项缺少评分', 'items missing marks'),
      count(blockers.unconfirmedPaper.length, '条纸质评分未确认', 'paper marks unconfirmed'),
      count(blockers.flagged.length, '个待处理标记', 'flags to resolve'),
      count(blockers.openRemarks.length, '个重评指令未完成', 're-mark orders open'),
    ].filter((p) => p.n > 0);
    const forced = parts.length > 0;
    if (forced && !body.force) {
      throw new AppError(
        409,
        'sign_off_blocked',
        {
          'zh-CN': `不能签字锁定：${parts.map((p) => p.zh).join('，')}；处理后再签字，或注明理由强制签字（force + reason）`,
          en: `cannot sign off: ${parts.map((p) => p.en).join(', ')}; resolve them, or force the sign-off with a reason (force + reason)`,
        },
        { blockers },
      );
    }
    const [round] = await tx
      .update(rounds)
      .set({ signedOffAt: new Date(), signedOffBy: accountId })
      .where(eq(rounds.id, ctx.round.id))
      .returning();
    if (!round) throw new Error('round vanished');
    await appendAudit(tx, ctx.competitionId, {
      actor: `account:${accountId}`,
      action: 'round.signedOff',
      subject: `round:${round.id}`,
      detail: {
        roundId: round.id,
        round: round.key,
        forced,
        reason: body.reason ?? null,
        missing: blockers.missing.length,
        unconfirmedPaper: blockers.unconfirmedPaper.length,
        flagged: blockers.flagged.length,
        openRemarks: blockers.openRemarks.length,
        standings: standingsSnapshot(comp, round.key),
      },
    });
    return { round, forced };
  });
}

/** POST …/decrypt (encryption officer): after sign-off, codes turn back into names. */
export async function decrypt(db: Database, ctx: RoundContext, accountId: string): Promise<RoundRow> {
  return db.transaction(async (tx) => {
    const locked = await lockRound(tx, ctx.round.id, 'update');
    if (!locked.signedOffAt) {
      throw roundNotSignedOff({
        'zh-CN': '须在裁判长签字锁定后才能解密',
        en: 'decryption comes after the chief judge signs off',
      });
    }
    if (locked.decryptedAt) {
      throw alreadyDone('round_already_decrypted', {
        'zh-CN': '本场次已解密',
        en: 'this round is already decrypted',
      });
    }
    const [round] = await tx
      .update(rounds)
      .set({ decryptedAt: new Date() })
      .where(eq(rounds.id, ctx.round.id))
      .returning();
    if (!round) throw new Error('round vanished');
    await appendAudit(tx, ctx.competitionId, {
      actor: `account:${accountId}`,
      action: 'round.decrypted',
      subject: `round:${round.id}`,
      detail: { roundId: round.id, round: round.key },
    });
    return round;
  });
}

/** POST …/publish (chief judge, organizer): after sign-off; by name once decrypted, by workstation code before. */
export async function publish(db: Database, ctx: RoundContext, accountId: string): Promise<RoundRow> {
  return db.transaction(async (tx) => {
    const locked = await lockRound(tx, ctx.round.id, 'update');
    if (!locked.signedOffAt) {
      throw roundNotSignedOff({
        'zh-CN': '须在裁判长签字锁定后才能公布成绩',
        en: 'results are published after the chief judge signs off',
      });
    }
    if (locked.publishedAt) {
      throw alreadyDone('round_already_published', {
        'zh-CN': '本场次成绩已公布',
        en: 'the results of this round are already published',
      });
    }
    const comp = await computeRound(tx, { ...ctx, round: locked });
    const [round] = await tx
      .update(rounds)
      .set({ publishedAt: new Date() })
      .where(eq(rounds.id, ctx.round.id))
      .returning();
    if (!round) throw new Error('round vanished');
    await appendAudit(tx, ctx.competitionId, {
      actor: `account:${accountId}`,
      action: 'round.published',
      subject: `round:${round.id}`,
      detail: {
        roundId: round.id,
        round: round.key,
        labels: round.decryptedAt ? 'name' : 'workstation',
        standings: standingsSnapshot(comp, round.key),
      },
    });
    return round;
  });
}

function relabel(json: EventJson, label: (code: string) => string): EventJson {
  return {
    ...json,
    standings: json.standings.map((s) => ({ ...s, competitor: label(s.competitor) })),
    rounds: json.rounds.map((r) => ({
      ...r,
      advancement: r.advancement && {
        ...r.advancement,
        advancing: r.advancement.advancing.map(label),
        tiedAtCut: r.advancement.tiedAtCut.map(label),
      },
      standings: r.standings.map((s) => ({ ...s, competitor: label(s.competitor) })),
    })),
  };
}

/** GET …/results: public once published, always for the chief judge and the organizer. */
export async function results(
  db: Database,
  ctx: RoundContext,
  held: ReadonlySet<Role>,
): Promise<RoundResultsResponse> {
  const privileged = held.has('chiefJudge') || held.has('organizer');
  if (!ctx.round.publishedAt && !privileged) throw resultsNotPublished();
  // A frozen round's results stay hidden from the public until the ceremony has revealed them (no export leaks).
  if (ctx.round.frozenAt && !privileged) {
    throw new AppError(403, 'round_frozen', {
      'zh-CN': '本场次成绩已冻结，颁奖揭晓后公布',
      en: 'the results of this round are frozen until the ceremony reveals them',
    });
  }
  const comp = await computeRound(db, ctx);
  const decrypted = ctx.round.decryptedAt !== null;
  const byCode = comp.view.byCode;
  const label = (code: string) => (decrypted ? (byCode.get(code)?.name ?? code) : code);
  return {
    round: roundStatus(ctx),
    labels: decrypted ? 'name' : 'workstation',
    event: relabel(comp.event, label),
    competitors: comp.view.competitors.map((c) => ({
      label: label(c.code),
      workstation: c.code,
      ...(decrypted ? { name: c.name, unit: c.unit } : {}),
    })),
  };
}
