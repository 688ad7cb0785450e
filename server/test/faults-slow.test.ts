import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
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
} from './faults-support';
import { follow, join, type LiveClient } from './realtime-support';

const SLOW_SOCKETS = 12;
const SLOW_SECONDS = 10;
/** Generous: what the server may grow by while the slow spectators ask for far more than it keeps. */
const RSS_BOUND = 200 * 1024 * 1024;

/**
 * A spectator that stopped reading, over Socket.IO's long-polling transport as a phone in a backgrounded tab
 * leaves it: connected, sending `round:join` within the event budget, never polling for the answers (so
 * nothing a kernel buffer could absorb: every answer waits in the server's queue). Stops when the server
 * has forgotten its session (400), and says whether it did.
 */
async function stalledSpectator(origin: string, token: string, join: object, seconds: number) {
  const base = `${origin}/socket.io/?EIO=4&transport=polling`;
  const open = await (await fetch(base)).text();
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  const post = (body: string) =>
    fetch(`${base}&sid=${sid}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
  await post(`40${JSON.stringify({ token })}`);
  // The one read it makes: the connection's acceptance.
  expect(await (await fetch(`${base}&sid=${sid}`)).text()).toMatch(/^40/);
  const until = Date.now() + seconds * 1000;
  for (let ack = 1; Date.now() < until; ack++) {
    const answer = await post(`42${ack}${JSON.stringify(['round:join', join])}`);
    if (answer.status === 400) return { forgotten: true, asked: ack };
    await sleep(70);
  }
  return { forgotten: false, asked: 0 };
}

describe('spectators that stop reading', () => {
  const bed = faultBed({ processes: 1 });
  const sockets: LiveClient[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.close();
  });

  const connect = async (token: string) => {
    const socket: LiveClient = io(bed.servers[0]?.url ?? '', {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return socket;
  };

  it('drops the connections that stopped reading and keeps its memory bounded', async () => {
    // A big round, half marked: every snapshot a slow socket asks for is tens of kilobytes.
    const { app, redis, servers } = bed;
    const [server] = servers as [ServerProcess];
    const { seed, codes } = await seedRound(app, 40);
    const plan = planMarks(codes);
    const before = plan.slice(0, plan.length / 2);
    const during = plan.slice(plan.length / 2);
    expectOnlyRetryableRefusals(await judgesMark(() => server.url, seed, before), []);

    const reader = await connect(seed.tokens.chiefJudge);
    const view = follow(reader, seed);
    const snapshotChars = JSON.stringify(await view.join()).length;
    expect(snapshotChars).toBeGreaterThan(20_000);

    await sleep(500);
    const baseline = server.rss();
    let peak = baseline;
    const sampling = setInterval(() => {
      peak = Math.max(peak, server.rss());
    }, 250);
    const joinRequest = { competitionId: seed.competition.id, roundId: seed.round.id };
    const [stalled, outcomes] = await Promise.all([
      Promise.all(
        Array.from({ length: SLOW_SOCKETS }, () =>
          stalledSpectator(server.url, seed.tokens.chiefJudge, joinRequest, SLOW_SECONDS),
        ),
      ),
      judgesMark(() => server.url, seed, during, {
        pauseMs: Math.round((SLOW_SECONDS * 1000) / (during.length / 5)),
      }),
    ]);
    clearInterval(sampling);

    // Each was forgotten once a few snapshots waited for it (1 MiB), not kept until its ping timed out.
    expect(stalled.map((s) => s.forgotten)).toEqual(stalled.map(() => true));
    for (const { asked } of stalled) expect(asked * snapshotChars).toBeLessThan(20 * 1024 * 1024);
    const dropped = server.stderr().match(/live connection dropped: it stopped reading/g) ?? [];
    expect(dropped.length).toBe(SLOW_SOCKETS);
    expect(peak - baseline).toBeLessThan(RSS_BOUND);

    // Judges and a screen that reads were not held up by them.
    expectOnlyRetryableRefusals(outcomes, []);
    const all = [...(await judgesMark(() => server.url, seed, before)), ...outcomes];
    const counts = await expectEveryMarkOnce(app, () => server.url, seed, outcomes);
    expect(counts).toMatchObject({
      sent: during.length,
      acknowledged: during.length,
      stored: during.length,
      lost: 0,
    });
    expect(all.every((o) => o.status !== null)).toBe(true);
    await expectLiveEqualsRecomputation(app, redis.url);
    const truth = JSON.stringify((await join(reader, seed)).standings);
    await expect.poll(() => JSON.stringify(view.state?.standings), { timeout: 20_000 }).toBe(truth);
    await expectChainVerifies(app, seed.competition.id);
    await recordCounts('slow-spectators', `${SLOW_SOCKETS} spectators that stop reading`, counts);
  }, 240_000);
});
