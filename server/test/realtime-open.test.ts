import { type RoundSnapshot, type SchemeInput, templateInputs } from '@jiangxin/shared';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events } from '../src/db/schema';
import { follow, openCompetition, roundApi, settle } from './realtime-support';
import { bearer, type Seeded } from './support';

/**
 * Open scoring (公开评分): the public follows an unpublished round live, as open sports do, without breaking
 * blind marking (issue 15, #6): before decryption a name is shown only as the event's scheme chooses
 * (`namesShown`), by default never, and a judge's device never gets one.
 */

const judgeNames = /赵一|钱二|孙三|李四|周五/;

/** A venue with open scoring; `namesOf` finds any competitor's name in what a client received. */
function openVenue() {
  const venue = {} as Awaited<ReturnType<typeof openCompetition>> & { api: ReturnType<typeof roundApi> };
  beforeAll(async () => {
    Object.assign(venue, await openCompetition());
    venue.api = roundApi(venue.seed);
  });
  afterAll(() => venue.close());
  const namesIn = (received: unknown) => {
    const text = JSON.stringify(received);
    return venue.seed.competitors.map((c) => c.name).filter((name) => text.includes(name));
  };
  /** GET …/live, anonymously or with a token. */
  const live = async (token?: string) => {
    const res = await venue.app.inject({
      url: `/api/competitions/${venue.seed.competition.id}/rounds/${venue.seed.round.id}/live`,
      headers: token ? bearer(token) : {},
    });
    expect(res.statusCode).toBe(200);
    return { snapshot: res.json() as RoundSnapshot, cacheControl: res.headers['cache-control'] };
  };
  return { venue, namesIn, live };
}

const lineOf = (s: RoundSnapshot, workstation: string) =>
  s.standings.find((l) => l.workstation === workstation);
const assemblyMarks = (s: RoundSnapshot, workstation: string) =>
  lineOf(s, workstation)
    ?.components.flatMap((c) => c.aspects ?? [])
    .find((a) => a?.aspect === 'assemblyQuality');
const marksIn = (s: RoundSnapshot, workstation: string) => {
  const aspect = assemblyMarks(s, workstation);
  return (aspect?.used.length ?? 0) + (aspect?.dropped.length ?? 0);
};

describe('an open competition under the default, names after decryption', () => {
  const { venue, namesIn, live } = openVenue();

  it('lets a spectator follow every mark before publication, under workstation codes only', async () => {
    const { app, seed, api } = venue;
    expect((await api.mark(app, 0, 'A01', '40')).statusCode).toBe(201);
    await settle(app);
    const view = follow(await venue.connect(), seed);
    const first = await view.join();
    expect(first.status.published).toBe(false);
    expect(first.labels).toBe('workstation');
    expect(first.standings.map((s) => s.competitor).sort()).toEqual(['A01', 'A02', 'A03', 'A04']);
    for (const judge of [1, 2, 3, 4])
      expect((await api.mark(app, judge, 'A01', String(40 + judge))).statusCode).toBe(201);
    const last = await view.next((s) => marksIn(s, 'A01') === 5, 2000);
    // Marks by seat (the highest and lowest dropped), never by a judge's name.
    const aspect = assemblyMarks(last, 'A01');
    expect(
      [...(aspect?.used ?? []), ...(aspect?.dropped ?? [])].map((m) => `${m.judge}=${m.mark}`).sort(),
    ).toEqual(['J1=40', 'J2=41', 'J3=42', 'J4=43', 'J5=44']);
    // Still no name, however many marks are in: the default waits for decryption.
    expect(namesIn([first, view.updates])).toEqual([]);
    expect(JSON.stringify([first, view.updates])).not.toMatch(judgeNames);
    // Only the line that changed travelled, each time.
    expect(view.updates.length).toBeGreaterThan(0);
    for (const update of view.updates)
      expect(update.delta?.changed.map((s) => s.workstation)).toEqual(['A01']);
  });

  it('serves the same open round to everyone through the cacheable endpoint, without names', async () => {
    const { snapshot, cacheControl } = await live();
    expect(cacheControl).toBe('public, max-age=2');
    expect(snapshot.labels).toBe('workstation');
    expect(namesIn(snapshot)).toEqual([]);
  });

  it('names every competitor once the round is decrypted, except on a judge’s device', async () => {
    const { app, seed, api } = venue;
    const signedOff = await app.inject({
      method: 'POST',
      url: api.url('sign-off'),
      headers: bearer(seed.tokens.chiefJudge),
      payload: { confirm: true, force: true, reason: '测试：强制签字' },
    });
    expect(signedOff.statusCode).toBe(200);
    expect((await api.decrypt(app)).statusCode).toBe(200);
    await settle(app);
    const { snapshot } = await live();
    expect(snapshot.labels).toBe('name');
    expect(lineOf(snapshot, 'A01')?.competitor).toBe(seed.competitors[0]?.name);

    const judge = await live(seed.tokens.judge(0));
    expect(judge.cacheControl).toBe('private, no-store');
    expect(judge.snapshot.audience).toBe('judge');
    expect(judge.snapshot.labels).toBe('workstation');
    expect(namesIn(judge.snapshot)).toEqual([]);
    const tablet = follow(await venue.connect(seed.tokens.judge(1)), seed);
    expect(namesIn(await tablet.join())).toEqual([]);
  });
});

