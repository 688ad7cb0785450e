import type { RoundSummary, SessionEnded } from '@jiangxin/shared';
import { useEffect, useState } from 'react';
import { applyCompetitionUpdate, mergeCompetitionSnapshot } from './competition';
import { connectLive } from './socket';

export interface LiveCompetition {
  /** The rounds the audience may watch (null until the room answered). */
  rounds: RoundSummary[] | null;
  connected: boolean;
  /** Why the competition cannot be followed (`unauthenticated`, a connection error …), or null. */
  error: string | null;
}

/**
 * Follows a competition's room over the live socket: the rounds the audience may watch, then each round that
 * appears, changes status or freeze, or goes. Joins again after a reconnection that did not recover.
 * `onSessionEnded` hears that the server ended the socket's session (token expired or device revoked).
 */
export function useCompetition(
  token: string | null,
  competitionId: string | null,
  onSessionEnded?: (ended: SessionEnded) => void,
): LiveCompetition {
  // Kept across a new token (a renewal reconnects): the rounds stay on screen until the room answers again.
  const [state, setState] = useState<LiveCompetition & { of: string | null }>({
    of: null,
    rounds: null,
    connected: false,
    error: null,
  });

  useEffect(() => {
    if (!competitionId) return;
    const socket = connectLive(token);
    let closed = false;
    const publish = (change: (held: LiveCompetition) => Partial<LiveCompetition>) => {
      if (closed) return;
      setState((held) => {
        const mine =
          held.of === competitionId
            ? held
            : { of: competitionId, rounds: null, connected: false, error: null };
        return { ...mine, ...change(mine) };
      });
    };
    const join = () =>
      socket.emit('competition:join', { competitionId }, (answer) => {
        if ('error' in answer) return publish(() => ({ error: answer.error.code }));
        publish((held) => ({
          rounds: mergeCompetitionSnapshot(held.rounds ?? [], answer.data),
          error: null,
        }));
      });
    socket.on('connect', () => {
      publish(() => ({ connected: true }));
      if (!socket.recovered) join();
    });
    socket.on('disconnect', () => publish(() => ({ connected: false })));
    socket.on('connect_error', (error) => publish(() => ({ connected: false, error: error.message })));
    socket.on('competition:update', (update) => {
      if (update.competitionId === competitionId)
        publish((held) => ({ rounds: applyCompetitionUpdate(held.rounds ?? [], update) }));
    });
    socket.on('session:ended', (ended) => onSessionEnded?.(ended));
    return () => {
      closed = true;
      socket.close();
    };
  }, [token, competitionId, onSessionEnded]);

  if (state.of !== competitionId) return { rounds: null, connected: false, error: null };
  return { rounds: state.rounds, connected: state.connected, error: state.error };
}
