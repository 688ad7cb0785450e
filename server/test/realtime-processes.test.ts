import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACE_BURST, PUSH_INTERVAL_MS } from '../src/live/pace';
import {
  follow,
  join,
  type LiveClient,
  type Processes,
  roundApi,
  settle,
  socketPool,
  startProcesses,
} from './realtime-support';
import { type Seeded, seedCompetition } from './support';

/** Three server processes on one Postgres database and one Redis, as behind a venue's proxy. */
describe('the live push with three server processes on Postgres and Redis', () => {
  let processes: Processes<3>;
  let apps: Processes<3>['apps'];
  let origins: string[];
  let seed: Seeded;
  let api: ReturnType<typeof roundApi>;
  const sockets = socketPool();
  const client = (process: number, token?: string, reconnectionDelay?: number) =>
    sockets.connect(origins[process] ?? '', token, { reconnectionDelay });

  beforeAll(async () => {
    processes = await startProcesses(3);
    ({ apps, origins } = processes);
    seed = await seedCompetition(apps[0]);
    api = roundApi(seed);
  });
  afterAll(async () => {
    sockets.close();
    await processes.close();
  });

  it('brings a mark sent to process 1 to a chief judge connected to process 3', async () => {
    const chief = await client(2, seed.tokens.chiefJudge);
    const view = follow(chief, seed);
    const snapshot = await view.join();
    expect((await api.mark(apps[0], 0, 'A01', '41')).statusCode).toBe(201);
    const state = await view.next((s) => s.version > snapshot.version);
    expect(state.standings.map((s) => s.competitor)).toContain('A01');
  });

  it('brings a change made through process 1 to spectators on processes 2 and 3 once published', async () => {
    for (let judge = 0; judge < 5; judge++)
      expect(
        (await api.mark(apps[judge % 3] as FastifyInstance, judge, 'A02', String(35 + judge))).statusCode,
      ).toBe(201);
    const early = await client(2);
    const refused = await early.emitWithAck('round:join', {
      competitionId: seed.competition.id,
      roundId: seed.round.id,
    });
    expect(refused).toMatchObject({ error: { code: 'round_unpublished' } });

    await api.signOffAndPublish(apps[1]);
    // The live view follows Postgres a moment after the response (see plugins/live.ts).
    await settle(...apps);
    const spectators = [await client(1), await client(2)];
    const views = spectators.map((s) => follow(s, seed));
    const snapshots = await Promise.all(views.map((v) => v.join()));
    await api.correct(apps[0], 'A02', 'J2', '48');
    for (const [i, view] of views.entries()) {
      const state = await view.next((s) => s.version > (snapshots[i]?.version ?? 0));
      expect(state).toMatchObject({ audience: 'public', status: { published: true } });
    }
    await settle(...apps);
    const latest = await apps[2].live.store.get(seed.round.id);
    const last = await views[1]?.next((s) => s.version === latest?.version);
    expect(last?.standings).toEqual((await join(spectators[1] as LiveClient, seed)).standings);
  });

  it('sends a burst of marks taken by all three processes to a room at most once per interval, as chained deltas', async () => {
    const burst = await seedCompetition(apps[0]);
    const burstApi = roundApi(burst);
    const watchers = [await client(0, burst.tokens.chiefJudge), await client(2, burst.tokens.chiefJudge)];
    const views = watchers.map((socket) => follow(socket, burst));
    await Promise.all(views.map((v) => v.join()));
    const arrivals: number[] = [];
    watchers[1]?.on('round:update', () => arrivals.push(performance.now()));
    // 20 marks, one every 10 ms, each to the next process: every process computes and wants to push.
    let n = 0;
    for (let judge = 0; judge < 5; judge++) {
      for (const [i, workstation] of ['A01', 'A02', 'A03', 'A04'].entries()) {
        const app = apps[n++ % 3] as FastifyInstance;
        expect((await burstApi.mark(app, judge, workstation, String(30 + judge + i * 3))).statusCode).toBe(
          201,
        );
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    await settle(...apps);
    const final = await apps[0].live.store.get(burst.round.id);
    for (const [i, view] of views.entries()) {
      const last = await view.next((s) => s.version === final?.version, 2000);
      expect(last.standings).toEqual((await join(watchers[i] as LiveClient, burst)).standings);
      // Each delta applied where the one before ended, whichever process sent either: no gap, no rejoin.
      // (The round's very first push is a whole snapshot, of the version the screen joined at.)
      expect(view.rejoins).toBe(0);
      expect(view.updates.slice(1).every((u) => u.delta !== undefined)).toBe(true);
      const versions = view.states.map((s) => s.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
    // The pushes of all three processes together at the round's pace (each process alone would allow three
    // times that): never more than the burst and one per interval.
    const span = (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0);
    expect(arrivals.length).toBeGreaterThan(3);
    expect(arrivals.length).toBeLessThanOrEqual(Math.floor(span / PUSH_INTERVAL_MS) + PACE_BURST);
  });

  it('gives a spectator whose connection dropped what it missed (connection-state recovery through Redis)', async () => {
    const spectator = await client(2, undefined, 1000);
    const view = follow(spectator, seed);
    const snapshot = await view.join();
    // A first push gives the socket a position in the stream to resume from.
    await api.correct(apps[0], 'A01', 'J4', '44');
    await settle(...apps);
    const current = (await apps[0].live.store.get(seed.round.id))?.version;
    const before = await view.next((s) => s.version === current);
    expect(before.version).toBeGreaterThan(snapshot.version);

    const heard = view.updates.length;
    const dropped = new Promise<void>((resolve) => spectator.once('disconnect', () => resolve()));
    spectator.io.engine.close();
    await dropped;
    await api.correct(apps[1], 'A01', 'J5', '46');
    await settle(...apps);
    await new Promise((resolve) => setTimeout(resolve, 150)); // past the push's coalescing interval
    expect(spectator.connected).toBe(false);
    expect(view.state?.version).toBe(before.version);

    await new Promise<void>((resolve) => spectator.once('connect', () => resolve()));
    expect(spectator.recovered).toBe(true);
    const missed = await view.next((s) => s.version > before.version);
    expect(missed.audience).toBe('public');
    // Recovered as deltas on top of what the screen held: nothing to join again for.
    expect(view.updates.slice(heard).every((u) => u.delta !== undefined)).toBe(true);
    expect(view.rejoins).toBe(0);
    // The recovered socket is still the public it was (its data came back through Redis).
    expect((await join(spectator, seed)).audience).toBe('public');
  });
});
