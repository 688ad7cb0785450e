import type { Decimal } from '../decimal';
import type { JudgeMark } from '../engine/aggregate';
import { isUnmarked, type RankedEvent } from '../engine/event';
import type {
  AspectResult,
  AttemptResult,
  CompetitorScore,
  ComponentResult,
  EventResult,
  EventStanding,
  RoundStanding,
} from '../engine/types';
import type { Scheme } from '../scheme/schema';

/**
 * The JSON shape of official results (`pnpm results`, and later the live snapshots and exports).
 * Scores are decimal strings at the scheme's precision; intermediate values are exact up to 4 places.
 */
const detail = (d: Decimal | null) => (d === null ? null : d.toString(4));
const markJson = (m: JudgeMark) => ({ judge: m.judge, mark: m.value.toString() });

/** A score at the scheme's precision; null for a competitor without a mark in the round (no total yet). */
function scoreText(scheme: Scheme, score: CompetitorScore, value: Decimal): string | null {
  return isUnmarked(score) ? null : value.toFixed(scheme.precision, scheme.rounding.mode);
}

function aspectJson(r: AspectResult) {
  return {
    aspect: r.aspect,
    value: detail(r.value),
    points: detail(r.points),
    used: r.used.map(markJson),
    dropped: r.dropped.map(markJson),
    /** Marks in while the panel still has too few to aggregate (then none is used or dropped yet). */
    awaiting: r.used.length === 0 && r.dropped.length === 0 ? r.marks.map(markJson) : [],
    flags: r.flags,
  };
}

function attemptJson(a: AttemptResult) {
  return {
    attempt: a.attempt,
    difficulty: detail(a.difficulty),
    points: detail(a.points),
    counted: a.counted,
    aspects: a.aspects.map(aspectJson),
    flags: a.flags,
  };
}

function componentJson(scheme: Scheme, c: ComponentResult) {
  const fixed = (d: Decimal) => d.toFixed(scheme.precision, scheme.rounding.mode);
  const base = {
    component: c.component,
    raw: detail(c.raw),
    score: fixed(c.score),
    weighted: detail(c.weighted),
  };
  const parts =
    c.attempts.length > 0
      ? { attempts: c.attempts.map(attemptJson) }
      : { aspects: c.aspects.map(aspectJson) };
  const judgeTotals = c.judgeTotals && {
    value: detail(c.judgeTotals.value),
    used: c.judgeTotals.used.map(markJson),
    dropped: c.judgeTotals.dropped.map(markJson),
  };
  return { ...base, zeroedBy: c.zeroedBy, ...(judgeTotals ? { judgeTotals } : {}), ...parts };
}

/**
 * A score's breakdown as JSON, made once per breakdown and scheme: a recomputation that kept a competitor's
 * score (ScoreMemo) keeps its components, so it gets the very same JSON back and the live view's comparisons
 * stop at the first `===`. These objects are shared between results: never change one.
 */
const breakdowns = new WeakMap<
  readonly ComponentResult[],
  { scheme: Scheme; json: ReturnType<typeof componentJson>[] }
>();

function componentsJson(scheme: Scheme, components: readonly ComponentResult[]) {
  const held = breakdowns.get(components);
  if (held?.scheme === scheme) return held.json;
  const json = components.map((c) => componentJson(scheme, c));
  breakdowns.set(components, { scheme, json });
  return json;
}

export function scoreJson(scheme: Scheme, s: CompetitorScore) {
  const fixed = (d: Decimal) => d.toFixed(scheme.precision, scheme.rounding.mode);
  return {
    own: scoreText(scheme, s, s.own),
    carried: s.carried.map((c) => ({ round: c.round, total: fixed(c.total) })),
    deductions: fixed(s.deductions),
    disqualifiedBy: s.disqualifiedBy,
    complete: s.complete,
    flags: s.flags,
    components: componentsJson(scheme, s.components),
  };
}
/** Each round's standings by competitor: looked up once per standing instead of scanned (quadratic in the round). */
type RoundIndex = { round: string; of: Map<string, RoundStanding> }[];
const indexRounds = (result: EventResult): RoundIndex =>
  result.rounds.map((r) => ({
    round: r.round,
    of: new Map(r.standings.map((x) => [x.score.competitor, x])),
  }));

/** A standing's place, total and rounds: the part of its line that needs no breakdown. */
function placingJson(
  scheme: Scheme,
  result: EventResult,
  s: EventStanding,
  index: RoundIndex = indexRounds(result),
) {
  const rounds = index.flatMap((r) => {
    const mine = r.of.get(s.competitor);
    return mine
      ? [
          {
            round: r.round,
            rank: mine.rank,
            total: scoreText(scheme, mine.score, mine.score.total),
          },
        ]
      : [];
  });
  return {
    rank: s.rank,
    competitor: s.competitor,
    total: scoreText(scheme, s.score, s.score.total),
    round: s.round,
    decidedBy: s.decidedBy,
    shared: s.shared,
    standardScore: s.standardScore === null ? null : s.standardScore.toFixed(0, scheme.rounding.mode),
    rounds,
  };
}

/** A standing's whole line: its placing, then `score`'s breakdown (the standing's own score unless given again). */
export function standingJson(
  scheme: Scheme,
  result: EventResult,
  s: EventStanding,
  index: RoundIndex = indexRounds(result),
  score: CompetitorScore = s.score,
) {
  return { ...placingJson(scheme, result, s, index), ...scoreJson(scheme, score) };
}

/** Every standing's placing, the rounds indexed once: what the CSV and the table print, no breakdown needed. */
export function placingsJson(scheme: Scheme, result: EventResult) {
  const index = indexRounds(result);
  return result.standings.map((s) => placingJson(scheme, result, s, index));
}

type StandingLine = (s: EventStanding, score?: CompetitorScore) => ReturnType<typeof standingJson>;

/** An event's results JSON, its standings' lines made by `lines` (all at once, or one at a time as written). */
function eventJsonOf<Lines>(
  scheme: Scheme,
  event: string,
  result: EventResult,
  lines: (line: StandingLine) => Lines,
) {
  const index = indexRounds(result);
  return {
    event,
    scheme: scheme.id ?? scheme.name,
    standings: lines((s, score) => standingJson(scheme, result, s, index, score)),
    rounds: result.rounds.map((r) => ({
      round: r.round,
      advancement: r.advancement,
      standings: r.standings.map((s) => ({
        rank: s.rank,
        competitor: s.score.competitor,
        total: scoreText(scheme, s.score, s.score.total),
        decidedBy: s.decidedBy,
        shared: s.shared,
      })),
    })),
  };
}

export function eventJson(scheme: Scheme, event: string, result: EventResult) {
  return eventJsonOf(scheme, event, result, (line) => result.standings.map((s) => line(s)));
}

export type EventJson = ReturnType<typeof eventJson>;

/**
 * The same JSON as `eventJson`, its standings a generator: each line's breakdown scored again as it is
 * written, so an event ranked without breakdowns (`withoutBreakdown`) is never held whole (decision 029).
 */
export function eventJsonInTurn(scheme: Scheme, event: string, { result, scoreAgain }: RankedEvent) {
  return eventJsonOf(scheme, event, result, function* (line) {
    for (const s of result.standings) yield line(s, scoreAgain(s.round, s.competitor));
  });
}
