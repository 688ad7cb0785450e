import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { asyncApiDocument } from '../src/plugins/live-events';
import { type LiveClient, openCompetition, roundApi, settle } from './realtime-support';
import { bearer, type Seeded } from './support';

type AsyncApi = ReturnType<typeof asyncApiDocument>;

/** Waits until `done` holds, within `ms`. */
async function until(done: () => boolean, ms = 2000) {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The Socket.IO document (/docs/asyncapi.json) against what a real server does: the events it handles are
 * the ones documented, and every payload and acknowledgement real screens receive through a marking,
 * publication, ceremony and revocation passes the documented JSON schema (converted back with
 * `z.fromJSONSchema`, so the served document itself is what is checked).
 */
describe('the documented Socket.IO events', () => {
  let venue: Awaited<ReturnType<typeof openCompetition>>;
  let app: FastifyInstance;
  let seed: Seeded;
  let doc: AsyncApi;

  beforeAll(async () => {
    venue = await openCompetition();
    ({ app, seed } = venue);
    const res = await app.inject('/docs/asyncapi.json');
    expect(res.statusCode).toBe(200);
    doc = res.json() as AsyncApi;
  });
  afterAll(() => venue.close());

  /** The documented payload of a message, e.g. `roundJoinAck` or `roundUpdate`. */
  const schemaOf = (id: string) => {
    const message = doc.channels.live.messages[id];
    if (!message) throw new Error(`no message ${id} in the document`);
    // The document's payloads are draft-07 (AsyncAPI's schema format), without a $schema of their own.
    return z.fromJSONSchema(message.payload as Parameters<typeof z.fromJSONSchema>[0], {
      defaultTarget: 'draft-7',
    });
  };
  const problems = (id: string, value: unknown) => {
    const parsed = schemaOf(id).safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('documents exactly the events the server handles', async () => {
    expect(doc.asyncapi).toBe('3.0.0');
    const socket = await venue.connect();
    // Socket.IO's own events (a session watches for `disconnect`) are not the contract's.
    const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'error']);
    const handled = (app.io.sockets.sockets.get(socket.id ?? '')?.eventNames() ?? [])
      .map(String)
      .filter((name) => !reserved.has(name));
    const received = Object.values(doc.operations)
      .filter((o) => o.action === 'receive')
      .map((o) => o.title);
    expect([...received].sort()).toEqual(handled.sort());
    for (const operation of Object.values(doc.operations)) {
      for (const ref of [...operation.messages, ...(operation.reply?.messages ?? [])])
        expect(doc.channels.live.messages[ref.$ref.split('/').at(-1) ?? '']).toBeDefined();
    }
  });

  it('holds every payload and acknowledgement a marking, a ceremony and a revocation send', async () => {
    const api = roundApi(seed);
    const url = (path: string) => `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/${path}`;
    const round = { competitionId: seed.competition.id, roundId: seed.round.id };
    const competition = { competitionId: seed.competition.id };
    expect((await api.mark(app, 0, 'A01', '40')).statusCode).toBe(201);
    await settle(app);

    const staff = await venue.connect(seed.tokens.chiefJudge);
    const spectator = await venue.connect();
    const display = await venue.connect(seed.tokens.display);
    const seen: { id: string; value: unknown }[] = [];
    const record = (socket: LiveClient) => {
      socket.on('round:update', (value) => seen.push({ id: 'roundUpdate', value }));
      socket.on('round:gone', (value) => seen.push({ id: 'roundGone', value }));
      socket.on('competition:update', (value) => seen.push({ id: 'competitionUpdate', value }));
      socket.on('session:ended', (value) => seen.push({ id: 'sessionEnded', value }));
    };
    for (const socket of [staff, spectator, display]) {
      record(socket);
      seen.push({
        id: 'competitionJoinAck',
        value: await socket.emitWithAck('competition:join', competition),
      });
      seen.push({ id: 'roundJoinAck', value: await socket.emitWithAck('round:join', round) });
    }
    // A refused request is acknowledged as documented too.
    const refused = await spectator.emitWithAck('round:join', { roundId: 'nope' } as never);
    expect(refused).toMatchObject({ error: { code: 'request_invalid' } });
    seen.push({ id: 'roundJoinAck', value: refused });

    for (const judge of [1, 2, 3, 4])
      expect((await api.mark(app, judge, 'A01', String(40 + judge))).statusCode).toBe(201);
    expect((await api.mark(app, 0, 'A02', '38')).statusCode).toBe(201);
    await settle(app);
    await api.signOffAndPublish(app);
    await settle(app);
    const post = (path: string, payload: object = {}) =>
      app.inject({ method: 'POST', url: url(path), headers: bearer(seed.tokens.chiefJudge), payload });
    expect((await post('freeze')).statusCode).toBe(200);
    await settle(app);
    expect((await post('reveal')).statusCode).toBe(200);
    await settle(app);
    const revoked = await app.inject({
      method: 'POST',
      url: `/api/competitions/${seed.competition.id}/devices/${seed.display.id}/revoke`,
      headers: bearer(seed.tokens.organizer),
      payload: {},
    });
    expect(revoked.statusCode).toBe(200);

    const updates = () => seen.filter((s) => s.id === 'roundUpdate').map((s) => s.value as object);
    const frozen = (u: object) =>
      'snapshot' in u && (u.snapshot as { frozen: { revealed: number } | null }).frozen?.revealed === 1;
    await until(
      () =>
        updates().some((u) => 'delta' in u) &&
        updates().some(frozen) &&
        seen.some((s) => s.id === 'competitionUpdate') &&
        seen.some((s) => s.id === 'sessionEnded'),
    );
    seen.push({ id: 'roundLeaveAck', value: await spectator.emitWithAck('round:leave', round) });
    seen.push({
      id: 'competitionLeaveAck',
      value: await spectator.emitWithAck('competition:leave', competition),
    });

    const wrong = seen.flatMap(({ id, value }) =>
      problems(id, value).map((p) => `${id} ${JSON.stringify(value).slice(0, 80)}: ${p}`),
    );
    expect(wrong).toEqual([]);
    // The payloads checked carry the whole breakdown (components, aspects, marks by seat, flags).
    expect(JSON.stringify(updates())).toMatch(/"components":\[\{"component".*"aspects".*"used".*"flags"/);
  });

  it('refuses payloads that stray from the contract (the schemas are not vacuous)', async () => {
    const spectator = await venue.connect();
    const answer = await spectator.emitWithAck('round:join', {
      competitionId: seed.competition.id,
      roundId: seed.round.id,
    });
    if (!('data' in answer)) throw new Error('round:join refused');
    const snapshot = answer.data;
    expect(problems('roundUpdate', { roundId: snapshot.roundId, version: 1, snapshot })).toEqual([]);
    const line = snapshot.standings[0];
    const strays = [
      { ...snapshot, extra: true },
      { ...snapshot, labels: 'nickname' },
      { ...snapshot, standings: [{ ...line, total: 12.5 }] },
      { ...snapshot, standings: [{ ...line, flags: [{ code: 'unknown' }] }] },
    ];
    for (const stray of strays)
      expect(problems('roundUpdate', { roundId: snapshot.roundId, version: 1, snapshot: stray })).not.toEqual(
        [],
      );
    expect(problems('sessionEnded', { reason: 'bored' })).not.toEqual([]);
  });
});
