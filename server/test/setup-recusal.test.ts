import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelSeats, recusals } from '../src/db/schema';
import { verifyAuditChain } from '../src/modules/audit/service';
import { planPanel } from '../src/modules/setup/recusal';
import { drivers } from './databases';
import { auditActions, call, createWorld, judgeToken, type World } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

describe('recusal plan', () => {
  const person = (id: string, unit: string, region = '福州') => ({ id, unit, region });
  it('routes each conflict to a distinct free reserve, keeping earlier routings', () => {
    const seats = [
      { seat: 'J1', judge: person('j1', '甲厂') },
      { seat: 'J2', judge: person('j2', '甲厂 ') },
      { seat: 'J3', judge: person('j3', '乙厂') },
      { seat: 'R1', judge: person('r1', '丙厂') },
      { seat: 'R2', judge: person('r2', '甲厂') },
      { seat: 'R3', judge: person('r3', '丁厂') },
    ];
    const c = { ...person('c1', '甲厂'), entryNumber: 5 };
    const plan = planPanel('p', seats, [c], false, []);
    expect(plan.unroutable).toEqual([]);
    expect(plan.routings.map((r) => [r.seat, r.substituteSeat])).toEqual([
      ['J1', 'R1'],
      ['J2', 'R3'],
    ]);
    const kept = planPanel('p', seats, [c], false, [
      { panelId: 'p', judgeId: 'j1', competitorId: 'c1', reason: 'sameUnit', substituteJudgeId: 'r3' },
    ]);
    expect(kept.routings.map((r) => [r.seat, r.substituteSeat])).toEqual([
      ['J1', 'R3'],
      ['J2', 'R1'],
    ]);
    const short = planPanel('p', seats.slice(0, 4), [c], false, []);
    expect(short.unroutable.map((u) => u.seat)).toEqual(['J2']);
    const fuzhou = { ...person('c2', '戊厂', '福州'), entryNumber: 1 };
    expect(planPanel('p', seats, [fuzhou], false, [])).toEqual({ routings: [], unroutable: [] });
    expect(planPanel('p', seats, [fuzhou], true, []).unroutable.map((u) => u.reason)).toEqual([
      'sameRegion',
      'sameRegion',
      'sameRegion',
    ]);
  });
});

