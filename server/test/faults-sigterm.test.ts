import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { io } from 'socket.io-client';
import { Client } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  expectChainVerifies,
  expectEveryMarkOnce,
  expectLiveEqualsRecomputation,
  expectOnlyRetryableRefusals,
  faultBed,
  judgesMark,
  planMarks,
  recordCounts,
  type ServerProcess,
  seedRound,
  sleep,
  startServerProcess,
} from './faults-support';
import { follow, join, type LiveClient } from './realtime-support';

/**
 * SIGTERM (a restart, a deploy) while five judges mark: the marks in flight finish and are acknowledged,
 * new ones are refused retryably (the connection refused, or 503 server_closing with Retry-After on a
 * connection still open), the screens' connections are closed so they reconnect by themselves to the
 * restarted process and follow the round again; every mark is stored once and the audit chain verifies.
 */
describe('SIGTERM during a burst of marks', () => {
  const bed = faultBed();

  it('finishes the marks in flight, refuses new ones retryably and closes the sockets to be reconnected', async () => {
    const { app, redis } = bed;
    const { seed, codes } = await seedRound(app);
    const settings = await bed.settings();
    let server: ServerProcess = await startServerProcess(settings);
    const screen: LiveClient = io(server.url, {
      transports: ['websocket'],
      auth: { token: seed.tokens.chiefJudge },
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
      randomizationFactor: 0,
    });
    const reasons: string[] = [];
    screen.on('disconnect', (reason) => reasons.push(reason));
    const ended: unknown[] = [];
    screen.on('session:ended', (e) => ended.push(e));
    const view = follow(screen, seed);
    await new Promise<void>((resolve) => screen.once('connect', () => resolve()));
    await view.join();
    screen.io.on('reconnect', () => void view.join());

    const plan = planMarks(codes);
    const judging = judgesMark(() => server.url, seed, plan, { pauseMs: 150, retryMs: 200 });
    await sleep(1000);

    // Hold the round (a mark takes it FOR SHARE): the marks sent now stay in flight until it is released.
    const holder = postgres(bed.databaseUrl, { max: 1, onnotice: () => {} });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const locked = new Promise<void>((resolve) => {
      void holder.begin(async (tx) => {
        await tx`select id from rounds where id = ${seed.round.id} for update`;
        resolve();
        await held;
      });
    });
    await locked;
    // (The judges pace their marks over several seconds: the burst goes on past the signal.)
    // One more tablet with a kept-alive connection: a mark in flight now, and one sent after the SIGTERM.
    const tablet = new Client(server.url, { pipelining: 2 });
    const markOn = (id: string) =>
      tablet.request({
        method: 'POST',
        path: `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/marks`,
        headers: { authorization: `Bearer ${seed.tokens.judge(0)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, workstation: 'A01', item: 'assemblyQuality', value: '33.5' }),
      });
    const inFlight = markOn(randomUUID());
    await sleep(500);

    const stopping = server;
    const restarted = stopping.exited.then(async () => {
      server = await startServerProcess(settings);
    });
    stopping.signal('SIGTERM');
    await sleep(300);
    // Sent on the open connection after the SIGTERM: refused, retryably, in the API's words.
    const late = markOn(randomUUID());
    await sleep(200);
    release();
    await holder.end();

    const first = await inFlight;
    expect(first.statusCode).toBe(201);
    const refused = await late;
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(await refused.body.json()).toMatchObject({ error: { code: 'server_closing' } });
    await tablet.close();
    // A clean exit, within the grace period (close-with-grace ends it after 2 s at most).
    expect(await stopping.exited).toBeNull();

    await restarted;
    const outcomes = await judging;
    try {
      // The marks held in flight when the signal came were answered (never cut); later ones found the
      // port closed, or were answered server_closing: both retried by the tablets.
      const cut = outcomes
        .flatMap((o) => o.refusals)
        .filter((r) => r.startsWith('no answer') && !r.includes('ECONNREFUSED'));
      expect(cut).toEqual([]);
      expectOnlyRetryableRefusals(outcomes, ['server_closing']);
      expect(outcomes.filter((o) => o.refusals.length > 0).length).toBeGreaterThan(0);
      const counts = await expectEveryMarkOnce(app, () => server.url, seed, outcomes);
      expect(counts).toMatchObject({
        sent: plan.length,
        acknowledged: plan.length,
        stored: plan.length,
        lost: 0,
      });

      // The screen was told by a closed connection (not "io server disconnect", after which a client gives
      // up), reconnected by itself and follows the round as Postgres has it.
      expect(reasons[0]).toBe('transport close');
      expect(ended).toEqual([]);
      await expectLiveEqualsRecomputation(app, redis.url);
      await expect
        .poll(async () => screen.connected && JSON.stringify(view.state?.standings), { timeout: 20_000 })
        .toBe(JSON.stringify((await join(screen, seed)).standings));
      await expectChainVerifies(app, seed.competition.id);
      await recordCounts('sigterm-burst', 'SIGTERM during a burst (marks held in flight)', counts);
    } finally {
      screen.close();
      await server.stop();
    }
  }, 240_000);
});
