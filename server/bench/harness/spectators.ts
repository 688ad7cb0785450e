/**
 * Light spectators for the load generator: raw Engine.IO v4 WebSocket clients (undici's WebSocket), not one
 * socket.io-client each, so a thousand or more fit beside the judges on one core. Each speaks just enough of
 * the protocol: open the namespace, answer pings, send one event with an acknowledgement (the join), and
 * count the frames it receives; `onFrame` sees each one (its text) with the time it arrived.
 */
import { WebSocket } from 'undici';

export interface Spectators {
  /** Frames received by every spectator together (pings excluded). */
  frames(): number;
  /** How many are connected and joined now. */
  joined(): number;
  close(): void;
}

export interface SpectatorOptions {
  count: number;
  /** The event and its argument each spectator sends once the namespace is open, e.g. ['round:join', {…}]. */
  join: (index: number) => [string, unknown];
  onFrame?: (text: string, at: number) => void;
  /** Connections opened at once (a burst of thousands would overflow the server's accept queue). */
  batch?: number;
}

/** Connects `count` spectators to a Socket.IO server at `url` (http://…) and waits until every one joined. */
export async function connectSpectators(url: string, options: SpectatorOptions): Promise<Spectators> {
  const endpoint = `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const sockets: WebSocket[] = [];
  let frames = 0;
  let joined = 0;
  const open = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(endpoint);
      sockets.push(ws);
      let done = false;
      const timer = setTimeout(() => {
        if (!done) reject(new Error(`spectator ${index} did not join within 30 s`));
      }, 30_000);
      ws.onerror = () => {
        if (!done) reject(new Error(`spectator ${index}: connection failed`));
      };
      ws.onclose = () => {
        if (done) joined--;
      };
      ws.onmessage = (message) => {
        const text = typeof message.data === 'string' ? message.data : '';
        if (text === '2') return ws.send('3');
        if (text.startsWith('0')) return ws.send('40');
        if (text.startsWith('40')) return ws.send(`421${JSON.stringify(options.join(index))}`);
        if (text.startsWith('431')) {
          done = true;
          joined++;
          clearTimeout(timer);
          return resolve();
        }
        frames++;
        options.onFrame?.(text, performance.now());
      };
    });
  const batch = options.batch ?? 200;
  try {
    for (let i = 0; i < options.count; i += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, options.count - i) }, (_, k) => open(i + k)));
    }
  } catch (error) {
    for (const ws of sockets) ws.close();
    throw error;
  }
  return {
    frames: () => frames,
    joined: () => joined,
    close: () => {
      for (const ws of sockets) ws.close();
    },
  };
}
