/**
 * The push interval: a round's screens get about one change per interval at most (realtime/push.ts), its
 * recomputations no more often (cadence.ts). Short enough that a round marked ten times a second reaches
 * screens without waiting for a turn; each push costs the server about 30 µs per spectator.
 */
export const PUSH_INTERVAL_MS = 50;

/**
 * Frames a process sends a round's audience per second at most: a round followed by many screens is pushed
 * less often, so that each push reaches the last of them before the next one queues behind it (10,000
 * spectators on one process: one push per 500 ms).
 */
export const PUSH_FRAMES_PER_SECOND = 20_000;

/** The push interval of a round whose rooms hold `sockets` of this process's sockets. */
export function pushInterval(sockets: number): number {
  return Math.max(PUSH_INTERVAL_MS, Math.round((sockets / PUSH_FRAMES_PER_SECOND) * 1000));
}

/** Turns a pace lets go within one interval before it holds to its rate. */
export const PACE_BURST = 2;

/**
 * The shortest gap between two turns, as a share of the interval: two pushes of a round from different
 * processes reach a screen through different paths (one process's own sockets, the other's through the
 * Redis adapter), and a gap keeps the later from overtaking the earlier.
 */
export const PACE_GAP = 0.5;

/** When a round's next turn is due at its rate, and when the last one was taken (ms; 0 for none). */
export interface Paced {
  due: number;
  last: number;
}

export const NOT_PACED: Paced = { due: 0, last: 0 };

/**
 * A rate of one turn per `intervalMs` on average that lets `PACE_BURST` turns go within an interval, at
 * least `PACE_GAP` of it apart (the generic cell rate algorithm, with a gap). Returns how long a turn asked
 * for `now` waits, and what to keep once it is taken. A minimum gap of a whole interval instead would
 * phase-lock a steady stream of changes to the interval and hold each of them up to an interval.
 */
export function pace(paced: Paced, now: number, intervalMs: number): { waitMs: number; next: Paced } {
  const start = Math.max(paced.due, now);
  const waitMs = Math.max(
    0,
    start - now - intervalMs * (PACE_BURST - 1),
    paced.last + intervalMs * PACE_GAP - now,
  );
  return { waitMs, next: { due: start + intervalMs, last: now + waitMs } };
}
