import type { RoundSnapshot } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { follow, openCompetition, roundApi, settle } from './realtime-support';
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
    await settle(app);
    const spectator = await venue.connect();
    const view = follow(spectator, seed);
    const first = await view.join();
    expect(first.status.published).toBe(false);
    expect(first.labels).toBe('name');
    expect(first.standings.map((s) => s.competitor)).toContain(seed.competitors[0]?.name);
    for (const judge of [1, 2, 3, 4])
      expect((await api.mark(app, judge, 'A01', String(40 + judge))).statusCode).toBe(201);
    const marks = (s: RoundSnapshot) =>
      s.standings
        .find((line) => line.workstation === 'A01')
        ?.components.flatMap((c) => c.aspects ?? [])
        .find((a) => a?.aspect === 'assemblyQuality');
    const last = await view.next(
      (s) => (marks(s)?.used.length ?? 0) + (marks(s)?.dropped.length ?? 0) === 5,
      2000,
    );
    expect(last.labels).toBe('name');
    // Marks by seat (the highest and lowest dropped), never by a judge's name.
    const aspect = marks(last);
    expect(
      [...(aspect?.used ?? []), ...(aspect?.dropped ?? [])].map((m) => `${m.judge}=${m.mark}`).sort(),
    ).toEqual(['J1=40', 'J2=41', 'J3=42', 'J4=43', 'J5=44']);
    expect(last.standings.find((s) => s.workstation === 'A01')?.competitor).toBe(seed.competitors[0]?.name);
    expect(JSON.stringify(view.updates)).not.toMatch(/赵一|钱二|孙三|李四|周五/);
    // Only the line that changed travelled, each time.
    expect(view.updates.length).toBeGreaterThan(0);
    for (const update of view.updates)
      expect(update.delta?.changed.map((s) => s.workstation)).toEqual(['A01']);
  });

  it('serves the same open round to everyone through the cacheable endpoint', async () => {
    const res = await app.inject({
      url: `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/live`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=2');
  });
});
