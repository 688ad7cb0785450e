import type { RoundSnapshot, SessionEnded } from '@jiangxin/shared';
import { RoundFollower } from '@jiangxin/shared/live';
import { useEffect, useState } from 'react';
import { connectLive, type LiveSocket } from './socket';

export interface LiveRound {
  /** The round as last pushed (null until the first snapshot). */
  snapshot: RoundSnapshot | null;
  connected: boolean;
  /** Why the round cannot be followed (`round_unpublished`, `unauthenticated` …), or null. */
  error: string | null;
}

/**
 * Follows one round over the live socket: a snapshot on joining, then updates applied by `RoundFollower`
 * (deltas on top of the version held; a gap, a rebuilt view or a lost connection without recovery joins again).
 * `onSessionEnded` hears that the server ended the socket's session (token expired or device revoked).
 */
export function useRound(
  token: string | null,
  competitionId: string | null,
  roundId: string | null,
  onSessionEnded?: (ended: SessionEnded) => void,
): LiveRound {
  const [state, setState] = useState<LiveRound>({ snapshot: null, connected: false, error: null });

  useEffect(() => {
    if (!competitionId || !roundId) return;
    const socket: LiveSocket = connectLive(token);
    const follower = new RoundFollower();
    let closed = false;
    const publish = (change: Partial<LiveRound>) => {
      if (!closed) setState((held) => ({ ...held, snapshot: follower.state, ...change }));
    };
    const join = () => {
      if (follower.isJoining) return;
      follower.joining();
      socket.emit('round:join', { competitionId, roundId }, (answer) => {
        if ('error' in answer) {
          follower.joinFailed();
          return publish({ error: answer.error.code });
        }
        if (follower.joined(answer.data) === 'rejoin') join();
        publish({ error: null });
      });
    };
    socket.on('connect', () => {
      publish({ connected: true });
      if (!socket.recovered || follower.state === null) join();
    });
    socket.on('disconnect', () => publish({ connected: false }));
    socket.on('connect_error', (error) => publish({ connected: false, error: error.message }));
    socket.on('round:update', (update) => {
      if (update.roundId !== roundId) return;
      const step = follower.update(update);
      if (step === 'rejoin') join();
      else if (step === 'applied') publish({});
    });
    socket.on('round:gone', (gone) => {
      if (gone.roundId === roundId)
        publish({ error: gone.reason === 'unpublished' ? 'round_unpublished' : 'gone' });
    });
    socket.on('session:ended', (ended) => onSessionEnded?.(ended));
    return () => {
      closed = true;
      socket.close();
      setState({ snapshot: null, connected: false, error: null });
    };
  }, [token, competitionId, roundId, onSessionEnded]);

  return state;
}
