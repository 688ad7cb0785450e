import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitions } from '../src/db/schema';
import { endDeviceSessions } from '../src/realtime/sessions';
import { drivers } from './databases';
import {
  connect,
  join,
  type LiveClient,
  listen,
  type Processes,
  socketPool,
  startProcesses,
} from './realtime-support';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

/** What a socket is told when the server ends its session, then how it is disconnected. */
const endedBy = (reason: 'revoked' | 'expired') => [
  `session:ended ${reason}`,
  'disconnect io server disconnect',
];

/**
 * What a socket sees from now until it is disconnected (within `ms`): the `session:ended` it is sent, then
 * the disconnection. Rejects when the socket is still connected after `ms`.
 */
function endOf(socket: LiveClient, ms = 2000): Promise<string[]> {
  const seen: string[] = [];
  socket.on('session:ended', (ended) => seen.push(`session:ended ${ended.reason}`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`still connected after ${ms} ms (saw: ${seen.join(', ') || 'nothing'})`)),
      ms,
    );
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      seen.push(`disconnect ${reason}`);
      resolve(seen);
    });
  });
}

/** Whether the socket still gets answers: a join round trip after whatever was meant to end others. */
async function stillServed(socket: LiveClient, seed: Seeded) {
  const answer = await socket.timeout(1000).emitWithAck('round:join', {
    competitionId: seed.competition.id,
    roundId: seed.round.id,
  });
  return socket.connected && 'data' in answer;
}

/** Open scoring lets judges, displays and tablets follow the round before publication. */
async function openScoring(app: FastifyInstance, seed: Seeded) {
  await app.db
    .update(competitions)
    .set({ openScoring: true })
    .where(eq(competitions.id, seed.competition.id));
}

