import type { CompetitionSnapshot, RoundSnapshot, RoundSummary } from '@jiangxin/shared';
import { competitionLivePath, roundLivePath } from '../common/live/poll';
import { useCompetition } from '../common/live/useCompetition';
import { type LiveView, useLiveOrPolled } from '../common/live/useLiveOrPolled';
import { useRound } from '../common/live/useRound';

/**
 * What the public's page follows: over the socket (deltas, updates of the list); when the socket does not
 * connect, the cacheable HTTP endpoints polled with ETag until it does.
 */

export type Via = LiveView<unknown>['via'];

const wholeSnapshot = (snapshot: RoundSnapshot) => snapshot;
const roundsOf = (snapshot: CompetitionSnapshot) => snapshot.rounds;

/** A round's live standings. */
export function useLiveStandings(competitionId: string, roundId: string): LiveView<RoundSnapshot> {
  const live = useRound(null, competitionId, roundId);
  return useLiveOrPolled(
    { value: live.snapshot, connected: live.connected, error: live.error },
    roundLivePath(competitionId, roundId),
    wholeSnapshot,
  );
}

/** The rounds of a competition the public may watch. */
export function useLiveRounds(competitionId: string): LiveView<RoundSummary[]> {
  const live = useCompetition(null, competitionId);
  return useLiveOrPolled(
    { value: live.rounds, connected: live.connected, error: live.error },
    competitionLivePath(competitionId),
    roundsOf,
  );
}
