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

/**
 * A device's tokens stopped working (revoked, paired again, a judge signed in or out); `current` is the
 * token version just issued to it, none when revoked. Its live sockets end.
 */
export interface DeviceTokensEnded {
  deviceId: string;
  current: number | null;
}

export interface Changes {
  /** Called by a service once its transaction has committed. */
  committed(change: Change): void;
  /** Listens to every change committed in this process; returns the unsubscriber. */
  subscribe(listener: (change: Change) => void): () => void;
  /** Called by the auth service once the transaction that ended a device's tokens has committed. */
  deviceTokensEnded(ended: DeviceTokensEnded): void;
  subscribeDeviceTokensEnded(listener: (ended: DeviceTokensEnded) => void): () => void;
}

function topic<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    publish(value: T) {
      for (const listener of listeners) listener(value);
    },
    subscribe(listener: (value: T) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export function createChanges(): Changes {
  const changes = topic<Change>();
  const ended = topic<DeviceTokensEnded>();
  return {
    committed: changes.publish,
    subscribe: changes.subscribe,
    deviceTokensEnded: ended.publish,
    subscribeDeviceTokensEnded: ended.subscribe,
  };
}

export function changeOf(competitionId: string, affects: Exclude<Affects, 'noStandings'>): Change {
  return affects === 'competition' ? { competitionId } : { competitionId, ...affects };
}
