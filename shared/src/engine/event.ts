import { Decimal } from '../decimal';
import type { Scheme } from '../scheme/schema';
import { type CompetitorRoundInput, quantityOf, scoreCompetitor } from './competitor';
import { type RankKey, rank } from './ranking';
import { standardise } from './standardise';
import type {
  Advancement,
  CompetitorScore,
  DifficultyInput,
  EventMarkInput,
  EventMissingMarkInput,
  EventResult,
  EventStanding,
  RoundEntry,
  RoundResult,
  RoundStanding,
} from './types';

export class UnknownRoundError extends Error {
  constructor(
    readonly round: string,
    readonly known: readonly string[],
  ) {
    super(`unknown round "${round}"; the scheme's rounds are: ${known.join(', ')}`);
  }
}

/**
 * Competitor scores kept between scorings of one event under one scheme, by round and competitor, each with
 * the inputs it was scored from: a competitor's score depends on their own marks, difficulties and replaced
 * seats alone, so after a mark only that competitor is scored again (ranking stays a pass over everyone).
 * Drop it when the scheme changes.
 */
export type ScoreMemo = Map<string, { inputs: string; score: CompetitorScore }>;

/** Whether the competitor is entered in the round without a single mark: no total, ranked last. */
export const isUnmarked = (score: CompetitorScore) => score.flags.some((f) => f.code === 'noMarks');

/** The ranking keys of a scheme: the total, then its tie-break chain (unknown for the unmarked). */
export function rankKeys(scheme: Scheme): RankKey<CompetitorScore>[] {
  return [
    { name: 'total', value: (s) => (isUnmarked(s) ? null : s.total), prefer: 'higher' },
    ...scheme.ranking.tieBreaks.map(
      (t): RankKey<CompetitorScore> => ({
        name: t.by,
        value: (s) => (isUnmarked(s) ? null : quantityOf(scheme, s, t.by)),
        prefer: t.prefer,
      }),
    ),
  ];
}

/** Ranks the competitors of one round. */
export function rankRound(scheme: Scheme, scores: readonly CompetitorScore[]): RoundStanding[] {
  return rankBy(rankKeys(scheme), scores);
}

function rankBy(
  keys: readonly RankKey<CompetitorScore>[],
  scores: readonly CompetitorScore[],
): RoundStanding[] {
  return rank(scores, keys, {
    excluded: (s) => s.disqualifiedBy !== null,
    name: (s) => s.competitor,
  }).map(({ entry, ...placing }) => ({ ...placing, score: entry }));
}

/**
 * The top `count` of a round advance; a shared place at the cut is reported, not silently resolved. A
 * competitor without a mark does not advance.
 */
export function advancement(standings: readonly RoundStanding[], count: number): Advancement {
  const within = standings.filter((s) => s.rank !== null && s.rank <= count && !isUnmarked(s.score));
  const advancing = within.map((s) => s.score.competitor);
  const cutRank = within.at(-1)?.rank ?? null;
  const tiedAtCut =
    advancing.length > count
      ? standings.filter((s) => s.rank === cutRank).map((s) => s.score.competitor)
      : [];
  return { count, advancing, tiedAtCut };
}

/** What an event is scored from: its marks, declared difficulties, entries and replaced seats, every round. */
export interface EventInputs {
  marks: readonly EventMarkInput[];
  difficulties: readonly DifficultyInput[];
  entries: readonly RoundEntry[];
  missingMarks: readonly EventMissingMarkInput[];
}

/**
 * An event ranked, with a way to score any competitor's round again in full: the same score, breakdown and
 * flags the ranking was made from, however little of it `keep` left in `result`.
 */
export interface RankedEvent {
  result: EventResult;
  scoreAgain: (round: string, competitor: string) => CompetitorScore;
}

/**
 * Scores a whole event: every round, with carry-over and advancement, then the overall standings in which
 * those who reached a later round rank above those eliminated earlier. A round's competitors are those with
 * marks or difficulties in it, and the `entries` (drawn or checked in): one without a mark is listed with
 * the flag `noMarks`, no total, last. `missingMarks` are seats replaced under the scheme's missing-mark rule.
 */
