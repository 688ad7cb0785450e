import type { LiveRound, LiveStore } from '../live/store';

/**
 * Sends each round's changes to screens, coalesced across every process: a push needs the round's claim in
 * the live store (one per interval on average, two within one a gap apart, whoever asks: pace.ts), so a
 * burst of marks costs each room a bounded number of messages per second however many processes take marks.
 * A change within the rate goes out at once (latency matters on the venue screen); later ones collapse into
 * one trailing push of the newest entry, sent by whichever process claims it first. `intervalOf` gives a
 * round's interval (longer for a larger audience).
 */
export interface RoundPusher {
  /** The round has an entry screens were not sent yet: push it as soon as the interval allows. */
  due(roundId: string): void;
  /** Waits for the pushes under way, and those waiting for the interval to pass (tests). */
  settle(): Promise<void>;
  /** Drops what is waiting (shutdown). */
  close(): void;
}

interface RoundState {
  timer: NodeJS.Timeout | null;
  running: boolean;
  /** Another change arrived while a push ran (or the claim said wait): run again. */
  again: boolean;
  retryInMs: number;
}

export function createPusher(
  store: LiveStore,
  intervalOf: (roundId: string) => number,
  send: (previous: LiveRound | null, current: LiveRound) => void | Promise<void>,
  onError: (error: unknown) => void,
): RoundPusher {
  const rounds = new Map<string, RoundState>();
  const jobs = new Set<Promise<void>>();
  let closed = false;

  const schedule = (roundId: string, state: RoundState, ms: number) => {
    if (state.running) {
      state.again = true;
      return;
    }
    if (state.timer || closed) return;
    // Nothing to wait for: claim now (a timer hop would queue behind whatever the event loop holds).
    if (ms <= 0) {
      run(roundId, state);
      return;
    }
    state.timer = setTimeout(() => {
      state.timer = null;
      run(roundId, state);
    }, ms);
  };

  const run = (roundId: string, state: RoundState) => {
    state.running = true;
    state.again = false;
    state.retryInMs = 0;
    const job = (async () => {
      const claim = await store.claimPush(roundId, intervalOf(roundId));
      if (claim.kind === 'wait') {
        state.again = true;
        state.retryInMs = claim.ms;
      } else if (claim.kind === 'send') await send(claim.previous, claim.current);
    })()
      // A failed push is sent with the next change, or when a screen finds the pushed copy behind.
      .catch(onError)
      .finally(() => {
        state.running = false;
        jobs.delete(job);
        if (state.again) schedule(roundId, state, state.retryInMs);
        else if (!state.timer) rounds.delete(roundId);
      });
    jobs.add(job);
  };

  return {
    due(roundId) {
      let state = rounds.get(roundId);
      if (!state) {
        state = { timer: null, running: false, again: false, retryInMs: 0 };
        rounds.set(roundId, state);
      }
      schedule(roundId, state, 0);
    },
    async settle() {
      while (rounds.size > 0 || jobs.size > 0) {
        await Promise.all([...jobs]);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close() {
      closed = true;
      for (const state of rounds.values()) if (state.timer) clearTimeout(state.timer);
      rounds.clear();
    },
  };
}
