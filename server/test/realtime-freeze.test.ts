import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { follow, openCompetition, roundApi, settle } from './realtime-support';
import { bearer, type Seeded } from './support';

/** Freeze and reveal: the public keeps the frozen standings while judges mark; then places from the bottom. */
describe('freeze and reveal', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let venue: Awaited<ReturnType<typeof openCompetition>>;

  beforeAll(async () => {
    venue = await openCompetition();
    ({ app, seed } = venue);
  });
  afterAll(() => venue.close());

  const totals = (standings: { competitor: string; total: string | null }[]) =>
    standings.map((s) => `${s.competitor}=${s.total}`).sort();

  it('shows the public the frozen standings, leaks nothing new, and reveals from the bottom', async () => {
    const api = roundApi(seed);
    const ceremony = (action: 'freeze' | 'reveal', payload: object = {}) =>
      app.inject({ method: 'POST', url: api.url(action), headers: bearer(seed.tokens.chiefJudge), payload });
    for (const [judge, value] of [
      [0, '30'],
      [1, '32'],
      [2, '34'],
    ] as const) {
      expect((await api.mark(app, judge, 'A01', value)).statusCode).toBe(201);
      expect((await api.mark(app, judge, 'A02', String(Number(value) - 10))).statusCode).toBe(201);
      expect((await api.mark(app, judge, 'A03', String(Number(value) - 20))).statusCode).toBe(201);
    }
    await settle(app);
    const spectator = await venue.connect();
    const chief = await venue.connect(seed.tokens.chiefJudge);
    const publicView = follow(spectator, seed);
    const staffView = follow(chief, seed);
    const before = await publicView.join();
    await staffView.join();

    expect((await ceremony('freeze')).statusCode).toBe(200);
    const frozen = await publicView.next((s) => s.frozen !== null, 2000);
    expect(totals(frozen.standings)).toEqual(totals(before.standings));
    const frozenAt = publicView.updates.length;

    // Judges keep marking: A03 overtakes everyone. Staff see it; the public must not.
    for (const judge of [0, 1, 2, 3, 4])
      expect((await api.mark(app, judge, 'A03', '50')).statusCode).toBe(201);
    await settle(app);
    const staffNow = await staffView.next((s) => s.standings[0]?.workstation === 'A03', 2000);
    expect(staffNow.frozen).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(totals(publicView.state?.standings ?? [])).toEqual(totals(before.standings));
    // The public was told the version moved on, and nothing else: no line, no order.
    const whileFrozen = publicView.updates.slice(frozenAt);
    expect(whileFrozen.length).toBeGreaterThan(0);
    for (const update of whileFrozen) expect(update.delta).toEqual({ base: expect.any(Number), changed: [] });
    expect(JSON.stringify(whileFrozen)).not.toContain('"50"');
    const cached = await app.inject({ url: api.url('live') });
    expect(totals(cached.json().standings)).toEqual(totals(before.standings));

    // The ceremony: the last place first, nothing above it sent.
    expect((await ceremony('reveal')).json()).toMatchObject({ frozen: true, revealed: 1 });
    const step = await publicView.next((s) => s.frozen?.revealed === 1, 2000);
    expect(step.standings).toHaveLength(1);
    expect(step.frozen).toEqual({ revealed: 1, hidden: staffNow.standings.length - 1 });
    expect(step.standings[0]?.competitor).toBe(staffNow.standings.at(-1)?.competitor);
    // A04 never got a mark: it is a place all the same, the last one, revealed first with no total.
    expect(staffNow.standings.map((s) => s.workstation)).toHaveLength(4);
    expect(step.standings[0]).toMatchObject({ workstation: 'A04', rank: 4, total: null });
    expect(step.standings[0]?.flags).toContainEqual({ code: 'noMarks' });
    expect(step.frozen?.hidden).toBe(3);

    expect((await ceremony('reveal', { all: true })).json()).toMatchObject({ frozen: false });
    const thawed = await publicView.next((s) => s.frozen === null && s.version > step.version, 2000);
    expect(totals(thawed.standings)).toEqual(totals(staffNow.standings));
    expect((await ceremony('reveal')).statusCode).toBe(409);
  });
});
