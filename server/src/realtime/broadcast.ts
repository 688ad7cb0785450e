import { roundDelta } from '@jiangxin/shared/live';
import type { LiveRound } from '../live/store';
import { competitionRoomOf, competitionUpdate } from './competitions';
import { audiences, type LiveServer } from './rounds';
import { roomOf, roundSnapshot, visibleTo } from './snapshot';

/**
 * Sends one push (the change from what screens were last sent to the current entry) to every audience's
 * room, on every process through the adapter: a delta when the audience saw the previous entry and only
 * standings changed, a whole snapshot otherwise. An audience that may no longer see the round is told it is
 * gone, and leaves the room. Everything it sends is in the two entries: the push path reads no database.
 */
export function roundBroadcaster(io: LiveServer) {
  return (previous: LiveRound | null, current: LiveRound) => {
    const { roundId, version } = current;
    for (const audience of audiences) {
      const room = roomOf(roundId, audience);
      const saw = previous !== null && visibleTo(audience, previous);
      if (!visibleTo(audience, current)) {
        // With nothing pushed before (a rebuilt live view), screens may hold a state from before: tell them.
        if (saw || previous === null) {
          io.to(room).emit('round:gone', { roundId, reason: 'unpublished' });
          io.in(room).socketsLeave(room);
        }
        continue;
      }
      const snapshot = roundSnapshot(current, audience);
      const delta = saw ? roundDelta(roundSnapshot(previous, audience), snapshot) : null;
      io.to(room).emit('round:update', delta ? { roundId, version, delta } : { roundId, version, snapshot });
    }
    for (const audience of audiences) {
      const update = competitionUpdate(previous, current, audience);
      if (update)
        io.to(competitionRoomOf(current.competitionId, audience)).emit('competition:update', update);
    }
  };
}
