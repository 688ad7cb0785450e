import {
  type LiveAck,
  type LiveAudience,
  type LiveClientEvents,
  type LiveHandshake,
  type LiveServerEvents,
  type Locale,
  roundJoinRequest,
  roundLeaveRequest,
} from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { principalOfToken, rolesIn } from '../plugins/auth';
import {
  AppError,
  INTERNAL_ERROR,
  internalError,
  loggableError,
  pickLocale,
  requestInvalid,
} from '../plugins/errors';
import { checkRoomCap, type LiveLimits } from './limits';
import { audienceOf, roomOf, roundSnapshot, roundUnpublished, shownEntry, visibleTo } from './snapshot';

/**
 * The `round:*` events: a socket joins a round's room for its audience and gets a snapshot (validate → act
 * → acknowledge); every change the live state accepts is pushed to each audience's room (broadcast).
 */

export interface LiveSocketData {
  /** The handshake token, checked again at every join (it may expire, its device may be revoked). */
  token: string | null | undefined;
  locale: Locale;
}

export type LiveServer = Server<LiveClientEvents, LiveServerEvents, Record<never, never>, LiveSocketData>;
export type LiveSocket = Socket<LiveClientEvents, LiveServerEvents, Record<never, never>, LiveSocketData>;

export const audiences: readonly LiveAudience[] = ['staff', 'public', 'judge'];

/** The sockets of this process in the round's rooms, every audience. */
export function followersOf(io: LiveServer, roundId: string): number {
  const rooms = io.of('/').adapter.rooms;
  return audiences.reduce((n, audience) => n + (rooms.get(roomOf(roundId, audience))?.size ?? 0), 0);
}

/** Reads the socket's handshake: a token (or none, for the public) and the language of its messages. */
export function handshakeOf(socket: { handshake: { auth: unknown; headers: Record<string, unknown> } }) {
  const auth = (socket.handshake.auth ?? {}) as LiveHandshake;
  const language = socket.handshake.headers['accept-language'];
  return {
    token: typeof auth.token === 'string' ? auth.token : undefined,
    locale: pickLocale(typeof language === 'string' ? language : undefined),
  };
}

/** The event's payload, or a request_invalid naming the field and the problem. */
export function parse<S extends z.ZodType>(schema: S, request: unknown): z.output<S> {
  // With the input in each issue, a string or an array is named as such (not as "nothing").
  const parsed = schema.safeParse(request, { reportInput: true });
  if (!parsed.success) throw requestInvalid('payload', parsed.error.issues);
  return parsed.data;
}

/**
 * Puts the socket in the room of its audience in the competition (out of the other audience's), then reads
 * the answer: joined before reading, so no change sent after the read can pass it by; out again when the
 * read fails. A socket following `maxRooms` rooms already is refused a new one.
 */
export async function joinAudienceRoom<T>(
  app: FastifyInstance,
  socket: LiveSocket,
  competitionId: string,
  maxRooms: number,
  roomFor: (audience: LiveAudience) => string,
  read: (audience: LiveAudience) => Promise<T>,
): Promise<T> {
  checkRoomCap(socket, audiences.map(roomFor), maxRooms);
  const principal = await principalOfToken(app, socket.data.token);
  const audience = audienceOf(await rolesIn(app, principal, competitionId));
  for (const other of audiences) if (other !== audience) await socket.leave(roomFor(other));
  await socket.join(roomFor(audience));
  try {
    return await read(audience);
  } catch (error) {
    await socket.leave(roomFor(audience));
    throw error;
  }
}

export async function leaveAudienceRooms(socket: LiveSocket, roomFor: (audience: LiveAudience) => string) {
  for (const audience of audiences) await socket.leave(roomFor(audience));
}

/** Answers every event with `{ data }` or `{ error }`; an unexpected failure is logged, never shown. */
export function answer<T>(app: FastifyInstance, socket: LiveSocket, ack: unknown, act: () => Promise<T>) {
  if (typeof ack !== 'function') return;
  const reply = ack as (response: LiveAck<T>) => void;
  act().then(
    (data) => reply({ data }),
    (error: unknown) => {
      if (error instanceof AppError) {
        reply({ error: { code: error.code, message: error.messages[socket.data.locale] } });
        return;
      }
      app.log.error({ error: loggableError(error) }, 'a live socket event failed');
      reply({ error: { code: INTERNAL_ERROR, message: internalError[socket.data.locale] } });
    },
  );
}

export function handleRounds(app: FastifyInstance, io: LiveServer, limits: LiveLimits) {
  io.use((socket, next) => {
    const { token, locale } = handshakeOf(socket);
    socket.data = { token, locale };
    principalOfToken(app, token).then(
      () => next(),
      (error: unknown) => {
        if (!(error instanceof AppError))
          app.log.error({ error: loggableError(error) }, 'a live handshake failed');
        next(new Error(error instanceof AppError ? error.code : INTERNAL_ERROR));
      },
    );
  });

  io.on('connection', (socket) => {
    socket.on('round:join', (request, ack) =>
      answer(app, socket, ack, async () => {
        const { competitionId, roundId } = parse(roundJoinRequest, request);
        return joinAudienceRoom(
          app,
          socket,
          competitionId,
          limits.roomsPerSocket,
          (a) => roomOf(roundId, a),
          async (audience) => {
            const entry = await shownEntry(app, competitionId, roundId, audience);
            if (!visibleTo(audience, entry)) throw roundUnpublished();
            return roundSnapshot(entry, audience);
          },
        );
      }),
    );

    socket.on('round:leave', (request, ack) =>
      answer(app, socket, ack, async () => {
        const { roundId } = parse(roundLeaveRequest, request);
        await leaveAudienceRooms(socket, (a) => roomOf(roundId, a));
        return { roundId };
      }),
    );
  });
}