describe.each(drivers)('panels and recusal on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let world: World;
  let base: string;
  let eventId: string;
  let panelId: string;
  const competitorIds: Record<string, string> = {};
  const judgeIds: Record<string, string> = {};

  const addJudge = async (w: World, name: string, unit: string, region: string) => {
    const res = await call(app, w.tokens.organizer, 'POST', `/api/competitions/${w.competitionId}/judges`, {
      name,
      unit,
      region,
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const addCompetitor = (w: World, event: string, name: string, unit: string, region: string) =>
    call(
      app,
      w.tokens.organizer,
      'POST',
      `/api/competitions/${w.competitionId}/events/${event}/competitors`,
      {
        name,
        unit,
        region,
        frontline: true,
        unionMember: true,
      },
    );
  const seat = (token: string, panel: string, s: string, judgeId: string, b = base) =>
    call(app, token, 'PUT', `${b}/panels/${panel}/seats/${s}`, { judgeId });

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    world = await createWorld(app, seed);
    base = `/api/competitions/${world.competitionId}`;
    eventId = (
      await call(app, world.tokens.organizer, 'POST', `${base}/events`, { name: '无人机', scheme: 'drone' })
    ).json().id;
    for (const [name, unit, region] of [
      ['张伟', '国网某供电公司', '福州'],
      ['李娜', '某航空工业公司', '厦门'],
      ['王强', '国网某供电公司', '泉州'],
      ['陈静', '某测绘院', '福州'],
    ] as const) {
      const res = await addCompetitor(world, eventId, name, unit, region);
      expect(res.statusCode).toBe(201);
      competitorIds[name] = res.json().competitor.id;
    }
    await call(app, world.tokens.organizer, 'POST', `${base}/events/${eventId}/draw`);
    judgeIds.grid = await addJudge(world, '电网裁判', '国网某供电公司', '南平');
    judgeIds.neutral = await addJudge(world, '中立裁判', '某职业学院', '南平');
    judgeIds.fuzhou = await addJudge(world, '福州裁判', '福州某学院', '福州');
    judgeIds.reserve = await addJudge(world, '备用裁判', '某技师学院', '三明');
    const panel = await call(app, world.tokens.chiefJudge, 'POST', `${base}/events/${eventId}/panels`, {
      name: '组装调试裁判组',
      aspects: ['assemblyQuality'],
    });
    expect(panel.statusCode, panel.body).toBe(201);
    expect(panel.json()).toMatchObject({ size: 5, seats: [], recusals: [] });
    panelId = panel.json().id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('validates the aspects and the seats of a panel', async () => {
    const unknown = await call(
      app,
      world.tokens.organizer,
      'POST',
      `${base}/events/${eventId}/panels`,
      { name: 'x', aspects: ['assemblyQuality', 'flying'] },
      { 'accept-language': 'en' },
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'aspect_unknown', field: 'aspects.1' });
    expect(unknown.json().error.message).toContain('"flying"');
    // A panel of every aspect would mark assemblyQuality of the same competitors as the first one: refused.
    const all = await call(
      app,
      world.tokens.organizer,
      'POST',
      `${base}/events/${eventId}/panels`,
      { name: '全部' },
      { 'accept-language': 'en' },
    );
    expect(all.statusCode).toBe(409);
    expect(all.json().error).toMatchObject({ code: 'panel_overlap', panels: [null, panelId] });
    expect(all.json().error.message).toContain('"全部" and "组装调试裁判组"');
    const x1 = await seat(world.tokens.chiefJudge, panelId, 'X1', judgeIds.neutral ?? '');
    expect(x1.json().error.code).toBe('seat_invalid');
    const scorekeeper = await seat(world.tokens.scorekeeper, panelId, 'J1', judgeIds.neutral ?? '');
    expect(scorekeeper.statusCode).toBe(403);
  });

  it('refuses a judge of a competitor’s unit with no reserve: 409, audited, no seat', async () => {
    const auditBefore = (await auditActions(app, world.competitionId)).length;
    const res = await seat(world.tokens.chiefJudge, panelId, 'J1', judgeIds.grid ?? '');
    expect(res.statusCode).toBe(409);
    const error = res.json().error;
    expect(error.code).toBe('recusal_unroutable');
    const numbers = [competitorIds.张伟, competitorIds.王强].map(
      (id) => error.conflicts.find((c: { competitorId: string }) => c.competitorId === id)?.entryNumber,
    );
    expect(numbers.every((n) => typeof n === 'number')).toBe(true);
    for (const n of numbers) expect(error.message).toContain(`参赛号 ${n}`);
    expect(error.message).not.toContain('张伟');
    expect(error.message).not.toContain('王强');
    const seats = await app.db.select().from(panelSeats).where(eq(panelSeats.panelId, panelId));
    expect(seats).toEqual([]);
    const audit = await auditActions(app, world.competitionId);
    expect(audit.length).toBe(auditBefore + 1);
    const refused = audit.at(-1);
    expect(refused?.action).toBe('panel.seatRefused');
    expect(refused?.detail).toMatchObject({ seat: 'J1', judgeId: judgeIds.grid });
    expect(String(refused?.detail.reason)).toContain('recusal');
    expect(JSON.stringify(refused?.detail)).not.toContain('张伟');
  });

  it('routes the conflicting competitors to a reserve and records it', async () => {
    expect((await seat(world.tokens.organizer, panelId, 'R1', judgeIds.reserve ?? '')).statusCode).toBe(200);
    const res = await seat(world.tokens.chiefJudge, panelId, 'J1', judgeIds.grid ?? '');
    expect(res.statusCode, res.body).toBe(200);
    const routed = res.json().routings;
    expect(routed.map((r: { competitorId: string }) => r.competitorId).sort()).toEqual(
      [competitorIds.张伟, competitorIds.王强].sort(),
    );
    for (const r of routed) {
      expect(r).toMatchObject({
        seat: 'J1',
        substituteSeat: 'R1',
        substituteJudgeId: judgeIds.reserve,
        reason: 'sameUnit',
      });
    }
    const rows = await app.db.select().from(recusals).where(eq(recusals.panelId, panelId));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.reason === 'sameUnit' && r.substituteJudgeId === judgeIds.reserve)).toBe(true);
    const panel = await call(app, world.tokens.chiefJudge, 'GET', `${base}/panels/${panelId}`);
    expect(panel.statusCode).toBe(200);
    expect(panel.json().seats.map((s: { seat: string }) => s.seat)).toEqual(['J1', 'R1']);
    expect(panel.json().recusals).toHaveLength(2);
    expect(panel.json().recusals[0]).toMatchObject({ seat: 'J1', substituteSeat: 'R1', reason: 'sameUnit' });
    const audit = await auditActions(app, world.competitionId);
    expect(audit.at(-1)?.action).toBe('panel.judgeSeated');
    expect(audit.at(-1)?.detail.routings).toHaveLength(2);

    const judge = await judgeToken(app, world.competitionId, judgeIds.grid ?? '');
    expect((await call(app, judge, 'GET', `${base}/panels/${panelId}`)).statusCode).toBe(403);
    expect(
      (await call(app, world.tokens.encryptionOfficer, 'GET', `${base}/panels/${panelId}`)).statusCode,
    ).toBe(403);
  });

  it('refuses to take away a reserve a recused competitor depends on', async () => {
    const res = await call(app, world.tokens.chiefJudge, 'DELETE', `${base}/panels/${panelId}/seats/R1`);
    expect(res.statusCode).toBe(409);
    const seats = await app.db.select().from(panelSeats).where(eq(panelSeats.panelId, panelId));
    expect(seats).toHaveLength(2);
    // Another reserve first: then R1 may go, and its competitors move to R2.
    const other = await addJudge(world, '第二备用', '某大学', '龙岩');
    expect((await seat(world.tokens.chiefJudge, panelId, 'R2', other)).statusCode).toBe(200);
    const cleared = await call(app, world.tokens.chiefJudge, 'DELETE', `${base}/panels/${panelId}/seats/R1`);
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json().panel.recusals.map((r: { substituteSeat: string }) => r.substituteSeat)).toEqual([
      'R2',
      'R2',
    ]);
    expect((await seat(world.tokens.chiefJudge, panelId, 'R1', judgeIds.reserve ?? '')).statusCode).toBe(200);
  });

  it('applies the same rule to a competitor added later', async () => {
    const routed = await addCompetitor(world, eventId, '赵六', '国网某供电公司', '莆田');
    expect(routed.statusCode, routed.body).toBe(201);
    expect(routed.json().routings).toHaveLength(1);
    expect(routed.json().routings[0]).toMatchObject({ seat: 'J1', reason: 'sameUnit' });
    const id = routed.json().competitor.id;
    const rows = await app.db
      .select()
      .from(recusals)
      .where(and(eq(recusals.panelId, panelId), eq(recusals.competitorId, id)));
    expect(rows).toHaveLength(1);

    // A second panel with the grid judge and no reserve: a new grid competitor is refused.
    const second = (
      await call(app, world.tokens.chiefJudge, 'POST', `${base}/events/${eventId}/panels`, {
        name: '理论阅卷组',
        aspects: ['theoryPaper'],
      })
    ).json();
    expect(second.size).toBe(1);
    expect((await seat(world.tokens.chiefJudge, second.id, 'J1', judgeIds.neutral ?? '')).statusCode).toBe(
      200,
    );
    // Changing a competitor's unit to the neutral judge's unit: no reserve on that panel → refused.
    const moved = await call(
      app,
      world.tokens.organizer,
      'PATCH',
      `${base}/competitors/${competitorIds.李娜}`,
      {
        unit: '某职业学院',
      },
    );
    expect(moved.statusCode).toBe(409);
    expect(moved.json().error.code).toBe('recusal_unroutable');
    const refused = await addCompetitor(world, eventId, '钱七', '某职业学院', '莆田');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('理论阅卷组');
    const audit = await auditActions(app, world.competitionId);
    expect(audit.at(-1)?.action).toBe('competitor.refused');
    expect(audit.at(-2)?.action).toBe('competitor.updateRefused');
    const list = await call(app, world.tokens.organizer, 'GET', `${base}/events/${eventId}/competitors`);
    expect(list.json().map((c: { name: string }) => c.name)).not.toContain('钱七');
    expect(list.json().find((c: { name: string }) => c.name === '李娜').unit).toBe('某航空工业公司');
    // Moving 王强 away from the grid's unit drops his recusal.
    const away = await call(
      app,
      world.tokens.organizer,
      'PATCH',
      `${base}/competitors/${competitorIds.王强}`,
      {
        unit: '某航空工业公司',
      },
    );
    expect(away.statusCode, away.body).toBe(200);
    const left = await app.db
      .select()
      .from(recusals)
      .where(eq(recusals.competitorId, competitorIds.王强 ?? ''));
    expect(left).toEqual([]);
    expect(await verifyAuditChain(app.db, world.competitionId)).toMatchObject({ ok: true });
  });

  it('applies the region rule only when the competition asks for it', async () => {
    // This competition does not: a Fuzhou judge may mark Fuzhou competitors of other units.
    expect((await seat(world.tokens.chiefJudge, panelId, 'J2', judgeIds.fuzhou ?? '')).statusCode).toBe(200);
    const rows = await app.db
      .select()
      .from(recusals)
      .where(and(eq(recusals.panelId, panelId), eq(recusals.judgeId, judgeIds.fuzhou ?? '')));
    expect(rows).toEqual([]);

    const regional = await createWorld(app, seed, { name: '按地区回避的竞赛', recusalByRegion: true });
    const rb = `/api/competitions/${regional.competitionId}`;
    const event = (
      await call(app, regional.tokens.organizer, 'POST', `${rb}/events`, { name: '无人机', scheme: 'drone' })
    ).json().id;
    const fuzhouCompetitor = await addCompetitor(regional, event, '林一', '某测绘院', '福州');
    expect(fuzhouCompetitor.statusCode).toBe(201);
    const judge = await addJudge(regional, '福州裁判', '福州某学院', '福州');
    const panel = (
      await call(app, regional.tokens.chiefJudge, 'POST', `${rb}/events/${event}/panels`, {
        name: '组装',
        aspects: ['assemblyQuality'],
      })
    ).json().id;
    const refused = await seat(regional.tokens.chiefJudge, panel, 'J1', judge, rb);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.conflicts[0]).toMatchObject({ reason: 'sameRegion', entryNumber: null });
    expect(refused.json().error.message).toContain('同地区');
    const reserve = await addJudge(regional, '三明裁判', '三明某学院', '三明');
    expect((await seat(regional.tokens.chiefJudge, panel, 'R1', reserve, rb)).statusCode).toBe(200);
    const routed = await seat(regional.tokens.chiefJudge, panel, 'J1', judge, rb);
    expect(routed.statusCode).toBe(200);
    expect(routed.json().routings[0]).toMatchObject({ reason: 'sameRegion', substituteSeat: 'R1' });
  });

  it('replaces a seated judge, and refuses one judge in two seats', async () => {
    const twice = await seat(world.tokens.chiefJudge, panelId, 'J3', judgeIds.grid ?? '');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('judge_already_seated');
    const replacement = await addJudge(world, '替补', '某建筑公司', '宁德');
    const replaced = await seat(world.tokens.chiefJudge, panelId, 'J1', replacement);
    expect(replaced.statusCode, replaced.body).toBe(200);
    // The grid judge left: the recusals for him are gone.
    const rows = await app.db
      .select()
      .from(recusals)
      .where(and(eq(recusals.panelId, panelId), eq(recusals.judgeId, judgeIds.grid ?? '')));
    expect(rows).toEqual([]);
    const audit = await auditActions(app, world.competitionId);
    expect(audit.at(-1)?.detail).toMatchObject({ seat: 'J1', replacedJudgeId: judgeIds.grid });
  });
});
