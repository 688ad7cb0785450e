/**
 * At most one send per round per interval: the first change goes out at once (latency matters on the venue
 * screen), later ones within the interval collapse into one trailing send of the newest. A burst of marks
 * thus costs each room a bounded number of messages per second, and nothing older than what was sent goes.
 *
 * "Newer" is by the Postgres position first (it survives a rebuild of the live view, whose versions start
 * again), then by version: an entry from the same position has the same content, so skipping it loses
 * nothing.
 */
export interface Coalescer<T> {
  push(entry: T): void;
  /** Drops what is waiting (shutdown). */
  close(): void;
}

interface Pending<T> {
  lastSentAt: number;
  sent: T | null;
  next: T | null;
  timer: NodeJS.Timeout | null;
}

type Entry = { roundId: string; sourceVersion: number; version: number };

const newer = (a: Entry, b: Entry | null) =>
  b === null ||
  a.sourceVersion > b.sourceVersion ||
  (a.sourceVersion === b.sourceVersion && a.version > b.version);

export function coalescePerRound<T extends Entry>(
  intervalMs: number,
  send: (entry: T) => void,
): Coalescer<T> {
  const rounds = new Map<string, Pending<T>>();
  const flush = (state: Pending<T>) => {
    state.timer = null;
    const entry = state.next;
    if (!entry) return;
    state.next = null;
    state.lastSentAt = Date.now();
    state.sent = entry;
    send(entry);
  };
  return {
    push(entry) {
      let state = rounds.get(entry.roundId);
      if (!state) {
        state = { lastSentAt: Number.NEGATIVE_INFINITY, sent: null, next: null, timer: null };
        rounds.set(entry.roundId, state);
      }
      if (!newer(entry, state.sent) || (state.next && !newer(entry, state.next))) return;
      state.next = entry;
      if (state.timer) return;
      const wait = state.lastSentAt + intervalMs - Date.now();
      if (wait <= 0) flush(state);
      else {
        const waiting = state;
        state.timer = setTimeout(() => flush(waiting), wait);
      }
    },
    close() {
      for (const state of rounds.values()) if (state.timer) clearTimeout(state.timer);
      rounds.clear();
    },
  };
}
