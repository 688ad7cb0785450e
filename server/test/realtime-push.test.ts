import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { connect, follow, join, listen, roundApi, settle, socketPool } from './realtime-support';
import { bearer, type Seeded, seedCompetition } from './support';

/** One process on the embedded default: screens connect over a real socket and follow a round. */
describe('the live push to screens', () => {
  let app: FastifyInstance;
  let origin: string;
  let seed: Seeded;
  let api: ReturnType<typeof roundApi>;
  const sockets = socketPool();
  const client = (token?: string) => sockets.connect(origin, token);

  beforeAll(async () => {
    app = await buildApp({ clientDist: '/nonexistent' });
    seed = await seedCompetition(app);
    api = roundApi(seed);
    origin = await listen(app);
  });
  afterAll(async () => {
    sockets.close();
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
    // A string, an array or nothing is named as what it is, on every event.
    const events = ['round:join', 'round:leave', 'competition:join', 'competition:leave'] as const;
    for (const event of events) {
      for (const [payload, received] of [
        ['A01', '字符串'],
        [['A01'], '数组'],
        [7, '数字'],
        [null, '空值 null'],
      ] as const) {
        const refused = await socket.emitWithAck(event, payload as never);
        expect(refused, `${event} ${JSON.stringify(payload)}`).toEqual({
          error: { code: 'request_invalid', message: `事件数据应为JSON 对象，收到的是${received}` },
        });
      }
    }
  });

  it('shows the chief judge an unpublished round and pushes a judge’s mark within a second; others wait for publication', async () => {
    const chief = await client(seed.tokens.chiefJudge);
    const organizer = await client(seed.tokens.organizer);
    const staffView = follow(chief, seed);
    const staffSnapshot = await staffView.join();
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
    const spectatorView = follow(spectator, seed);

    const sent = Date.now();
    expect((await api.mark(app, 0, 'A01', '42')).statusCode).toBe(201);
    const state = await staffView.next((s) => s.version > staffSnapshot.version, 1000 - (Date.now() - sent));
    expect(state.audience).toBe('staff');
    expect(state.standings.find((s) => s.competitor === 'A01')).toBeDefined();
    expect(spectatorView.updates).toEqual([]);
  });

  it('coalesces a burst of marks into a bounded number of updates, the last one current', async () => {
    const chief = await client(seed.tokens.chiefJudge);
    const view = follow(chief, seed);
    const first = await view.join();
    const marks = [];
    for (let judge = 0; judge < 5; judge++)
      for (const [i, workstation] of ['A01', 'A02', 'A03', 'A04'].entries())
        marks.push(api.mark(app, judge, workstation, String(30 + judge + i * 3)));
    expect((await Promise.all(marks)).map((r) => r.statusCode)).toEqual(marks.map(() => 201));
    await settle(app);
    const latest = await app.live.store.get(seed.round.id);
    const last = await view.next((s) => s.version === latest?.version, 1000);
    expect(last.version).toBeGreaterThan(first.version);
    expect(view.updates.length).toBeLessThan(marks.length);
    const versions = view.updates.map((u) => u.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    // Every update was a delta from the version before it: no gap, no whole snapshot, no rejoin.
    expect(view.updates.map((u) => u.delta?.base)).toEqual([first.version, ...versions.slice(0, -1)]);
    expect(view.rejoins).toBe(0);
    expect(last.standings).toEqual((await join(chief, seed)).standings);
  });

  it('lets displays and spectators in once published, pushes changes to them, and shows names after decryption', async () => {
    await api.signOffAndPublish(app);
    // The live view follows Postgres a moment after the response (see plugins/live.ts).
    await settle(app);
    const display = await client(seed.tokens.display);
    const spectator = await client();
    const displayView = follow(display, seed);
    const spectatorView = follow(spectator, seed);
    const shown = await displayView.join();
    const snapshot = await spectatorView.join();
    for (const s of [shown, snapshot]) {
      expect(s).toMatchObject({ audience: 'public', labels: 'workstation', status: { published: true } });
      expect(s.standings.map((x) => x.competitor).sort()).toEqual(['A01', 'A02', 'A03', 'A04']);
    }

    await api.correct(app, 'A02', 'J3', '49');
    for (const view of [displayView, spectatorView]) {
      const state = await view.next((s) => s.version > snapshot.version);
      expect(state).toMatchObject({ audience: 'public', labels: 'workstation' });
      expect(state.standings.find((s) => s.workstation === 'A02')).toMatchObject({ competitor: 'A02' });
    }

    // A blind round's names are nowhere in the live store, so no push can carry them.
    expect((await app.live.store.get(seed.round.id))?.names).toBeNull();
    expect((await api.decrypt(app)).statusCode).toBe(200);
    const named = await spectatorView.next((s) => s.labels === 'name');
    // Names change every line's label: a whole snapshot, not a delta.
    expect(spectatorView.updates.at(-1)?.snapshot?.labels).toBe('name');
    expect(named.standings.map((s) => s.competitor).sort()).toEqual(['张伟', '李娜', '王强', '陈静'].sort());
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
    // The Postgres position and the version: versions alone start again after a rebuild.
    expect(etag).toMatch(new RegExp(`^"\\d+\\.${first.json().version}"$`));
    expect(first.json()).toMatchObject({ audience: 'public', labels: 'name' });

    const again = await app.inject({ url: api.url('live'), headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);

    await api.correct(app, 'A03', 'J1', '31');
    await settle(app);
    const changed = await app.inject({ url: api.url('live'), headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    // The chief judge gets the same public answer for a published round.
    const staff = await app.inject({ url: api.url('live'), headers: bearer(seed.tokens.chiefJudge) });
    expect(staff.headers.etag).toBe(changed.headers.etag);
  });
});
