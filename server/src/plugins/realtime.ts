import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import type { TrustFunction } from '../client-address';
import { pushInterval } from '../live/pace';
import { roundBroadcaster } from '../realtime/broadcast';
import { handleCompetitions } from '../realtime/competitions';
import {
  defaultLiveLimits,
  type LiveLimits,
  limitConnections,
  limitEvents,
  limitSendBuffers,
} from '../realtime/limits';
import { createPusher, type RoundPusher } from '../realtime/push';
import { followersOf, handleRounds, type LiveServer } from '../realtime/rounds';
import { endDeviceSessions, watchSessions } from '../realtime/sessions';
import { loggableError } from './errors';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Socket.IO server of the live push (path /socket.io/), on the same HTTP server as the API. */
    io: LiveServer;
    /** Pushes rounds to screens, coalesced across processes (tests settle it). */
    pushes: RoundPusher;
  }
}

export interface RealtimeOptions {
  /** What one socket and one address may take; each unset budget keeps its default. */
  limits?: Partial<LiveLimits> | undefined;
  /** Which proxies' X-Forwarded-For gives a socket's address (as Fastify's trustProxy); none by default. */
  trust?: TrustFunction | undefined;
}

/** How long a dropped connection may come back and get what it missed (connection-state recovery). */
const RECOVERY_MS = 2 * 60 * 1000;

/**
 * The real-time push: Socket.IO on the API's HTTP server. Every change the live state accepts in this
 * process is sent, coalesced, to the rooms of each audience; with Redis the streams adapter carries it to
 * the sockets of every other process, and keeps sessions so a reconnecting screen misses nothing.
 */
async function realtime(app: FastifyInstance, options: RealtimeOptions) {
  const redis = app.redis;
  const io: LiveServer = new Server(app.server, {
    transports: ['websocket', 'polling'],
    // Compression costs CPU and memory per socket on a crowded venue network; payloads are small anyway.
    perMessageDeflate: false,
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: true },
    ...(redis
      ? {
          adapter: createAdapter(redis.streams, {
            streamName: `${redis.prefix}io`,
            channelPrefix: `${redis.prefix}io`,
            sessionKeyPrefix: `${redis.prefix}io:session:`,
          }),
        }
      : {}),
  });
  app.decorate('io', io);
  const limits = { ...defaultLiveLimits, ...options.limits };
  // The address cap first: a refused connection costs no token check.
  limitConnections(app, io, limits, options.trust ?? (() => false));
  // Before the event handlers, so that its socket middleware runs for every event.
  limitEvents(io, limits);
  limitSendBuffers(app, io, limits);
  handleRounds(app, io, limits);
  handleCompetitions(app, io, limits);
  watchSessions(app, io);
  const stopEnding = app.changes.subscribeDeviceTokensEnded(({ deviceId, current }) =>
    endDeviceSessions(app, deviceId, current),
  );

  const pushes = createPusher(
    app.live.store,
    // Paced by the round's audience on this process (pace.ts), across every process.
    (roundId) => pushInterval(followersOf(io, roundId)),
    roundBroadcaster(io),
    (error: unknown) => app.log.error({ error: loggableError(error) }, 'a live push failed'),
  );
  app.decorate('pushes', pushes);
  const stop = app.live.onPushDue((roundId) => pushes.due(roundId));

  // Sockets would keep the HTTP server from closing: end them first. Their connections are closed rather
  // than the sockets disconnected, so every client reconnects by itself ("transport close": to another
  // process, or this one restarted) instead of giving up ("io server disconnect").
  app.addHook('preClose', async () => {
    stop();
    stopEnding();
    pushes.close();
    for (const socket of io.of('/').sockets.values()) socket.conn.close(true);
  });
  app.addHook('onClose', async () => {
    await pushes.settle();
    await io.close();
  });
}

export default fp(realtime, { name: 'realtime', dependencies: ['live', 'auth', 'changes', 'redis'] });
