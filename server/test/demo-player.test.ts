import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { eventJson, getTemplate, type RoundSnapshot, readMarksCsv, scoreEvent } from '@jiangxin/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { openDatabase } from '../src/db/client';
import { demoEvent } from '../src/demo/index';
import { type DemoPace, type DemoPlayer, startDemoPlayer } from '../src/demo/player';
import { loadEnv } from '../src/env';
import { createOrganizerAccount } from '../src/modules/auth/accounts';

/** The human pace, a hundred times faster: a round of 72 dives in a few seconds. */
const fast: DemoPace = { diveMs: 40, marksWithinMs: 25, betweenRoundsMs: 300 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Judges' marks shown in a round's standings (used and dropped, every dive, every competitor). */
const marksShown = (snapshot: RoundSnapshot) =>
  JSON.stringify(snapshot.standings).split('"judge":').length - 1;

describe('the demo that plays itself', () => {
  let app: FastifyInstance;
  let player: DemoPlayer | null = null;
  const lines: string[] = [];
  const organizer = { username: 'demo-organizer', password: randomBytes(12).toString('hex') };

  /** The first log message matching `pattern`, waited for. */
  async function logged(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of lines) {
        const found = pattern.exec((JSON.parse(line) as { msg?: string }).msg ?? '');
        if (found) return found;
      }
      if (Date.now() > deadline) throw new Error(`nothing logged matches ${pattern}`);
      await sleep(25);
    }
  }

  beforeAll(async () => {
    app = await buildApp({
      database: await openDatabase({ dataDir: null }),
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    });
    await createOrganizerAccount(app.db, { ...organizer, displayName: '演示组委会' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    player = startDemoPlayer(app.log, loadEnv({}), { url, organizer, pace: fast });
  });
  afterAll(async () => {
    await player?.stop();
    await app?.close();
  });

  it('logs a pairing code that pairs a big screen of its competition', async () => {
    const [, code, competitionId] = await logged(/enter the pairing code (\S{4}-\S{4}) .*\/live\/([\w-]+)/);
    const paired = await app.inject({ method: 'POST', url: '/api/devices/pair', payload: { code } });
    expect(paired.statusCode).toBe(200);
    expect(paired.json().device).toMatchObject({ kind: 'display', competitionId });
  }, 90_000);

  it('marks arrive in the live view of the round it plays, which ends published as `pnpm results` has it', async () => {
    const [, competitionId, roundId] = await logged(
      /演示第 1 场 is being marked; .*\/live\/([\w-]+)\/([\w-]+)/,
    );
    const seen: number[] = [];
    let last: RoundSnapshot | null = null;
    const deadline = Date.now() + 90_000;
    while (!last?.status.published && Date.now() < deadline) {
      const live = await app.inject({ url: `/api/competitions/${competitionId}/rounds/${roundId}/live` });
      // Open scoring: the public sees the round from its first mark.
      expect(live.statusCode).toBe(200);
      last = live.json<RoundSnapshot>();
      if (marksShown(last) !== seen.at(-1)) seen.push(marksShown(last));
      await sleep(20);
    }
    expect(last?.status).toEqual({ signedOff: true, decrypted: true, published: true, markingClosed: false });
    // Marks arrived a few at a time, never taken back, up to all 504 of the final.
    expect(seen.filter((n) => n > 0 && n < 504).length).toBeGreaterThan(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(504);

    const scheme = getTemplate(demoEvent.scheme);
    const [event] = scheme ? readMarksCsv(readFileSync(demoEvent.marksFile, 'utf8'), scheme).events : [];
    if (!scheme || !event) throw new Error('no demo final');
    const offline = eventJson(scheme, event.event, scoreEvent(scheme, event.marks, event.difficulties));
    expect(last?.standings.map(({ workstation: _, ...line }) => line)).toEqual(offline.standings);
  }, 120_000);

  it('plays round after round: a fresh one starts once the last is published', async () => {
    await logged(/演示第 1 场 published/);
    await logged(/演示第 2 场 is being marked/);
  }, 60_000);

  it('stops cleanly: once stopped, none of its requests reaches the server', async () => {
    await player?.stop();
    const requests = () => lines.filter((line) => line.includes('"incoming request"')).length;
    const stopped = requests();
    await sleep(fast.betweenRoundsMs * 3);
    expect(requests()).toBe(stopped);
  }, 30_000);
});

describe('DEMO_PLAY', () => {
  const options = { url: 'http://127.0.0.1:9', organizer: { username: 'demo', password: 'unused' } };
  const { log } = Fastify();

  it('off, or a database of its own (DATABASE_URL), starts no player', () => {
    expect(startDemoPlayer(log, loadEnv({ DEMO_PLAY: 'off' }), options)).toBeNull();
    expect(startDemoPlayer(log, loadEnv({ DATABASE_URL: 'postgres://db/jx' }), options)).toBeNull();
  });
});
