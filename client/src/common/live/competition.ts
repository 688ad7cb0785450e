import type { CompetitionSnapshot, CompetitionUpdate, RoundSummary } from '@jiangxin/shared';

/**
 * A competition's rounds as the audience may watch them, after an update from its room: a round that appears
 * or changes replaces the one held unless it is older (of two summaries of one round the higher version
 * wins); a round that may no longer be watched is dropped. The order the snapshot gave is kept; a new round
 * goes last.
 */
export function applyCompetitionUpdate(
  rounds: readonly RoundSummary[],
  update: CompetitionUpdate,
): RoundSummary[] {
  if (update.gone) return rounds.filter((r) => r.roundId !== update.gone.roundId);
  const round = update.round;
  const held = rounds.findIndex((r) => r.roundId === round.roundId);
  if (held < 0) return [...rounds, round];
  if ((rounds[held]?.version ?? -1) > round.version) return [...rounds];
  return rounds.map((r, i) => (i === held ? round : r));
}

/** The rounds of a snapshot, keeping for each round the newer of the summary held and the one answered. */
export function mergeCompetitionSnapshot(
  held: readonly RoundSummary[],
  snapshot: CompetitionSnapshot,
): RoundSummary[] {
  const before = new Map(held.map((r) => [r.roundId, r]));
  return snapshot.rounds.map((r) => {
    const old = before.get(r.roundId);
    return old && old.version > r.version ? old : r;
  });
}
