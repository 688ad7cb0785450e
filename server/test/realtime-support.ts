import { randomBytes, randomUUID } from 'node:crypto';
import type { LiveClientEvents, LiveServerEvents, RoundSnapshot, RoundUpdate } from '@jiangxin/shared';
import { RoundFollower } from '@jiangxin/shared/live';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { expect } from 'vitest';
import { buildApp } from '../src/app';
import { openDatabase } from '../src/db/client';
import { competitions } from '../src/db/schema';
import { createTestDatabase, testRedisUrl } from './databases';
import { bearer, type Seeded, seedCompetition } from './support';

/** Real Socket.IO clients against a real listening server, as screens and phones connect. */
export type LiveClient = Socket<LiveServerEvents, LiveClientEvents>;

/** Starts the app on 127.0.0.1 on a free port; returns its origin. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return `http://127.0.0.1:${address.port}`;
}

/** A connected typed client (public without a token); rejects with the server's connect_error. */
export function connect(
  origin: string,
  token?: string,
  options: { reconnectionDelay?: number } = {},
): Promise<LiveClient> {
  const socket: LiveClient = io(origin, {
    transports: ['websocket', 'polling'],
    auth: token ? { token } : {},
    forceNew: true,
    reconnection: options.reconnectionDelay !== undefined,
    reconnectionDelay: options.reconnectionDelay ?? 1000,
    randomizationFactor: 0,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/**
 * The sockets a test file connects, closed together when it ends (in `afterAll`): no socket is left
 * reconnecting to an app that has gone.
 */
export function socketPool() {
  const sockets: LiveClient[] = [];
  return {
    /** A connected client, as `connect`, closed with the rest. */
    async connect(origin: string, token?: string, options?: { reconnectionDelay?: number }) {
      const socket = await connect(origin, token, options);
      sockets.push(socket);
      return socket;
    },
    close() {
      for (const socket of sockets) socket.close();
    },
  };
}

/** `n` values of one type as a tuple, so that `apps[0]` needs no check. */
type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N ? R : Tuple<T, N, [...R, T]>;

export interface ProcessesOptions {
  /** Where each process keeps the live state: in Redis, shared by all (the default), or in its own memory. */
  liveStore?: 'redis' | 'memory';
}

/** `n` server processes started by `startProcesses`; `close` leaves nothing behind. */
export interface Processes<N extends number> {
  apps: Tuple<FastifyInstance, N>;
  /** Where each app listens, in the same order. */
  origins: string[];
  /** All of this run's Redis keys start with it, so runs beside it on the same Redis keep theirs. */
  prefix: string;
  /** Where the Redis live store keeps its keys (under `prefix`). */
  livePrefix: string;
  /** Closes the apps, deletes the Redis keys under `prefix` and drops the database. */
  close(): Promise<void>;
}

/**
 * `n` server processes on one throwaway Postgres database and one Redis, as behind a venue's proxy: one
 * secret, keys of their own in Redis, each listening on 127.0.0.1.
 */
export async function startProcesses<N extends number>(
  n: N,
  options: ProcessesOptions = {},
): Promise<Processes<N>> {
  const database = await createTestDatabase();
  const secret = randomBytes(32).toString('hex');
  const prefix = `jx:test:${randomBytes(4).toString('hex')}:`;
  const livePrefix = `${prefix}live:`;
  const apps: FastifyInstance[] = [];
  for (let i = 0; i < n; i++) {
    apps.push(
      await buildApp({
        database: await openDatabase({ url: database.url }),
        secret,
        clientDist: '/nonexistent',
        redis: { url: testRedisUrl, prefix },
        ...(options.liveStore === 'memory' ? { liveInProcess: true } : {}),
      }),
    );
  }
  const origins = await Promise.all(apps.map(listen));
  return {
    apps: apps as Tuple<FastifyInstance, N>,
    origins,
    prefix,
    livePrefix,
    close: async () => {
      for (const app of apps) await app.close();
      const redis = new Redis(testRedisUrl);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await database.drop();
    },
  };
}

/**
 * A screen following one round as a real one does: it joins, applies every update with the shared
 * `applyUpdate`, and joins again when that says so (a gap, a rebuild). `next` waits for a state.
 */
export function follow(socket: LiveClient, seed: Seeded) {
  const updates: RoundUpdate[] = [];
  const states: RoundSnapshot[] = [];
  const round = new RoundFollower();
  let joining: Promise<RoundSnapshot> | null = null;
  let rejoins = 0;
  const waiting = new Set<{ match: (s: RoundSnapshot) => boolean; resolve: (s: RoundSnapshot) => void }>();
  const shown = () => {
    const next = round.state;
    if (!next || states.at(-1) === next) return;
    states.push(next);
    for (const w of waiting) {
      if (w.match(next)) {
        waiting.delete(w);
        w.resolve(next);
      }
    }
  };
  const joinAgain = (): Promise<RoundSnapshot> => {
    if (joining) return joining;
    round.joining();
    joining = join(socket, seed).then(
      (snapshot) => {
        joining = null;
        const outcome = round.joined(snapshot);
        shown();
        if (outcome === 'rejoin') {
          rejoins++;
          return joinAgain();
        }
        return snapshot;
      },
      (error: unknown) => {
        joining = null;
        round.joinFailed();
        throw error;
      },
    );
    return joining;
  };
  socket.on('round:update', (update) => {
    if (update.roundId !== seed.round.id) return;
    updates.push(update);
    const outcome = round.update(update);
    if (outcome === 'applied') shown();
    else if (outcome === 'rejoin') {
      rejoins++;
      void joinAgain();
    }
  });
  return {
    /** Every update received, in order. */
    updates,
    /** Every state the screen showed, in order. */
    states,
    get state(): RoundSnapshot | null {
      return round.state;
    },
    /** How often an update could not be applied and the screen joined again. */
    get rejoins() {
      return rejoins;
    },
    join: joinAgain,
    /** The first state (shown already or to come) that matches, within `ms`. */
    next(match: (s: RoundSnapshot) => boolean, ms = 1000): Promise<RoundSnapshot> {
      const already = states.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const entry = {
          match,
          resolve: (s: RoundSnapshot) => {
            clearTimeout(timer);
            resolve(s);
          },
        };
        const timer = setTimeout(() => {
          waiting.delete(entry);
          reject(new Error(`no matching state within ${ms} ms; last: ${JSON.stringify(round.state)}`));
        }, ms);
        waiting.add(entry);
      });
    },
  };
}

/** Waits until the live view follows Postgres and every push due has gone out, on every app given. */
export async function settle(...apps: FastifyInstance[]) {
  for (const app of apps) await app.live.settle();
  for (const app of apps) await app.pushes.settle();
}

/** Joins a round and returns the snapshot, failing the test on an error answer. */
export async function join(socket: LiveClient, seed: Seeded): Promise<RoundSnapshot> {
  const answer = await socket.emitWithAck('round:join', {
    competitionId: seed.competition.id,
    roundId: seed.round.id,
  });
  if ('error' in answer) throw new Error(`round:join refused: ${answer.error.code}`);
  return answer.data;
}

/** The round's API calls the tests need, through any process. */
export function roundApi(seed: Seeded) {
  const url = (path: string) => `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/${path}`;
  const post = async (app: FastifyInstance, path: string, token: string, payload: object = {}) => {
    const res = await app.inject({ method: 'POST', url: url(path), headers: bearer(token), payload });
    return res;
  };
  return {
    url,
    mark: (app: FastifyInstance, judge: number, workstation: string, value: string) =>
      post(app, 'marks', seed.tokens.judge(judge), {
        id: randomUUID(),
        workstation,
        item: 'assemblyQuality',
        value,
      }),
    async signOffAndPublish(app: FastifyInstance) {
      const signed = await post(app, 'sign-off', seed.tokens.chiefJudge, {
        confirm: true,
        force: true,
        reason: '测试：强制签字',
      });
      expect(signed.statusCode).toBe(200);
      expect((await post(app, 'publish', seed.tokens.chiefJudge)).statusCode).toBe(200);
    },
    /** After sign-off the marks change only through an approved correction. */
    async correct(app: FastifyInstance, workstation: string, seat: string, value: string) {
      const requested = await post(app, 'corrections', seed.tokens.scorekeeper, {
        workstation,
        item: 'assemblyQuality',
        seat,
        value,
        reason: '纸质评分表核对有误',
      });
      expect(requested.statusCode).toBe(201);
      const id = (requested.json() as { correction: { id: string } }).correction.id;
      const approved = await post(app, `corrections/${id}/approve`, seed.tokens.chiefJudge, {
        reason: '核对属实',
      });
      expect(approved.statusCode).toBe(200);
    },
    decrypt: (app: FastifyInstance) => post(app, 'decrypt', seed.tokens.encryptionOfficer),
  };
}

/**
 * One process on the embedded default with a seeded open-scoring competition, listening on 127.0.0.1:
 * the public follows its rounds live. `close` closes the sockets it handed out and the app.
 */
export async function openCompetition() {
  const app = await buildApp({ clientDist: '/nonexistent' });
  const seed = await seedCompetition(app);
  await app.db
    .update(competitions)
    .set({ openScoring: true })
    .where(eq(competitions.id, seed.competition.id));
  const origin = await listen(app);
  const sockets = socketPool();
  return {
    app,
    seed,
    origin,
    /** A connected client, closed with the rest. */
    connect: (token?: string) => sockets.connect(origin, token),
    close: async () => {
      sockets.close();
      await app.close();
    },
  };
}