/** The drone template's assembly alone: marks from the seeded 5-judge panel complete a competitor. */
const assemblyOnly: SchemeInput = {
  id: 'assembly',
  name: '无人机组装与调试',
  components: [
    {
      id: 'assembly',
      name: '无人机组装与调试',
      aspects: (templateInputs.drone as { components: { id: string; aspects: unknown[] }[] }).components.find(
        (c) => c.id === 'assembly',
      )?.aspects as never,
    },
  ],
  rounds: [{ id: 'Final' }],
  namesShown: 'whenCompetitorComplete',
};

describe('an open competition whose scheme shows a name once the competitor’s marks are all in', () => {
  const { venue, namesIn, live } = openVenue();
  let app: FastifyInstance;
  let seed: Seeded;
  beforeAll(async () => {
    ({ app, seed } = venue);
    await app.db.update(events).set({ scheme: assemblyOnly }).where(eq(events.id, seed.event.id));
  });

  it('shows no name while a competitor’s marks are incomplete, then theirs alone, and none to a judge', async () => {
    const { api } = venue;
    for (const judge of [0, 1, 2, 3])
      expect((await api.mark(app, judge, 'A01', String(40 + judge))).statusCode).toBe(201);
    expect((await api.mark(app, 0, 'A02', '30')).statusCode).toBe(201);
    await settle(app);

    // Four of A01's five marks: the fifth judge is still marking it, so no one may learn whose it is.
    const anonymous = await live();
    expect(anonymous.snapshot.labels).toBe('workstation');
    expect(namesIn(anonymous.snapshot)).toEqual([]);
    const spectator = follow(await venue.connect(), seed);
    expect(namesIn(await spectator.join())).toEqual([]);
    const tablet = follow(await venue.connect(seed.tokens.judge(4)), seed);
    const held = await tablet.join();
    expect(held.audience).toBe('judge');
    expect(namesIn(held)).toEqual([]);

    expect((await api.mark(app, 4, 'A01', '44')).statusCode).toBe(201);
    const named = await spectator.next((s) => marksIn(s, 'A01') === 5, 2000);
    expect(named.labels).toBe('name');
    expect(lineOf(named, 'A01')?.competitor).toBe(seed.competitors[0]?.name);
    // A02 has one mark of five, A03 and A04 none: codes.
    expect(named.standings.map((s) => s.competitor).filter((c) => /^A0\d$/.test(c))).toEqual(
      expect.arrayContaining(['A02', 'A03', 'A04']),
    );
    expect(namesIn(named)).toEqual([seed.competitors[0]?.name]);
    expect(namesIn((await live()).snapshot)).toEqual([seed.competitors[0]?.name]);

    // The judge's device got the same marks, never a name.
    const tabletView = await tablet.next((s) => marksIn(s, 'A01') === 5, 2000);
    expect(tabletView.labels).toBe('workstation');
    expect(namesIn([held, tablet.updates])).toEqual([]);
    expect(namesIn((await live(seed.tokens.judge(4))).snapshot)).toEqual([]);
  });
});