export function scoreEvent(
  scheme: Scheme,
  marks: readonly EventMarkInput[],
  difficulties: readonly DifficultyInput[] = [],
  entries: readonly RoundEntry[] = [],
  missingMarks: readonly EventMissingMarkInput[] = [],
  memo?: ScoreMemo,
): EventResult {
  return rankEvent(scheme, { marks, difficulties, entries, missingMarks }, { memo }).result;
}

/**
 * Scores an event as `scoreEvent` does, but keeps of each competitor's score only what `keep` returns: the
 * ranking keys are read from the whole score first, so with `withoutBreakdown` the event is ranked in memory
 * that grows with its competitors, not with their marks (decision 029).
 */
export function rankEvent(
  scheme: Scheme,
  inputs: EventInputs,
  options: { memo?: ScoreMemo; keep?: (score: CompetitorScore) => CompetitorScore } = {},
): RankedEvent {
  const { memo, keep = (score) => score } = options;
  const roundIds = scheme.rounds.map((r) => r.id);
  for (const list of [inputs.marks, inputs.difficulties, inputs.entries, inputs.missingMarks])
    for (const entry of list)
      if (!roundIds.includes(entry.round)) throw new UnknownRoundError(entry.round, roundIds);

  const keys = rankKeys(scheme);
  // Each kept score's key values, read from its whole score: ranking and the overall standings read these.
  const keyValues = new Map<CompetitorScore, (Decimal | null)[]>();
  const keptKeys = keys.map(
    (k, i): RankKey<CompetitorScore> => ({
      ...k,
      value: (s) => keyValues.get(s)?.[i] ?? null,
    }),
  );
  const ownScores = new Map<string, Map<string, Decimal>>();
  const inputsOf = new Map<string, Map<string, CompetitorRoundInput>>();
  const rounds: RoundResult[] = [];
  for (const round of scheme.rounds) {
    const roundInputs = competitorInputs(round.id, inputs);
    inputsOf.set(round.id, roundInputs);
    const own = new Map<string, Decimal>();
    const scores = [...roundInputs.values()].map((input) => {
      const score = scoreInRound(scheme, round, input, ownScores, memo);
      if (input.marks.length > 0) own.set(input.competitor, score.own);
      const kept = keep(score);
      keyValues.set(
        kept,
        keys.map((k) => k.value(score)),
      );
      return kept;
    });
    ownScores.set(round.id, own);
    const standings = rankBy(keptKeys, scores);
    rounds.push({
      round: round.id,
      standings,
      advancement: round.advance === undefined ? null : advancement(standings, round.advance),
    });
  }
  const result = { rounds, standings: overallStandings(scheme, rounds, keptKeys) };
  const scoreAgain = (roundId: string, competitor: string): CompetitorScore => {
    const round = scheme.rounds.find((r) => r.id === roundId);
    const input = inputsOf.get(roundId)?.get(competitor);
    if (!round || !input) throw new RangeError(`"${competitor}" was not scored in round "${roundId}"`);
    return scoreInRound(scheme, round, input, ownScores);
  };
  return { result, scoreAgain };
}

/**
 * A score without its breakdown (components, flags): what ranking, carry-over, advancement and the standings'
 * lines read once the ranking keys are taken; `noMarks` stays, since `isUnmarked` reads it.
 */
export function withoutBreakdown(score: CompetitorScore): CompetitorScore {
  return { ...score, components: [], flags: score.flags.filter((f) => f.code === 'noMarks') };
}

