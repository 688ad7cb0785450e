import { checked, RehearsalError } from '@jiangxin/server/rehearsal';
import { type LiveClientEvents, type LiveServerEvents, roundJoinRequest } from '@jiangxin/shared';
import { RoundFollower } from '@jiangxin/shared/live';
import { io, type Socket } from 'socket.io-client';

export interface Spectator {
  socket: Socket<LiveServerEvents, LiveClientEvents>;
  /** Each round as this spectator's screen shows it. */
  latest: Map<string, RoundFollower>;
  arrivals: { roundId: string; at: number; kind: 'delta' | 'snapshot'; bytes: number }[];
  /** Updates it could not apply (a version gap): it joined the round again for a snapshot. */
  gaps: number;
}

/** A public socket that follows the rounds as a phone page does: snapshot on joining, then updates. */
export async function watch(
  origin: string,
  competitionId: string,
  roundIds: readonly string[],
): Promise<Spectator> {
  const socket: Socket<LiveServerEvents, LiveClientEvents> = io(origin, {
    transports: ['websocket'],
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const spectator: Spectator = { socket, latest: new Map(), arrivals: [], gaps: 0 };
  const join = async (roundId: string): Promise<void> => {
    const round = spectator.latest.get(roundId) ?? new RoundFollower();
    spectator.latest.set(roundId, round);
    round.joining();
    const answer = await socket.emitWithAck(
      'round:join',
      checked(roundJoinRequest, { competitionId, roundId }),
    );
    if ('error' in answer) {
      round.joinFailed();
      throw new RehearsalError(`a spectator could not join round ${roundId}: ${answer.error.code}`);
    }
    if (round.joined(answer.data) === 'rejoin') {
      spectator.gaps++;
      await join(roundId);
    }
  };
  socket.on('round:update', (update) => {
    spectator.arrivals.push({
      roundId: update.roundId,
      at: performance.now(),
      kind: update.delta ? 'delta' : 'snapshot',
      // The JSON text is what Socket.IO puts on the wire (no compression).
      bytes: Buffer.byteLength(JSON.stringify(update)),
    });
    const round = spectator.latest.get(update.roundId);
    if (round?.update(update) === 'rejoin') {
      spectator.gaps++;
      join(update.roundId).catch(() => {});
    }
  });
  for (const roundId of roundIds) await join(roundId);
  return spectator;
}
