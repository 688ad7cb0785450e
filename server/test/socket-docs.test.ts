import type { RoundUpdate } from '@jiangxin/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEvents, serverEvents } from '../src/plugins/socket-docs';
import { openCompetition, roundApi, settle } from './realtime-support';

/** The live push's documentation, checked against what real sockets receive. */
describe('the live push documentation', () => {
  let venue: Awaited<ReturnType<typeof openCompetition>>;
  beforeAll(async () => {
    venue = await openCompetition();
  });
  afterAll(() => venue.close());

  it('lists every event in the AsyncAPI document and on the page', async () => {
    const doc = (await venue.app.inject('/docs/asyncapi.json')).json() as {
      asyncapi: string;
      channels: Record<string, { address: string }>;
    };
    expect(doc.asyncapi).toBe('3.0.0');
    const addresses = Object.values(doc.channels).map((c) => c.address);
    const page = await venue.app.inject('/docs/socket');
    expect(page.headers['content-type']).toMatch(/text\/html/);
    for (const event of [...Object.keys(clientEvents), ...Object.keys(serverEvents)]) {
      expect(addresses).toContain(event);
      expect(page.body).toContain(`<code>${event}</code>`);
    }
  });

  it('describes the payloads real sockets get', async () => {
    const { app, seed } = venue;
    const socket = await venue.connect();
    const competition = await socket.emitWithAck('competition:join', { competitionId: seed.competition.id });
    expect(clientEvents['competition:join'].ack.safeParse(competition).error).toBeUndefined();
    const updates: RoundUpdate[] = [];
    socket.on('round:update', (update) => updates.push(update));
    const joined = await socket.emitWithAck('round:join', {
      competitionId: seed.competition.id,
      roundId: seed.round.id,
    });
    expect(clientEvents['round:join'].ack.safeParse(joined).error).toBeUndefined();
    expect((await roundApi(seed).mark(app, 0, 'A01', '40')).statusCode).toBe(201);
    await settle(app);
    const until = Date.now() + 3000;
    while (updates.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates)
      expect(serverEvents['round:update'].payload.safeParse(update).error).toBeUndefined();
    const left = await socket.emitWithAck('round:leave', { roundId: seed.round.id });
    expect(clientEvents['round:leave'].ack.safeParse(left).error).toBeUndefined();
    // A refusal is described too.
    const refused = await socket.emitWithAck('round:join', {
      competitionId: seed.competition.id,
      roundId: 'x',
    });
    expect(clientEvents['round:join'].ack.safeParse(refused).error).toBeUndefined();
    expect('error' in refused).toBe(true);
  });
});
