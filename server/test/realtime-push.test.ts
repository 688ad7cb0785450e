import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { connect, join, type LiveClient, listen, roundApi, updatesOf } from './realtime-support';
import { bearer, type Seeded, seedCompetition } from './support';

/** One process on the embedded default: screens connect over a real socket and follow a round. */
describe('the live push to screens', () => {
  let app: FastifyInstance;
  let origin: string;
  let seed: Seeded;
  let api: ReturnType<typeof roundApi>;
  const sockets: LiveClient[] = [];
  const client = async (token?: string) => {
    const socket = await connect(origin, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    app = await buildApp({ clientDist: '/nonexistent' });
    seed = await seedCompetition(app);
    api = roundApi(seed);
    origin = await listen(app);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await app.close();
  });

  it('refuses a bad token at the handshake and a malformed join', async () => {
    await expect(connect(origin, 'not-a-token')).rejects.toThrow('unauthenticated');
    const socket = await client();
    const answer = await socket.emitWithAck('round:join', {
      competitionId: 'nope',
      roundId: seed.round.id,
    });
    expect(answer).toMatchObject({ error: { code: 'request_invalid' } });
  });

  it('shows the chief judge an unpublished round and pushes a judge’s mark within a second; others wait for publication', async () => {
    const chief = await client(seed.tokens.chiefJudge);
    const organizer = await client(seed.tokens.organizer);
    const staffSnapshot = await join(chief, seed);
    expect(staffSnapshot).toMatchObject({
      roundId: seed.round.id,
      audience: 'staff',
      labels: 'workstation',
      status: { published: false },
    });
    expect((await join(organizer, seed)).audience).toBe('staff');
    for (const token of [undefined, seed.tokens.display, seed.tokens.judge(0), seed.tokens.scorekeeper]) {
      const socket = await client(token);
      const answer = await socket.emitWithAck('round:join', {
        competitionId: seed.competition.id,
        roundId: seed.round.id,
      });
      expect(answer).toMatchObject({ error: { code: 'round_unpublished', message: expect.any(String) } });
    }
    const spectator = await client();
    const spectatorUpdates = updatesOf(spectator);

    const updates = updatesOf(chief);
    const sent = Date.now();
    expect((await api.mark(app, 0, 'A01', '42')).statusCode).toBe(201);
    const update = await updates.next((u) => u.version > staffSnapshot.version, 1000 - (Date.now() - sent));
    expect(update.snapshot.audience).toBe('staff');
    expect(update.snapshot.standings.find((s) => s.competitor === 'A01')).toBeDefined();
    expect(spectatorUpdates.seen).toEqual([]);
  });

  it('coalesces a burst of marks into a bounded number of updates, the last one current', async () => {
    const chief = await client(seed.tokens.chiefJudge);
    const first = await join(chief, seed);
    const updates = updatesOf(chief);
    const marks = [];
    for (let judge = 0; judge < 5; judge++)
      for (const [i, workstation] of ['A01', 'A02', 'A03', 'A04'].entries())
        marks.push(api.mark(app, judge, workstation, String(30 + judge + i * 3)));
    expect((await Promise.all(marks)).map((r) => r.statusCode)).toEqual(marks.map(() => 201));
    await app.live.settle();
    const latest = await app.live.store.get(seed.round.id);
    const last = await updates.next((u) => u.version === latest?.version, 1000);
    expect(last.version).toBeGreaterThan(first.version);
    expect(updates.seen.length).toBeLessThan(marks.length);
    const versions = updates.seen.map((u) => u.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('lets displays and spectators in once published, pushes changes to them, and shows names after decryption', async () => {
    await api.signOffAndPublish(app);
    // The live view follows Postgres a moment after the response (see plugins/live.ts).
    await app.live.settle();
    const display = await client(seed.tokens.display);
    const spectator = await client();
    const shown = await join(display, seed);
    const snapshot = await join(spectator, seed);
    for (const s of [shown, snapshot]) {
      expect(s).toMatchObject({ audience: 'public', labels: 'workstation', status: { published: true } });
      expect(s.standings.map((x) => x.competitor).sort()).toEqual(['A01', 'A02', 'A03', 'A04']);
    }
    const displayUpdates = updatesOf(display);
    const spectatorUpdates = updatesOf(spectator);

    await api.correct(app, 'A02', 'J3', '49');
    for (const updates of [displayUpdates, spectatorUpdates]) {
      const update = await updates.next((u) => u.version > snapshot.version);
      expect(update.snapshot).toMatchObject({ audience: 'public', labels: 'workstation' });
    }

    expect((await api.decrypt(app)).statusCode).toBe(200);
    const named = await spectatorUpdates.next((u) => u.snapshot.labels === 'name');
    expect(named.snapshot.standings.map((s) => s.competitor).sort()).toEqual(
      ['张伟', '李娜', '王强', '陈静'].sort(),
    );
    expect(JSON.stringify(named)).not.toMatch(/赵一|钱二|孙三|李四|周五/);
    expect((await join(spectator, seed)).labels).toBe('name');

    const left = await spectator.emitWithAck('round:leave', { roundId: seed.round.id });
    expect(left).toEqual({ data: { roundId: seed.round.id } });
  });

  it('serves the public snapshot over HTTP with an ETag, 304 when unchanged, a new ETag after a change', async () => {
    const first = await app.inject({ url: api.url('live') });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=2');
    const etag = first.headers.etag as string;
    expect(etag).toBe(`"${first.json().version}"`);
    expect(first.json()).toMatchObject({ audience: 'public', labels: 'name' });

    const again = await app.inject({ url: api.url('live'), headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);

    await api.correct(app, 'A03', 'J1', '31');
    await app.live.settle();
    const changed = await app.inject({ url: api.url('live'), headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    // The chief judge gets the same public answer for a published round.
    const staff = await app.inject({ url: api.url('live'), headers: bearer(seed.tokens.chiefJudge) });
    expect(staff.headers.etag).toBe(changed.headers.etag);
  });
});
