import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { LiveRound } from '../live/store';
import { coalescePerRound } from '../realtime/coalesce';
import { handleRounds, type LiveServer, roundBroadcaster } from '../realtime/rounds';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Socket.IO server of the live push (path /socket.io/), on the same HTTP server as the API. */
    io: LiveServer;
  }
}

export interface RealtimeOptions {
  /** Several processes serve the same rooms through this Redis (streams adapter); unset: one process. */
  redisUrl?: string | undefined;
  /** Keeps deployments (or test runs) apart on one Redis. */
  redisPrefix?: string | undefined;
  /** The shortest time between two pushes of one round to one room. */
  coalesceMs?: number | undefined;
}

/** How long a dropped connection may come back and get what it missed (connection-state recovery). */
const RECOVERY_MS = 2 * 60 * 1000;

/**
 * The real-time push: Socket.IO on the API's HTTP server. Every change the live state accepts in this
 * process is sent, coalesced, to the rooms of each audience; with Redis the streams adapter carries it to
 * the sockets of every other process, and keeps sessions so a reconnecting screen misses nothing.
 */
async function realtime(app: FastifyInstance, options: RealtimeOptions) {
  const redis = options.redisUrl ? new Redis(options.redisUrl, { maxRetriesPerRequest: 3 }) : null;
  const prefix = options.redisPrefix ?? 'jx:';
  const io: LiveServer = new Server(app.server, {
    transports: ['websocket', 'polling'],
    // Compression costs CPU and memory per socket on a crowded venue network; payloads are small anyway.
    perMessageDeflate: false,
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: true },
    ...(redis
      ? {
          adapter: createAdapter(redis, {
            streamName: `${prefix}io`,
            channelPrefix: `${prefix}io`,
            sessionKeyPrefix: `${prefix}io:session:`,
          }),
        }
      : {}),
  });
  app.decorate('io', io);
  handleRounds(app, io);

  const broadcast = roundBroadcaster(app, io);
  const sending = new Set<Promise<void>>();
  const push = coalescePerRound<LiveRound>(options.coalesceMs ?? 100, (entry) => {
    const job = broadcast(entry).catch((error: unknown) =>
      app.log.error({ err: error }, 'a live push failed'),
    );
    sending.add(job);
    void job.finally(() => sending.delete(job));
  });
  const stop = app.live.onWrite((entry) => push.push(entry));

  // Sockets would keep the HTTP server from closing: end them first.
  app.addHook('preClose', async () => {
    stop();
    push.close();
    io.local.disconnectSockets(true);
  });
  app.addHook('onClose', async () => {
    await Promise.all([...sending]);
    await io.close();
    await redis?.quit();
  });
}

export default fp(realtime, { name: 'realtime', dependencies: ['live', 'auth'] });
