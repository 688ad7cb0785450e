/**
 * Light spectators in this process (the naive scenario's audience): the one protocol implementation of
 * spectator.ts, each joining what `join` names and counting the frames it receives after joining. For an
 * audience in a pinned process of its own, with versions timed, see audience.ts.
 */
import { Spectator } from './spectator';

export interface Spectators {
  /** Frames received by every spectator together (pings excluded). */
  frames(): number;
  /** How many are connected and joined now. */
  joined(): number;
  close(): void;
}

export interface SpectatorOptions {
  count: number;
  /** The round each spectator joins (its public room). */
  join: (index: number) => { competitionId: string; roundId: string };
  /** Connections opened at once (a burst of thousands would overflow the server's accept queue). */
  batch?: number;
}

/** Connects `count` spectators to a Socket.IO server at `url` (http://…) and waits until every one joined. */
export async function connectSpectators(url: string, options: SpectatorOptions): Promise<Spectators> {
  const origin = url.replace(/^http/, 'ws');
  const spectators: Spectator[] = [];
  let frames = 0;
  const failures: string[] = [];
  let wake = () => {};
  const events = {
    reached: () => {},
    ready: () => wake(),
    error: (_: Spectator, what: string) => {
      failures.push(what);
      wake();
    },
    frame: () => {
      frames++;
    },
  };
  const joined = () => spectators.filter((s) => s.ready).length;
  const close = () => {
    for (const s of spectators) s.close();
  };
  const batch = options.batch ?? 200;
  for (let i = 0; i < options.count; i += batch) {
    for (let k = i; k < Math.min(options.count, i + batch); k++) {
      const spectator = new Spectator(k, { origin, join: options.join(k) }, events);
      spectators.push(spectator);
      spectator.connect();
    }
    const deadline = Date.now() + 30_000;
    while (joined() < spectators.length) {
      if (failures.length > 0 || Date.now() > deadline) {
        close();
        throw new Error(`spectators did not all join: ${failures[0] ?? 'not within 30 s'}`);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  }
  return { frames: () => frames, joined, close };
}
