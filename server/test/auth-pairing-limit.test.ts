import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers } from './databases';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

/** Guessing pairing codes in bulk from one address is throttled; a venue's own pairings never are. */
describe.each(drivers)('the pairing limit per address on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const pair = (code: string, remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: '/api/devices/pair',
      payload: { code },
      headers: { 'accept-language': 'en' },
      remoteAddress,
    });
  const newCode = async () => {
    const created = await app.inject({
      method: 'POST',
      url: `/api/competitions/${seed.competition.id}/devices`,
      payload: { kind: 'display', label: '大屏' },
      headers: bearer(seed.tokens.organizer),
    });
    expect(created.statusCode).toBe(201);
    return (created.json() as { pairingCode: string }).pairingCode;
  };

  it('answers 429 pairing_throttled with Retry-After after 30 wrong codes; another address still pairs', async () => {
    for (let i = 0; i < 30; i++) {
      const wrong = await pair('AAAAAAAA', '10.9.0.1');
      expect(wrong.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const throttled = await pair('AAAAAAAA', '10.9.0.1');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ error: { code: 'pairing_throttled' } });
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(500);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Even a right code waits at the throttled address; from another address it pairs.
    const code = await newCode();
    expect((await pair(code, '10.9.0.1')).statusCode).toBe(429);
    expect((await pair(code, '10.9.0.2')).statusCode).toBe(200);
  });

  it('does not count successes: a venue pairs 35 screens behind one address', async () => {
    for (let i = 0; i < 35; i++) {
      const paired = await pair(await newCode(), '10.9.0.3');
      expect(paired.statusCode, `screen ${i + 1}`).toBe(200);
    }
    expect((await pair('AAAAAAAA', '10.9.0.3')).statusCode).toBe(401);
  });
});
