import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, openCompetition, roundApi, updatesOf } from './realtime-support';
import type { Seeded } from './support';

/** Open scoring (公开评分): the public follows an unpublished round live, under names, as open sports do. */
describe('an open competition', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let venue: Awaited<ReturnType<typeof openCompetition>>;

  beforeAll(async () => {
    venue = await openCompetition();
    ({ app, seed } = venue);
  });
  afterAll(() => venue.close());

  it('lets a spectator join before publication, with names, and follow every mark', async () => {
    const api = roundApi(seed);
    expect((await api.mark(app, 0, 'A01', '40')).statusCode).toBe(201);
    await app.live.settle();
    const spectator = await venue.connect();
    const updates = updatesOf(spectator);
    const first = await join(spectator, seed);
    expect(first.status.published).toBe(false);
    expect(first.labels).toBe('name');
    expect(first.standings.map((s) => s.competitor)).toContain(seed.competitors[0]?.name);
    expect((await api.mark(app, 1, 'A01', '42')).statusCode).toBe(201);
    const next = await updates.next((u) => u.version > first.version, 2000);
    expect(next.snapshot.labels).toBe('name');
  });

  it('serves the same open round to everyone through the cacheable endpoint', async () => {
    const res = await app.inject({
      url: `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/live`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=2');
  });
});