/** A round's competitors in first-seen order, each with their inputs, grouped once (a scan per competitor was quadratic). */
function competitorInputs(round: string, inputs: EventInputs): Map<string, CompetitorRoundInput> {
  const roundMarks = inputs.marks.filter((m) => m.round === round);
  const roundDifficulties = inputs.difficulties.filter((d) => d.round === round);
  const roundEntries = inputs.entries.filter((e) => e.round === round);
  const competitors = new Set(
    [...roundMarks, ...roundDifficulties, ...roundEntries].map((m) => m.competitor),
  );
  const marksOf = groupBy(roundMarks, (m) => m.competitor);
  const difficultiesOf = groupBy(roundDifficulties, (d) => d.competitor);
  const missingOf = groupBy(
    inputs.missingMarks.filter((m) => m.round === round),
    (m) => m.competitor,
  );
  return new Map(
    [...competitors].map((competitor) => [
      competitor,
      {
        competitor,
        round,
        marks: marksOf.get(competitor) ?? [],
        difficulties: Object.fromEntries(
          (difficultiesOf.get(competitor) ?? []).map((d) => [d.attempt, d.difficulty]),
        ),
        missingMarks: missingOf.get(competitor) ?? [],
      },
    ]),
  );
}

/** One competitor's score in a round of the event: their own, the earlier rounds' carried over, and the total. */
function scoreInRound(
  scheme: Scheme,
  round: Scheme['rounds'][number],
  input: CompetitorRoundInput,
  ownScores: ReadonlyMap<string, ReadonlyMap<string, Decimal>>,
  memo?: ScoreMemo,
): CompetitorScore {
  const scored = memo ? remembered(memo, scheme, input) : scoreCompetitor(scheme, input);
  // The flags below are this scoring's own: a remembered score is never changed.
  const score = memo ? { ...scored, flags: [...scored.flags] } : scored;
  if (input.marks.length === 0) score.flags.unshift({ code: 'noMarks' });
  const carried = round.carryOver.map((earlier) => {
    const total = ownScores.get(earlier)?.get(input.competitor);
    if (total === undefined) score.flags.push({ code: 'missingRound', round: earlier });
    return { round: earlier, total: total ?? Decimal.ZERO };
  });
  return { ...score, carried, total: Decimal.sum([score.own, ...carried.map((c) => c.total)]) };
}

function remembered(
  memo: ScoreMemo,
  scheme: Scheme,
  input: Parameters<typeof scoreCompetitor>[1],
): CompetitorScore {
  const key = `${input.round}\n${input.competitor}`;
  const inputs = JSON.stringify([input.marks, input.difficulties, input.missingMarks]);
  const held = memo.get(key);
  if (held?.inputs === inputs) return held.score;
  const score = scoreCompetitor(scheme, input);
  memo.set(key, { inputs, score });
  return score;
}

/** Items by a key, in first-seen order (Map.groupBy needs Node 21). */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function overallStandings(
  scheme: Scheme,
  rounds: readonly RoundResult[],
  keys: readonly RankKey<CompetitorScore>[],
): EventStanding[] {
  const placed = new Set<string>();
  const standings: EventStanding[] = [];
  const disqualified: EventStanding[] = [];
  let ahead = 0;
  // Latest round first: everyone who reached it ranks above everyone eliminated before it.
  for (const round of [...rounds].reverse()) {
    const group = round.standings.filter((s) => !placed.has(s.score.competitor)).map((s) => s.score);
    for (const s of group) placed.add(s.competitor);
    const ranked = rankBy(keys, group);
    for (const r of ranked) {
      const standing: EventStanding = {
        ...r,
        rank: r.rank === null ? null : r.rank + ahead,
        competitor: r.score.competitor,
        round: round.round,
        standardScore: null,
      };
      (standing.rank === null ? disqualified : standings).push(standing);
    }
    ahead += ranked.filter((r) => r.rank !== null).length;
  }
  if (scheme.standardScale) {
    const { centre, perDeviation } = scheme.standardScale;
    // Only those with a total are on the scale.
    const scored = standings.filter((s) => !isUnmarked(s.score));
    const scaled = standardise(
      scored.map((s) => s.score.total),
      Decimal.of(centre),
      Decimal.of(perDeviation),
    );
    scored.forEach((s, i) => {
      s.standardScore = scaled[i] ?? null;
    });
  }
  return [...standings, ...disqualified];
}