describe.each(drivers)('a live socket’s session ends when its token does, on %s', (driver) => {
  let app: FastifyInstance;
  let origin: string;
  let seed: Seeded;
  const sockets = socketPool();
  const client = (token?: string) => sockets.connect(origin, token);
  const post = (url: string, token: string | null, payload?: object) =>
    app.inject({
      method: 'POST',
      url: `/api${url}`,
      headers: token ? bearer(token) : {},
      ...(payload ? { payload } : {}),
    });
  const revoke = (deviceId: string) =>
    post(`/competitions/${seed.competition.id}/devices/${deviceId}/revoke`, seed.tokens.chiefJudge);
  const device = (i: number) => {
    const tablet = seed.tablets[i];
    const judge = seed.judges[i];
    if (!tablet || !judge) throw new Error(`no judge ${i}`);
    return { tablet, judge };
  };

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    await openScoring(app, seed);
    origin = await listen(app);
  });
  afterAll(async () => {
    sockets.close();
    await app.close();
  });

  it('ends a display that follows a round when its device is revoked, and no one else', async () => {
    const display = await client(seed.tokens.display);
    const chief = await client(seed.tokens.chiefJudge);
    const judge = await client(seed.tokens.judge(1));
    for (const socket of [display, chief, judge]) await join(socket, seed);

    const ended = endOf(display);
    expect((await revoke(seed.display.id)).statusCode).toBe(200);
    expect(await ended).toEqual(endedBy('revoked'));
    expect(await stillServed(chief, seed)).toBe(true);
    expect(await stillServed(judge, seed)).toBe(true);
    await expect(connect(origin, seed.tokens.display)).rejects.toThrow('unauthenticated');
  });

  it('ends a judge’s socket when the judge signs out, and the tablet’s when the next judge signs in', async () => {
    const { judge } = device(0);
    const judgeSocket = await client(seed.tokens.judge(0));
    const neighbour = await client(seed.tokens.judge(2));
    await join(judgeSocket, seed);
    await join(neighbour, seed);

    const judgeEnded = endOf(judgeSocket);
    const out = await post('/devices/judge-sign-out', seed.tokens.judge(0));
    expect(out.statusCode).toBe(200);
    expect(await judgeEnded).toEqual(endedBy('revoked'));

    const tablet = await client(out.json().token as string);
    await join(tablet, seed);
    const pin = await post(
      `/competitions/${seed.competition.id}/judges/${judge.id}/pin`,
      seed.tokens.chiefJudge,
      {
        pin: '482913',
      },
    );
    expect(pin.statusCode).toBe(200);
    const tabletEnded = endOf(tablet);
    const signedIn = await post('/devices/judge-sign-in', out.json().token as string, {
      judgeId: judge.id,
      pin: '482913',
    });
    expect(signedIn.statusCode).toBe(200);
    expect(await tabletEnded).toEqual(endedBy('revoked'));

    // The judge is back with the new token; the tablet next to it never noticed.
    expect(await stillServed(await client(signedIn.json().token as string), seed)).toBe(true);
    expect(await stillServed(neighbour, seed)).toBe(true);
  });

  it('ends the sockets of an earlier pairing when the device pairs again, sparing the new token', async () => {
    const created = await post(`/competitions/${seed.competition.id}/devices`, seed.tokens.organizer, {
      kind: 'display',
      label: '第二块大屏',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().device.id as string;
    const first = await post('/devices/pair', null, { code: created.json().pairingCode });
    expect(first.statusCode).toBe(200);
    const before = await client(first.json().token as string);
    await join(before, seed);

    const renewed = await post(
      `/competitions/${seed.competition.id}/devices/${id}/pairing-code`,
      seed.tokens.organizer,
    );
    expect(renewed.statusCode).toBe(201);
    const ended = endOf(before);
    const second = await post('/devices/pair', null, { code: renewed.json().pairingCode });
    expect(second.statusCode).toBe(200);
    expect(await ended).toEqual(endedBy('revoked'));

    // A socket holding the version just issued is spared, even if it got in before the end reached it.
    const token = second.json().token as string;
    const after = await client(token);
    const claims = app.tokens.read(token);
    if (claims?.typ !== 'display') throw new Error('expected a display token');
    endDeviceSessions(app, id, claims.ver);
    expect(await stillServed(after, seed)).toBe(true);
    const revoked = endOf(after);
    expect((await revoke(id)).statusCode).toBe(200);
    expect(await revoked).toEqual(endedBy('revoked'));
  });

  it('ends a socket when its token expires', async () => {
    const token = app.tokens.issue({ typ: 'account', sub: seed.accounts.chiefJudge.id }, 2);
    const expiresAt = (app.tokens.read(token)?.exp ?? 0) * 1000;
    const socket = await client(token);
    expect((await join(socket, seed)).audience).toBe('staff');
    const ended = await endOf(socket, 3000);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(ended).toEqual(endedBy('expired'));
  });

  it('ends a socket whose device was revoked while its connection was down, once it recovers', async () => {
    const { tablet } = device(3);
    const socket = await client(seed.tokens.judge(3));
    await join(socket, seed);
    // A first push gives the socket a position to recover from.
    const pushed = new Promise((resolve) => socket.once('round:update', resolve));
    const mark = await post(
      `/competitions/${seed.competition.id}/rounds/${seed.round.id}/marks`,
      seed.tokens.judge(4),
      {
        id: randomUUID(),
        workstation: 'A01',
        item: 'assemblyQuality',
        value: '40',
      },
    );
    expect(mark.statusCode).toBe(201);
    await pushed;

    // Dropped, and gone on the server too (so the revocation cannot reach it) before the device is revoked.
    const onServer = app.io.sockets.sockets.get(socket.id ?? '');
    if (!onServer) throw new Error('the socket is not on the server');
    const gone = new Promise((resolve) => onServer.once('disconnect', resolve));
    socket.io.engine.close();
    expect(await gone).toBe('transport close');
    expect((await revoke(tablet.id)).statusCode).toBe(200);

    let recovered: boolean | undefined;
    socket.once('connect', () => {
      recovered = socket.recovered;
    });
    const ended = endOf(socket);
    socket.connect();
    // What it missed comes first, the session:ended of the revocation among it; then the check ends it.
    expect(await ended).toEqual(['session:ended revoked', ...endedBy('revoked')]);
    // It came back with its round rooms, past the handshake's check: only the session check ended it.
    expect(recovered).toBe(true);
  });
});

/** Two server processes on one Postgres database and one Redis, as behind a venue's proxy. */
describe('a revocation through one process ends the device’s socket on another', () => {
  let processes: Processes<2>;
  let apps: Processes<2>['apps'];
  let origins: string[];
  let seed: Seeded;
  const sockets = socketPool();

  beforeAll(async () => {
    processes = await startProcesses(2, { liveStore: 'memory' });
    ({ apps, origins } = processes);
    seed = await seedCompetition(apps[0]);
    await openScoring(apps[0], seed);
  });
  afterAll(async () => {
    sockets.close();
    await processes.close();
  });

  it('ends a display connected to process 2 when process 1 revokes it', async () => {
    const display = await sockets.connect(origins[1] ?? '', seed.tokens.display);
    const judge = await sockets.connect(origins[1] ?? '', seed.tokens.judge(0));
    await join(display, seed);
    await join(judge, seed);

    const ended = endOf(display);
    const revoked = await apps[0].inject({
      method: 'POST',
      url: `/api/competitions/${seed.competition.id}/devices/${seed.display.id}/revoke`,
      headers: bearer(seed.tokens.chiefJudge),
    });
    expect(revoked.statusCode).toBe(200);
    expect(await ended).toEqual(endedBy('revoked'));
    expect(await stillServed(judge, seed)).toBe(true);
  });
});
