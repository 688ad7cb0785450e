import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NGINX, type ReverseProxy, startProxy } from '../bench/harness/proxy';
import { competitions } from '../src/db/schema';
import { createTestDatabase } from './databases';
import {
  freePort,
  type OwnRedis,
  ownRedis,
  postMark,
  type ServerProcess,
  seeder,
  sleep,
  startServerProcess,
} from './faults-support';
import { follow, type LiveClient } from './realtime-support';
import { type Seeded, seedCompetition } from './support';

/**
 * docs/DEPLOYMENT.md's setup, for real: three server processes on one Postgres and one Redis behind nginx
 * (Debian's package, run as this test's own process with the configuration the bench generates), the
 * public following a round through the proxy while one process is killed.
 */
describe('three processes behind nginx', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: OwnRedis;
  let app: FastifyInstance;
  let seed: Seeded;
  const servers: ServerProcess[] = [];
  let proxy: ReverseProxy;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    // Fails here, clearly, where nginx is missing: .ci/run installs it (nginx-light).
    expect(NGINX, 'nginx is not installed: apt-get install nginx-light').not.toBeNull();
    database = await createTestDatabase();
    redis = await ownRedis();
    const secret = randomBytes(32).toString('hex');
    app = await seeder(database.url, secret);
    seed = await seedCompetition(app);
    // Open scoring: the public follows the round from its first mark.
    await app.db
      .update(competitions)
      .set({ openScoring: true })
      .where(eq(competitions.id, seed.competition.id));
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    // One after another: three processes starting at once on a loaded machine outlast the start deadline.
    for (const port of ports)
      servers.push(
        await startServerProcess({
          databaseUrl: database.url,
          redisUrl: redis.url,
          secret,
          port,
          env: { TRUST_PROXY: '127.0.0.1' },
        }),
      );
    proxy = await startProxy({
      port: await freePort(),
      upstreams: ports.map((port) => `127.0.0.1:${port}`),
      cpu: null,
    });
  }, 300_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await proxy?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await app?.close();
    await redis?.stop();
    await database?.drop();
  });

  /** A public screen through the proxy, with its own sticky key; it reconnects by itself as screens do. */
  const spectator = (client: string, transports: ('websocket' | 'polling')[] = ['websocket', 'polling']) => {
    const socket: LiveClient = io(proxy.origin, {
      transports,
      query: { client },
      forceNew: true,
      reconnectionDelay: 200,
      randomizationFactor: 0,
    });
    sockets.push(socket);
    const view = follow(socket, seed);
    const drops: string[] = [];
    socket.on('disconnect', (reason) => drops.push(reason));
    // A reconnection that did not recover the session (another process, no state) joins again.
    socket.on('connect', () => {
      if (!socket.recovered && view.state) void view.join();
    });
    return { socket, view, drops };
  };

  let marks = 0;
  const mark = async () => {
    const answer = await postMark(() => proxy.origin, seed, {
      id: randomUUID(),
      judge: marks % 5,
      workstation: `A0${(Math.floor(marks / 5) % 4) + 1}`,
      value: String(20 + (marks % 25)),
    });
    marks++;
    expect(answer.status).toBe(201);
  };

  it('keeps the spectators of the other processes connected when one is killed, and brings the rest back through the proxy', async () => {
    await mark();
    const crowd = Array.from({ length: 30 }, (_, i) => spectator(`screen-${i}`));
    await Promise.all(
      crowd.map(({ socket }) => new Promise<void>((resolve) => socket.once('connect', () => resolve()))),
    );
    const joined = await Promise.all(crowd.map(({ view }) => view.join()));
    expect(joined.every((s) => s.audience === 'public')).toBe(true);
    // Every one of them follows marks through the proxy.
    await mark();
    const before = Math.max(...joined.map((s) => s.version));
    await Promise.all(crowd.map(({ view }) => view.next((s) => s.version > before, 5000)));

    const killed = servers[1] as ServerProcess;
    await killed.stop('SIGKILL');
    // The killed process's spectators notice (their transport closes); nginx closes nothing else.
    await sleep(1500);
    const dropped = crowd.filter((s) => s.drops.length > 0);
    const stayed = crowd.filter((s) => s.drops.length === 0);
    expect(dropped.length).toBeGreaterThan(0);
    expect(stayed.length).toBeGreaterThan(0);
    expect(dropped.every((s) => s.drops.every((reason) => reason === 'transport close'))).toBe(true);
    expect(stayed.every((s) => s.socket.connected)).toBe(true);

    // The dropped ones come back through the proxy (to a process still running) by themselves.
    await Promise.all(
      dropped.map(({ socket }) =>
        socket.connected ? null : new Promise<void>((resolve) => socket.once('connect', () => resolve())),
      ),
    );
    const held = Math.max(...crowd.map(({ view }) => view.state?.version ?? 0));
    await mark();
    const after = await Promise.all(crowd.map(({ view }) => view.next((s) => s.version > held, 10_000)));
    expect(after.every((s) => s.audience === 'public')).toBe(true);
    // The spectators on the processes left never dropped, and heard the mark like the others.
    expect(stayed.every((s) => s.drops.length === 0 && s.socket.connected)).toBe(true);
  }, 90_000);

  it('keeps a long-polling client on one process (sticky by its client key, else by its address)', async () => {
    for (const client of ['polling-a', '']) {
      const { socket, view } = spectator(client, ['polling']);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const snapshot = await view.join();
      await mark();
      // Several polls (handshake, join, its answer, the update) each reached the process holding the session.
      const next = await view.next((s) => s.version > snapshot.version, 10_000);
      expect(next.audience).toBe('public');
      expect(socket.io.engine.transport.name).toBe('polling');
    }
  }, 60_000);
});
