import { createHash, createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitors, judges, rounds, workstations } from '../src/db/schema';
import { drivers } from './databases';
import { auditActions, call, createWorld, judgeToken, type World } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

describe.each(drivers)('draw and encryption on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let world: World;
  let base: string;
  let eventId: string;
  let roundId: string;

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    world = await createWorld(app, seed);
    base = `/api/competitions/${world.competitionId}`;
    const event = await call(app, world.tokens.organizer, 'POST', `${base}/events`, {
      name: '化工总控工',
      scheme: 'petrochemical',
    });
    eventId = event.json().id;
    roundId = event.json().rounds.at(-1).id;
    const rows = Array.from({ length: 12 }, (_, i) => `选手${i + 1},化工厂${i % 4},南京,是,是`);
    const imported = await call(
      app,
      world.tokens.organizer,
      'POST',
      `${base}/events/${eventId}/competitors/import`,
      {
        format: 'csv',
        content: ['姓名,工作单位,地区,一线职工,工会会员', ...rows].join('\n'),
      },
    );
    expect(imported.json().accepted).toBe(12);
  });
  afterAll(async () => {
    await app.close();
  });

  it('draws unique entry numbers 1..n from a seed whose hash is audited', async () => {
    const judge = await judgeToken(app, seed.competition.id, seed.judges[0]?.id ?? '');
    expect((await call(app, judge, 'POST', `${base}/events/${eventId}/draw`)).statusCode).toBe(403);
    expect(
      (await call(app, world.tokens.chiefJudge, 'POST', `${base}/events/${eventId}/draw`)).statusCode,
    ).toBe(403);
    const res = await call(app, world.tokens.organizer, 'POST', `${base}/events/${eventId}/draw`);
    expect(res.statusCode, res.body).toBe(200);
    const draw = res.json();
    expect(draw.assigned.map((a: { entryNumber: number }) => a.entryNumber)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(draw.seedHash).toBe(createHash('sha256').update(draw.seed).digest('hex'));
    // Whoever holds the seed can recompute the draw.
    const ids = draw.assigned.map((a: { competitorId: string }) => a.competitorId);
    const recomputed = [...ids].sort((a: string, b: string) => {
      const ka = createHmac('sha256', draw.seed).update(a).digest('hex');
      const kb = createHmac('sha256', draw.seed).update(b).digest('hex');
      return ka < kb ? -1 : 1;
    });
    expect(recomputed).toEqual(ids);
    const rows = await app.db.select().from(competitors).where(eq(competitors.eventId, eventId));
    expect(new Set(rows.map((r) => r.entryNumber)).size).toBe(12);
    const audit = (await auditActions(app, world.competitionId)).at(-1);
    expect(audit?.action).toBe('draw.entryNumbers');
    expect(audit?.detail.seedHash).toBe(draw.seedHash);
    expect(JSON.stringify(audit)).not.toContain(draw.seed);

    const again = await call(app, world.tokens.encryptionOfficer, 'POST', `${base}/events/${eventId}/draw`);
    expect(again.json()).toEqual({ seed: null, seedHash: null, assigned: [] });
    // Late registrations get the next free numbers.
    for (const name of ['迟到甲', '迟到乙']) {
      await call(app, world.tokens.organizer, 'POST', `${base}/events/${eventId}/competitors`, {
        name,
        unit: '化工厂9',
        region: '南京',
        frontline: true,
        unionMember: true,
      });
    }
    const late = await call(app, world.tokens.encryptionOfficer, 'POST', `${base}/events/${eventId}/draw`);
    expect(late.json().assigned.map((a: { entryNumber: number }) => a.entryNumber)).toEqual([13, 14]);
  });

  it('checks competitors in with unique random workstation codes, also concurrently', async () => {
    const list = (
      await call(app, world.tokens.organizer, 'GET', `${base}/events/${eventId}/competitors`)
    ).json();
    expect(list).toHaveLength(14);
    expect(
      (
        await call(app, world.tokens.organizer, 'POST', `${base}/rounds/${roundId}/check-in`, {
          competitorId: list[0].id,
        })
      ).statusCode,
    ).toBe(403);
    const results = await Promise.all(
      list.map((c: { id: string }, i: number) =>
        call(
          app,
          i % 2 ? world.tokens.chiefJudge : world.tokens.encryptionOfficer,
          'POST',
          `${base}/rounds/${roundId}/check-in`,
          {
            competitorId: c.id,
          },
        ),
      ),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const codes = results.map((r) => r.json().code as string);
    expect(new Set(codes).size).toBe(14);
    for (const code of codes) expect(code).toMatch(/^A(0[1-9]|1[0-4])$/);
    const again = await call(
      app,
      world.tokens.encryptionOfficer,
      'POST',
      `${base}/rounds/${roundId}/check-in`,
      {
        competitorId: list[0].id,
      },
    );
    expect(again.json()).toMatchObject({ code: codes[0], alreadyCheckedIn: true });
    const rows = await app.db.select().from(workstations).where(eq(workstations.roundId, roundId));
    expect(rows).toHaveLength(14);
    // The audit log records each check-in without the code (that would be the mapping).
    const audit = (await auditActions(app, world.competitionId)).filter(
      (a) => a.action === 'round.checkedIn',
    );
    expect(audit).toHaveLength(14);
    expect(JSON.stringify(audit)).not.toMatch(/"A\d\d"/);

    const stranger = seed.competitors[0]?.id;
    const foreign = await call(
      app,
      world.tokens.encryptionOfficer,
      'POST',
      `${base}/rounds/${roundId}/check-in`,
      {
        competitorId: stranger,
      },
    );
    expect(foreign.statusCode).toBe(404);
  });

  it('shows the mapping to the encryption officer and chief judge only, until decryption', async () => {
    const url = `${base}/rounds/${roundId}/mapping`;
    const eo = await call(app, world.tokens.encryptionOfficer, 'GET', url);
    expect(eo.statusCode).toBe(200);
    expect(eo.json()).toHaveLength(14);
    expect(eo.json()[0]).toMatchObject({ code: 'A01' });
    expect(eo.json()[0].name).toBeTruthy();
    expect((await call(app, world.tokens.chiefJudge, 'GET', url)).statusCode).toBe(200);
    const organizer = await call(app, world.tokens.organizer, 'GET', url);
    expect(organizer.statusCode).toBe(403);
    expect(organizer.json().error.code).toBe('mapping_sealed');
    expect(organizer.body).not.toMatch(/选手\d/);
    expect((await call(app, world.tokens.scorekeeper, 'GET', url)).statusCode).toBe(403);
    expect((await call(app, null, 'GET', url)).statusCode).toBe(401);
    // Signed off but not decrypted: still sealed.
    await app.db.update(rounds).set({ signedOffAt: new Date() }).where(eq(rounds.id, roundId));
    expect((await call(app, world.tokens.organizer, 'GET', url)).statusCode).toBe(403);
    await app.db.update(rounds).set({ decryptedAt: new Date() }).where(eq(rounds.id, roundId));
    const after = await call(app, world.tokens.organizer, 'GET', url);
    expect(after.statusCode).toBe(200);
    expect(after.json()).toHaveLength(14);
    // A signed-off round takes no more check-ins.
    const late = await call(
      app,
      world.tokens.encryptionOfficer,
      'POST',
      `${base}/rounds/${roundId}/check-in`,
      {
        competitorId: (await app.db.select().from(competitors).where(eq(competitors.eventId, eventId)))[0]
          ?.id,
      },
    );
    expect(late.statusCode).toBe(409);
  });

  it('gives judges the codes only, and the mapping never', async () => {
    // The seeded competition: its round has A01–A04 and five judges seated.
    const sb = `/api/competitions/${seed.competition.id}`;
    const judge = seed.tokens.judge(0);
    expect((await call(app, judge, 'GET', `${sb}/rounds/${seed.round.id}/mapping`)).statusCode).toBe(403);
    expect(
      (await call(app, seed.tokens.display, 'GET', `${sb}/rounds/${seed.round.id}/mapping`)).statusCode,
    ).toBe(403);
    expect(
      (await call(app, seed.tokens.encryptionOfficer, 'GET', `${sb}/rounds/${seed.round.id}/mapping`))
        .statusCode,
    ).toBe(200);
    expect(
      (await call(app, seed.tokens.organizer, 'GET', `${sb}/rounds/${seed.round.id}/mapping`)).statusCode,
    ).toBe(403);
    const res = await call(app, judge, 'GET', `${sb}/rounds/${seed.round.id}/workstations`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ roundId: seed.round.id, codes: ['A01', 'A02', 'A03', 'A04'] });
    for (const c of seed.competitors) {
      expect(res.body).not.toContain(c.name);
      expect(res.body).not.toContain(c.unit);
      expect(res.body).not.toContain(c.id);
    }
    expect(res.body).not.toContain('entryNumber');
    // A judge of the competition who sits on no panel of the event.
    const [spare] = await app.db
      .insert(judges)
      .values({ competitionId: seed.competition.id, name: '未分组裁判', unit: '某单位', region: '某地' })
      .returning();
    const unseated = await judgeToken(app, seed.competition.id, spare?.id ?? '');
    const refused = await call(app, unseated, 'GET', `${sb}/rounds/${seed.round.id}/workstations`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('not_on_panel');
    expect(
      (await call(app, seed.tokens.display, 'GET', `${sb}/rounds/${seed.round.id}/workstations`)).statusCode,
    ).toBe(403);
    expect(
      (await call(app, seed.tokens.scorekeeper, 'GET', `${sb}/rounds/${seed.round.id}/workstations`))
        .statusCode,
    ).toBe(200);
  });
});
