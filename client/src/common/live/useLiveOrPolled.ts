import { useEffect, useState } from 'react';
import { nothingPolled, type Polled, startPolling } from './poll';

/** How long a socket may take to connect before the page polls instead. */
const SOCKET_GRACE_MS = 4_000;

// Once the page's socket failed to connect, the next view polls at once instead of waiting again.
let socketUnreachable = false;

/** What a socket hook holds: its value (null until the room answered), whether it is connected, its error. */
export interface SocketView<T> {
  value: T | null;
  connected: boolean;
  error: string | null;
}

export interface LiveView<T> {
  value: T | null;
  /** Where the value comes from: the socket, HTTP polling, or neither yet. */
  via: 'socket' | 'polling' | 'connecting';
  error: string | null;
}

/**
 * A socket hook's value, or, while its socket does not connect (some in-app browsers and proxies block
 * WebSocket and long-polling), the live view's HTTP endpoint at `path` polled with ETag: after a grace
 * period (none once the page's socket is known not to connect), until the socket connects again.
 * `select` reads the value out of the endpoint's answer.
 */
export function useLiveOrPolled<T, A>(
  live: SocketView<T>,
  path: string,
  select: (answer: A) => T,
): LiveView<T> {
  const [polling, setPolling] = useState(socketUnreachable);
  const [polled, setPolled] = useState<Polled<A> & { of: string | null }>({ ...nothingPolled, of: null });

  useEffect(() => {
    if (live.connected) {
      socketUnreachable = false;
      setPolling(false);
      return;
    }
    const timer = setTimeout(
      () => {
        socketUnreachable = true;
        setPolling(true);
      },
      socketUnreachable ? 0 : SOCKET_GRACE_MS,
    );
    return () => clearTimeout(timer);
  }, [live.connected]);

  useEffect(() => {
    if (!polling) return;
    return startPolling<A>(
      (url, init) => fetch(url, init),
      path,
      (state) => setPolled({ ...state, of: path }),
    );
  }, [polling, path]);

  const answer = polled.of === path && polled.answer !== null ? select(polled.answer) : null;
  if (live.connected && (live.value !== null || live.error))
    return { value: live.value, via: 'socket', error: live.value === null ? live.error : null };
  if (polling) {
    const error = polled.of === path ? polled.error : null;
    return { value: answer, via: 'polling', error: answer === null ? error : null };
  }
  return { value: live.value ?? answer, via: 'connecting', error: null };
}
