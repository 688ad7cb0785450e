import type { RoundSnapshot } from '@jiangxin/shared';
import { useEffect, useState } from 'react';
import { useRound } from '../common/live/useRound';
import { livePath, type Polled, startPolling } from './poll';

/** How long the socket may take to connect before the page polls instead. */
const SOCKET_GRACE_MS = 4_000;

export interface LiveStandings {
  snapshot: RoundSnapshot | null;
  via: 'socket' | 'polling' | 'connecting';
  error: string | null;
}

/**
 * A round for the public: deltas over the socket; when the socket does not connect (some in-app browsers and
 * proxies block WebSocket), the cacheable snapshot endpoint polled with ETag until the socket comes back.
 */
export function useLiveStandings(competitionId: string, roundId: string): LiveStandings {
  const live = useRound(null, competitionId, roundId);
  const [polling, setPolling] = useState(false);
  const [polled, setPolled] = useState<Polled>({ snapshot: null, etag: null, error: null });

  useEffect(() => {
    if (live.connected) {
      setPolling(false);
      return;
    }
    const timer = setTimeout(() => setPolling(true), SOCKET_GRACE_MS);
    return () => clearTimeout(timer);
  }, [live.connected]);

  useEffect(() => {
    if (!polling) return;
    return startPolling((url, init) => fetch(url, init), livePath(competitionId, roundId), setPolled);
  }, [polling, competitionId, roundId]);

  if (live.connected && (live.snapshot || live.error))
    return { snapshot: live.snapshot, via: 'socket', error: live.snapshot ? null : live.error };
  if (polling)
    return { snapshot: polled.snapshot, via: 'polling', error: polled.snapshot ? null : polled.error };
  return { snapshot: live.snapshot ?? polled.snapshot, via: 'connecting', error: null };
}
