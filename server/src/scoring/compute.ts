import {
  type DifficultyInput,
  type EventJson,
  type EventMarkInput,
  type EventMissingMarkInput,
  type EventResult,
  eventJson,
  type Flag,
  type MissingItem,
  type ReviewFlag,
  type Scheme,
  type ScoreMemo,
  scoreEvent,
} from '@jiangxin/shared';
import { and, eq } from 'drizzle-orm';
import type { Change } from '../changes';
import type { Executor } from '../db/client';
import { events, rounds } from '../db/schema';
import { inKeyOrder, type MarksInForce, marksInForce } from './marks-in-force';
import {
  difficultiesOf,
  type EffectiveMark,
  effectiveMarks,
  eventRounds,
  missingMarksOf,
  type RoundContext,
  schemeOf,
} from './round';
import { type RoundView, roundView } from './round-view';

/**
 * Scoring a round: the shared engine over the marks in force, with the rounds it carries over. The one
 * implementation of "what are this round's standings", used by the chief judge's review, sign-off,
 * results and the live view.
 */

/** This round's key and the earlier rounds it carries over, transitively. */
export function carriedKeys(scheme: Scheme, key: string): string[] {
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
  /** What the engine was given: marks by workstation code and seat (with the carried rounds'), declared difficulties. */
  inputs: EventMarkInput[];
  difficulties: DifficultyInput[];
  /** Seats replaced under the scheme's missing-mark rule, by workstation code (with the carried rounds'). */
  missingMarks: EventMissingMarkInput[];
  /** eventJson with competitors as workstation codes. */
  event: EventJson;
  missing: MissingItem[];
  flags: ReviewFlag[];
  unseated: number;
}

