import { getHonourTemplate, getTemplate } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { bearer, type Seeded, seedCompetition } from './support';

/**
 * What the fuzz of every route (fuzz.test.ts) found, each kept out by a test of its own: the router's own
 * refusals answered in Fastify's shape rather than the API's, two actions that took any body, and template
 * names looked up on Object's prototype.
 */
describe('defects the fuzz found', () => {
  let app: FastifyInstance;
  let seed: Seeded;

  beforeAll(async () => {
    // As server.ts builds it: the router's refusals are wired where the instance is created.
    app = await buildApp({ clientDist: '/nonexistent' });
    seed = await seedCompetition(app);
  });
  afterAll(() => app.close());

  const round = () => `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}`;

  it('answers a path that is not valid percent-encoding with the API’s 400, not the router’s', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/competitions/%FF%FE/events',
      headers: { 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'path_invalid',
        message: 'the path is not validly encoded (such as %FF or a broken character)',
      },
    });
  });

  it('answers an overlong path segment with the API’s 414, in the caller’s language', async () => {
    const res = await app.inject({
      method: 'DELETE',
      url: `/api/competitions/${seed.competition.id}/panels/${seed.panel.id}/seats/${'x'.repeat(101)}`,
      headers: bearer(seed.tokens.organizer),
    });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toEqual({
      error: { code: 'path_too_long', message: '路径中的某一段过长（至多 100 个字符）' },
    });
  });

  it.each(['publish', 'decrypt'])(
    'refuses a body on %s, naming the field, as every other action does',
    async (action) => {
      const token = action === 'publish' ? seed.tokens.chiefJudge : seed.tokens.encryptionOfficer;
      const res = await app.inject({
        method: 'POST',
        url: `${round()}/${action}`,
        headers: { ...bearer(token), 'accept-language': 'en' },
        payload: { force: true },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: {
          code: 'request_invalid',
          issues: [{ field: '', message: expect.stringContaining('force') }],
        },
      });
    },
  );

  it.each(['__proto__', 'constructor', 'toString'])(
    'finds no template called %s (it was a 500)',
    async (name) => {
      expect(getTemplate(name)).toBeUndefined();
      expect(getHonourTemplate(name)).toBeUndefined();
      const res = await app.inject(`/api/templates/${name}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('template_unknown');
      const event = await app.inject({
        method: 'POST',
        url: `/api/competitions/${seed.competition.id}/events`,
        headers: bearer(seed.tokens.organizer),
        payload: { name: '原型', scheme: name },
      });
      expect(event.statusCode).toBe(400);
      expect(event.json().error.code).toBe('template_unknown');
    },
  );
});
