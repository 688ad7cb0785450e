import {
  type CompetitionSnapshot,
  type CompetitionUpdate,
  competitionJoinRequest,
  type LiveAudience,
  type RoundSummary,
} from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import type { LiveRound } from '../live/store';
import { notFound } from '../refusals';
import type { LiveLimits } from './limits';
import { answer, joinAudienceRoom, type LiveServer, leaveAudienceRooms, parse } from './rounds';
import { shownEntry, visibleTo } from './snapshot';

/**
 * The `competition:*` events: a socket joins a competition's room for its audience and gets the rounds it
 * may watch; a round that appears to the audience, changes status or freeze, or may no longer be watched
 * is announced there (marks go to the round's own room, so this room stays quiet during marking: only a
 * round's first mark is announced, as `marked`).
 */

export const competitionRoomOf = (competitionId: string, audience: LiveAudience) =>
  `competition:${competitionId}:${audience}`;

/** The round as the audience's list shows it. */
export function summaryOf(entry: LiveRound, audience: LiveAudience): RoundSummary {
  return {
    roundId: entry.roundId,
    version: entry.version,
    event: entry.event.event,
    round: entry.round,
    status: { ...entry.status },
    open: entry.open,
    // A competitor without a mark in the round has no total (the engine's `isUnmarked`).
    marked: entry.event.standings.some((s) => s.total !== null),
    frozen: audience === 'public' && entry.freeze !== null,
  };
}

/** What the competition's room of `audience` is told about a push, if anything. */
export function competitionUpdate(
  previous: LiveRound | null,
  current: LiveRound,
  audience: LiveAudience,
): CompetitionUpdate | null {
  const { competitionId, roundId } = current;
  const saw = previous !== null && visibleTo(audience, previous);
  if (!visibleTo(audience, current))
    return saw || previous === null ? { competitionId, gone: { roundId } } : null;
  const round = summaryOf(current, audience);
  const unchanged =
    saw &&
    JSON.stringify({ ...summaryOf(previous, audience), version: 0 }) ===
      JSON.stringify({ ...round, version: 0 });
  return unchanged ? null : { competitionId, round };
}

/** The competition's rounds the audience may watch, in the order they were set up. */
export async function competitionSnapshot(
  app: FastifyInstance,
  competitionId: string,
  audience: LiveAudience,
): Promise<CompetitionSnapshot> {
  const ids = await app.live.roundsOf(competitionId);
  if (ids === null) throw notFound('competition', competitionId);
  const summaries: RoundSummary[] = [];
  for (const roundId of ids) {
    const entry = await shownEntry(app, competitionId, roundId, audience);
    if (visibleTo(audience, entry)) summaries.push(summaryOf(entry, audience));
  }
  return { competitionId, audience, rounds: summaries };
}

export function handleCompetitions(app: FastifyInstance, io: LiveServer, limits: LiveLimits) {
  io.on('connection', (socket) => {
    socket.on('competition:join', (request, ack) =>
      answer(app, socket, ack, async () => {
        const { competitionId } = parse(competitionJoinRequest, request);
        return joinAudienceRoom(
          app,
          socket,
          competitionId,
          limits.roomsPerSocket,
          (a) => competitionRoomOf(competitionId, a),
          (audience) => competitionSnapshot(app, competitionId, audience),
        );
      }),
    );

    socket.on('competition:leave', (request, ack) =>
      answer(app, socket, ack, async () => {
        const { competitionId } = parse(competitionJoinRequest, request);
        await leaveAudienceRooms(socket, (a) => competitionRoomOf(competitionId, a));
        return { competitionId };
      }),
    );
  });
}