/** Whether a flag holds up sign-off. */
export function isBlocking(flag: Flag): boolean {
  switch (flag.code) {
    case 'noMarks': // reported (and blocking) as missing items
    case 'missingMarks':
    case 'notPerformed': // a shorter dive list: the competitor performs only what they declared
    case 'markReplaced': // the chief judge applied the scheme's rule
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

/** `<workstation>|<item base>` of the attempts the engine found not performed (not on a shorter dive list). */
function notPerformedAttempts(scheme: Scheme, result: EventResult, roundKey: string): Set<string> {
  const keys = new Set<string>();
  const round = result.rounds.find((r) => r.round === roundKey);
  for (const { score } of round?.standings ?? []) {
    for (const c of score.components) {
      const label = scheme.components.find((x) => x.id === c.component)?.attempts?.label;
      for (const a of c.attempts) {
        if (a.flags.some((f) => f.code === 'notPerformed'))
          keys.add(`${score.competitor}|${label}-${a.attempt}`);
      }
    }
  }
  return keys;
}

/**
 * Items that have fewer marks in force than the scheme needs, with the seats that have not marked them;
 * an attempt the competitor does not perform needs none.
 */
function missingItems(
  view: RoundView,
  marks: readonly EffectiveMark[],
  replaced: readonly { competitorId: string; item: string; seat: string }[],
  notPerformed: ReadonlySet<string>,
): MissingItem[] {
  const seatsMarked = new Map<string, Set<string>>();
  const markedBy = (competitorId: string, item: string, seat: string) => {
    const key = `${competitorId}|${item}`;
    const set = seatsMarked.get(key) ?? new Set<string>();
    set.add(seat);
    seatsMarked.set(key, set);
  };
  for (const m of marks) {
    const seat = view.seatOf(m);
    if (seat !== null) markedBy(m.competitorId, m.item, seat);
  }
  // A seat replaced under the scheme's missing-mark rule owes no mark.
  for (const r of replaced) markedBy(r.competitorId, r.item, r.seat);
  const missing: MissingItem[] = [];
  const items = view.items();
  for (const competitor of view.competitors) {
    for (const item of items) {
      const ref = view.ref(item);
      const aspect = ref?.aspect;
      if (!aspect) continue;
      const label = ref.component.attempts?.label;
      if (label && notPerformed.has(`${competitor.code}|${label}-${ref.attempt}`)) continue;
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

/** What scoring a round reads besides the marks, fixed while the competition's setup position stays. */
export interface ScoringSetup {
  /** This round and the rounds it carries over. */
  related: { id: string; key: string }[];
  declared: Awaited<ReturnType<typeof difficultiesOf>>;
  replaced: Awaited<ReturnType<typeof missingMarksOf>>;
}

/** What is kept of a round between computations at the same setup position (round-cache.ts). */
export interface KeptScoring {
  view: RoundView;
  /** Competitors' scores under this setup's scheme (engine/event.ts). */
  scores: ScoreMemo;
  /** Filled by the live view's recomputations: the setup reads and the marks in force. */
  setup?: ScoringSetup;
  marks?: MarksInForce;
}

async function scoringSetup(ex: Executor, ctx: RoundContext): Promise<ScoringSetup> {
  const related = await eventRounds(ex, ctx.event.id, carriedKeys(ctx.scheme, ctx.round.key));
  const roundIds = related.map((r) => r.id);
  const [declared, replaced] = await Promise.all([
    difficultiesOf(ex, roundIds),
    missingMarksOf(ex, roundIds),
  ]);
  return { related, declared, replaced };
}

/**
 * Scores the round (with the rounds it carries over) from the marks in force; `known`: what the caller keeps
 * of the round for the same setup (scoring/round-cache.ts), filled here as it is read, and `position` the
 * audit position of the caller's snapshot, which the kept marks in force are brought forward to.
 */
export async function computeRound(
  ex: Executor,
  ctx: RoundContext,
  known?: KeptScoring,
  position?: number,
): Promise<RoundComputation> {
  const view = known?.view ?? (await roundView(ex, ctx));
  const setup = known?.setup ?? (await scoringSetup(ex, ctx));
  const roundIds = setup.related.map((r) => r.id);
  let all: EffectiveMark[];
  if (known && position !== undefined) {
    known.setup = setup;
    known.marks ??= marksInForce(roundIds);
    all = await known.marks.at(ex, ctx.competitionId, position);
  } else all = inKeyOrder(await effectiveMarks(ex, roundIds));
  return scoreRound(ctx, view, setup, all, known?.scores);
}

/** Scores the round from what was read: its setup and the marks in force (in key order, marks-in-force.ts). */
export function scoreRound(
  ctx: RoundContext,
  view: RoundView,
  setup: ScoringSetup,
  all: readonly EffectiveMark[],
  scores?: ScoreMemo,
): RoundComputation {
  const { related, declared, replaced } = setup;
  const keyOf = new Map(related.map((r) => [r.id, r.key]));
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
  const missingMarks: EventMissingMarkInput[] = replaced.flatMap((r) => {
    const competitor = view.byId.get(r.competitorId);
    const round = keyOf.get(r.roundId);
    return competitor && round !== undefined
      ? [{ round, competitor: competitor.code, item: r.item, judge: r.seat }]
      : [];
  });
  // Everyone drawn into the round is in its standings: without a mark, last and flagged noMarks.
  const entries = view.competitors.map((c) => ({ round: ctx.round.key, competitor: c.code }));
  const result = scoreEvent(ctx.scheme, inputs, difficulties, entries, missingMarks, scores);
  const marks = all.filter((m) => m.roundId === ctx.round.id);
  // Made when asked for (review, sign-off): the live view recomputes many times a second and rarely needs them.
  let missing: MissingItem[] | undefined;
  let flags: ReviewFlag[] | undefined;
  return {
    view,
    marks,
    result,
    inputs,
    difficulties,
    missingMarks,
    event: eventJson(ctx.scheme, ctx.event.name, result),
    get missing() {
      missing ??= missingItems(
        view,
        marks,
        replaced.filter((r) => r.roundId === ctx.round.id),
        notPerformedAttempts(ctx.scheme, result, ctx.round.key),
      );
      return missing;
    },
    get flags() {
      flags ??= itemFlags(ctx.scheme, result, ctx.round.key);
      return flags;
    },
    unseated,
  };
}

/**
 * The rounds whose standings a change can alter: a round and the later rounds that carry it over, every
 * round of an event, or every round of a competition.
 */
export async function roundsAffectedBy(ex: Executor, change: Change): Promise<string[]> {
  const scope =
    'roundId' in change
      ? eq(
          rounds.eventId,
          ex.select({ id: rounds.eventId }).from(rounds).where(eq(rounds.id, change.roundId)),
        )
      : 'eventId' in change
        ? eq(rounds.eventId, change.eventId)
        : eq(events.competitionId, change.competitionId);
  const rows = await ex
    .select({ id: rounds.id, key: rounds.key, eventId: events.id, scheme: events.scheme })
    .from(rounds)
    .innerJoin(events, eq(events.id, rounds.eventId))
    .where(and(scope, eq(events.competitionId, change.competitionId)));
  if (!('roundId' in change)) return rows.map((r) => r.id);
  const changed = rows.find((r) => r.id === change.roundId);
  if (!changed) return [];
  const scheme = schemeOf(changed.eventId, changed.scheme);
  return rows.filter((r) => carriedKeys(scheme, r.key).includes(changed.key)).map((r) => r.id);
}
