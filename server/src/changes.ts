/**
 * What a committed write changed, as the services announce it after the commit: a round, every round of an
 * event, or every round of a competition. The live view listens and recomputes what was named; nothing is
 * inferred from a request.
 */
export type Change =
  | { competitionId: string; roundId: string }
  | { competitionId: string; eventId: string }
  | { competitionId: string };

/** What an audited write declares it changed (the competition comes from the audit entry). */
export type Affects = { roundId: string } | { eventId: string } | 'competition' | 'noStandings';

export interface Changes {
  /** Called by a service once its transaction has committed. */
  committed(change: Change): void;
  /** Listens to every change committed in this process; returns the unsubscriber. */
  subscribe(listener: (change: Change) => void): () => void;
}

export function createChanges(): Changes {
  const listeners = new Set<(change: Change) => void>();
  return {
    committed(change) {
      for (const listener of listeners) listener(change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export function changeOf(competitionId: string, affects: Exclude<Affects, 'noStandings'>): Change {
  return affects === 'competition' ? { competitionId } : { competitionId, ...affects };
}
