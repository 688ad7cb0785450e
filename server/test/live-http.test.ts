import type { CompetitionSnapshot, RoundSnapshot } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { roundApi, settle } from './realtime-support';
import { bearer, type Seeded, seedCompetition } from './support';

/**
 * The live view over plain HTTP, as a phone whose socket cannot connect polls it: the competition's rounds
 * and a round's snapshot, each tagged, 304 while unchanged, cacheable by a CDN only when public.
 */
describe('the live view over HTTP', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let api: ReturnType<typeof roundApi>;
  const listUrl = () => `/api/competitions/${seed.competition.id}/live`;
  const get = (url: string, token?: string, etag?: string) =>
    app.inject({
      url,
      headers: { ...(token ? bearer(token) : {}), ...(etag ? { 'if-none-match': etag } : {}) },
    });

  beforeAll(async () => {
    app = await buildApp({ clientDist: '/nonexistent' });
    seed = await seedCompetition(app);
    api = roundApi(seed);
  });
  afterAll(() => app.close());

  it('lists to the public only the rounds it may see, to staff every round, each with its own tag and cache rule', async () => {
    const open = await get(listUrl());
    expect(open.statusCode).toBe(200);
    expect(open.json()).toEqual({ competitionId: seed.competition.id, audience: 'public', rounds: [] });
    expect(open.headers['cache-control']).toBe('public, max-age=2');
    // A shared cache must not hand the public's list to staff, nor theirs to the public.
    expect(open.headers.vary).toBe('authorization');
    const publicTag = open.headers.etag as string;
    expect(publicTag).toMatch(/^"[\w-]+"$/);

    const staff = await get(listUrl(), seed.tokens.chiefJudge);
    expect(staff.statusCode).toBe(200);
    expect((staff.json() as CompetitionSnapshot).rounds.map((r) => r.roundId)).toEqual([seed.round.id]);
    expect(staff.headers['cache-control']).toBe('private, no-store');
    expect(staff.headers.etag).toMatch(/-staff"$/);
    // A judge or a screen is the public audience.
    expect((await get(listUrl(), seed.tokens.judge(0))).headers.etag).toBe(publicTag);

    // A mark changes the staff's list (the round's version) but not the public's: still 304.
    const staffTag = staff.headers.etag as string;
    expect((await get(listUrl(), seed.tokens.chiefJudge, staffTag)).statusCode).toBe(304);
    expect((await api.mark(app, 0, 'A01', '30')).statusCode).toBe(201);
    await settle(app);
    expect((await get(listUrl(), seed.tokens.chiefJudge, staffTag)).statusCode).toBe(200);
    const unchanged = await get(listUrl(), undefined, publicTag);
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    expect(unchanged.headers.etag).toBe(publicTag);
    expect(unchanged.headers['cache-control']).toBe('public, max-age=2');

    // Published, the round appears to the public: a new tag, then 304 again.
    await api.signOffAndPublish(app);
    await settle(app);
    const listed = await get(listUrl(), undefined, publicTag);
    expect(listed.statusCode).toBe(200);
    expect(listed.headers.etag).not.toBe(publicTag);
    expect((listed.json() as CompetitionSnapshot).rounds).toEqual([
      expect.objectContaining({
        roundId: seed.round.id,
        status: { signedOff: true, decrypted: false, published: true, markingClosed: false },
        frozen: false,
      }),
    ]);
    const tag = listed.headers.etag as string;
    // Any of several tags held, weak or strong, or `*`, matches.
    for (const held of [tag, `"other", W/${tag}`, '*'])
      expect((await get(listUrl(), undefined, held)).statusCode).toBe(304);

    // Frozen for the ceremony: the public's list says so (a new tag); the staff's list does not.
    const chief = bearer(seed.tokens.chiefJudge);
    const freeze = { method: 'POST', url: api.url('freeze'), headers: chief, payload: {} } as const;
    expect((await app.inject(freeze)).statusCode).toBe(200);
    await settle(app);
    const after = await get(listUrl(), undefined, tag);
    expect(after.statusCode).toBe(200);
    expect((after.json() as CompetitionSnapshot).rounds[0]?.frozen).toBe(true);
    const staffAfter = (await get(listUrl(), seed.tokens.chiefJudge)).json() as CompetitionSnapshot;
    expect(staffAfter.rounds[0]?.frozen).toBe(false);
  });

  it('tags a round’s snapshot by its version: 304 while unchanged, a new tag after each change', async () => {
    const fresh = await buildApp({ clientDist: '/nonexistent' });
    try {
      const other = await seedCompetition(fresh);
      const round = roundApi(other);
      const read = (token?: string, etag?: string) =>
        fresh.inject({
          url: round.url('live'),
          headers: { ...(token ? bearer(token) : {}), ...(etag ? { 'if-none-match': etag } : {}) },
        });
      // Unpublished: the public is refused (never cached), staff get a private answer.
      const refused = await read();
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(refused.headers.etag).toBeUndefined();
      const staff = await read(other.tokens.organizer);
      expect(staff.statusCode).toBe(200);
      expect(staff.headers['cache-control']).toBe('private, no-store');
      const first = staff.headers.etag as string;
      expect((await read(other.tokens.organizer, first)).statusCode).toBe(304);

      expect((await round.mark(fresh, 1, 'A02', '40')).statusCode).toBe(201);
      await settle(fresh);
      const marked = await read(other.tokens.organizer, first);
      expect(marked.statusCode).toBe(200);
      expect(marked.headers.etag).not.toBe(first);
      expect((marked.json() as RoundSnapshot).version).toBeGreaterThan(
        (staff.json() as RoundSnapshot).version,
      );

      // Published: one public answer for everyone, whose tag differs from the staff's.
      await round.signOffAndPublish(fresh);
      await settle(fresh);
      const published = await read();
      expect(published.statusCode).toBe(200);
      expect(published.headers['cache-control']).toBe('public, max-age=2');
      expect(published.json()).toMatchObject({ audience: 'public', status: { published: true } });
      const tag = published.headers.etag as string;
      expect(tag).not.toMatch(/-staff"$/);
      expect((await read(other.tokens.organizer)).headers.etag).toBe(tag);
      expect((await read(undefined, tag)).statusCode).toBe(304);
      expect((await read(undefined, marked.headers.etag as string)).statusCode).toBe(200);

      // Decryption changes the labels: a new tag.
      expect((await round.decrypt(fresh)).statusCode).toBe(200);
      await settle(fresh);
      const named = await read(undefined, tag);
      expect(named.statusCode).toBe(200);
      expect(named.headers.etag).not.toBe(tag);
      expect(named.json()).toMatchObject({ labels: 'name' });
    } finally {
      await fresh.close();
    }
  });

  it('names an unknown competition and refuses a malformed one, never cached', async () => {
    const unknown = await get('/api/competitions/00000000-0000-4000-8000-000000000000/live');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['cache-control']).toBe('no-store');
    expect((await get('/api/competitions/nope/live')).statusCode).toBe(400);
  });
});
