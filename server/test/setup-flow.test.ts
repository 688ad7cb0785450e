import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  competitions,
  competitors,
  declaredAttempts,
  events,
  judges,
  panelSeats,
  panels,
} from '../src/db/schema';
import { verifyAuditChain } from '../src/modules/audit/service';
import { drivers } from './databases';
import {
  auditActions,
  badCheckDigit,
  call,
  createWorld,
  idNumber,
  judgeToken,
  type World,
} from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

describe.each(drivers)('setup end to end on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let world: World;
  let base: string;
  let eventId: string;

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    world = await createWorld(app, seed);
    base = `/api/competitions/${world.competitionId}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates a competition for an organizer account, with a membership and an audit entry', async () => {
    const res = await call(app, seed.tokens.organizer, 'GET', base);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: world.competitionId,
      level: 'provincial',
      grade: 'I',
      startsOn: '2026-06-01',
      endsOn: '2026-06-03',
      recusalByRegion: false,
      roles: ['organizer'],
    });
    const mine = await call(app, seed.tokens.organizer, 'GET', '/api/competitions');
    expect(mine.json().map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining([world.competitionId, seed.competition.id]),
    );
    const chief = await call(app, seed.tokens.chiefJudge, 'GET', base);
    expect(chief.json().roles).toEqual(['chiefJudge']);
    const audit = await auditActions(app, world.competitionId);
    expect(audit[0]?.action).toBe('competition.created');
  });

  it('refuses to create a competition without an organizer account, or with bad fields', async () => {
    const body = {
      name: '大赛',
      level: 'city',
      organizer: '市总工会',
      venue: '体育馆',
      startsOn: '2026-05-01',
      endsOn: '2026-05-02',
    };
    const before = await app.db.select({ n: sql<number>`count(*)::int` }).from(competitions);
    expect((await call(app, null, 'POST', '/api/competitions', body)).statusCode).toBe(401);
    expect((await call(app, seed.tokens.chiefJudge, 'POST', '/api/competitions', body)).statusCode).toBe(403);
    expect((await call(app, seed.tokens.judge(0), 'POST', '/api/competitions', body)).statusCode).toBe(403);
    // Authorisation comes before validation: a stranger learns nothing of what the route accepts.
    expect((await call(app, null, 'POST', '/api/competitions', { bogus: 1 })).statusCode).toBe(401);
    expect(
      (await call(app, seed.tokens.chiefJudge, 'POST', '/api/competitions', { bogus: 1 })).statusCode,
    ).toBe(403);
    const dates = await call(app, seed.tokens.organizer, 'POST', '/api/competitions', {
      ...body,
      endsOn: '2026-04-30',
    });
    expect(dates.statusCode).toBe(400);
    expect(dates.json().error).toMatchObject({ code: 'dates_invalid', field: 'endsOn' });
    const level = await call(
      app,
      seed.tokens.organizer,
      'POST',
      '/api/competitions',
      { ...body, level: 'galactic' },
      { 'accept-language': 'en' },
    );
    expect(level.statusCode).toBe(400);
    expect(level.json().error.message).toContain('"level"');
    const extra = await call(app, seed.tokens.organizer, 'POST', '/api/competitions', {
      ...body,
      admin: true,
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toContain('admin');
    const date = await call(app, seed.tokens.organizer, 'POST', '/api/competitions', {
      ...body,
      startsOn: '2026-02-30',
    });
    expect(date.statusCode).toBe(400);
    expect(date.json().error.issues[0].field).toBe('startsOn');
    const after = await app.db.select({ n: sql<number>`count(*)::int` }).from(competitions);
    expect(after).toEqual(before);
  });

  it('creates an event from a template, with its rounds', async () => {
    const res = await call(app, world.tokens.organizer, 'POST', `${base}/events`, {
      name: '无人机驾驶员',
      scheme: 'drone',
    });
    expect(res.statusCode, res.body).toBe(201);
    const event = res.json();
    eventId = event.id;
    expect(event).toMatchObject({ name: '无人机驾驶员', schemeId: 'drone' });
    expect(event.rounds.map((r: { key: string }) => r.key)).toEqual(['Final']);

    const diving = await call(app, world.tokens.organizer, 'POST', `${base}/events`, {
      name: '跳水',
      scheme: 'diving',
    });
    expect(diving.json().rounds.map((r: { key: string; name: string }) => [r.key, r.name])).toEqual([
      ['Prelim', '预赛'],
      ['Semi', '半决赛'],
      ['Final', '决赛'],
    ]);
    const list = await call(app, seed.tokens.judge(0), 'GET', `${base}/events`);
    expect(list.statusCode).toBe(403); // the seed's judge belongs to another competition
    const listed = await call(app, world.tokens.chiefJudge, 'GET', `${base}/events`);
    expect(listed.json()).toHaveLength(2);
    const one = await call(app, world.tokens.scorekeeper, 'GET', `${base}/events/${eventId}`);
    expect(one.json().scheme.components.length).toBeGreaterThan(0);
    expect(
      (await call(app, world.tokens.chiefJudge, 'POST', `${base}/events`, { name: 'x', scheme: 'drone' }))
        .statusCode,
    ).toBe(403);
  });

  it('refuses a bad scheme naming every path, and an unknown template', async () => {
    const bad = await call(
      app,
      world.tokens.organizer,
      'POST',
      `${base}/events`,
      {
        name: '自定义',
        scheme: {
          name: '自定义标准',
          components: [
            {
              id: 'practical',
              name: '实操',
              weight: 60,
              aspects: [
                {
                  kind: 'judgement',
                  id: '1bad',
                  name: '质量',
                  panel: 3,
                  range: { min: 10, max: 0 },
                  step: '0.5',
                  aggregation: { method: 'mean' },
                },
              ],
            },
          ],
        },
      },
      { 'accept-language': 'en' },
    );
    expect(bad.statusCode).toBe(400);
    const error = bad.json().error;
    expect(error.code).toBe('scheme_invalid');
    const paths = error.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['components.0.aspects.0.id', 'components.0.aspects.0.range.max']),
    );
    expect(error.message).toContain('field "scheme"');
    const unknown = await call(app, world.tokens.organizer, 'POST', `${base}/events`, {
      name: 'x',
      scheme: 'no-such-template',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('template_unknown');
    const wrongType = await call(app, world.tokens.organizer, 'POST', `${base}/events`, {
      name: 'x',
      scheme: 42,
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.issues[0].field).toBe('scheme');
    const [row] = await app.db
      .select({ n: sql<number>`count(*)::int` })
      .from(events)
      .where(eq(events.competitionId, world.competitionId));
    expect(row?.n).toBe(2);
  });

  it('keeps ID numbers only as a hash and a mask, and refuses duplicates in the event', async () => {
    const id = idNumber(7, '19900101');
    const res = await call(app, world.tokens.organizer, 'POST', `${base}/events/${eventId}/competitors`, {
      name: '林小红',
      unit: '福建某电力公司',
      region: '福州',
      frontline: true,
      unionMember: true,
      idNumber: id.toLowerCase(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json().competitor;
    expect(created.idNumberMasked).toBe(`${id.slice(0, 4)}**********${id.slice(14)}`);
    expect(res.body).not.toContain(id.slice(4, 14));
    expect(res.body).not.toContain('idNumberHash');

    const again = await call(app, world.tokens.organizer, 'POST', `${base}/events/${eventId}/competitors`, {
      name: '另一人',
      unit: '某公司',
      region: '厦门',
      frontline: false,
      unionMember: false,
      idNumber: ` ${id} `,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'id_number_duplicate', field: 'idNumber' });
    expect(again.body).not.toContain(id.slice(4, 14));

    const bad = await call(app, world.tokens.organizer, 'POST', `${base}/events/${eventId}/competitors`, {
      name: '王五',
      unit: '某公司',
      region: '厦门',
      frontline: false,
      unionMember: false,
      idNumber: badCheckDigit(idNumber(8)),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'id_number_invalid',
      field: 'idNumber',
      problem: 'checkDigit',
    });
    expect(bad.body).not.toContain(idNumber(8).slice(4, 14));
    const format = await call(app, world.tokens.organizer, 'POST', `${base}/events/${eventId}/competitors`, {
      name: '王五',
      unit: '某公司',
      region: '厦门',
      frontline: false,
      unionMember: false,
      idNumber: '12345',
    });
    expect(format.json().error.problem).toBe('format');

    const list = await call(
      app,
      world.tokens.encryptionOfficer,
      'GET',
      `${base}/events/${eventId}/competitors`,
    );
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(id.slice(4, 14));
    const one = await call(app, world.tokens.chiefJudge, 'GET', `${base}/competitors/${created.id}`);
    expect(one.json().name).toBe('林小红');
    expect(
      (await call(app, world.tokens.scorekeeper, 'GET', `${base}/competitors/${created.id}`)).statusCode,
    ).toBe(403);
    expect(
      (await call(app, world.tokens.chiefJudge, 'POST', `${base}/events/${eventId}/competitors`, {}))
        .statusCode,
    ).toBe(403);

    // Nothing in the database holds the number in full.
    const rows = await app.db.select().from(competitors).where(eq(competitors.id, created.id));
    expect(JSON.stringify(rows)).not.toContain(id.slice(4, 14));
    expect(rows[0]?.idNumberHash).toMatch(/^[0-9a-f]{64}$/);
    const audit = await auditActions(app, world.competitionId);
    expect(JSON.stringify(audit)).not.toContain(id.slice(4, 14));
    expect(audit.map((a) => a.action)).toContain('competitor.added');

    // The same person may enter another event.
    const events = await call(app, world.tokens.organizer, 'GET', `${base}/events`);
    const divingId = events.json().find((e: { schemeId: string }) => e.schemeId === 'diving').id;
    const other = await call(app, world.tokens.organizer, 'POST', `${base}/events/${divingId}/competitors`, {
      name: '林小红',
      unit: '福建某电力公司',
      region: '福州',
      frontline: true,
      unionMember: true,
      idNumber: id,
    });
    expect(other.statusCode).toBe(201);
  });

  it('updates a competitor, refusing an ID number already in the event', async () => {
    const id = idNumber(21);
    const a = await call(app, world.tokens.organizer, 'POST', `${base}/events/${eventId}/competitors`, {
      name: '甲',
      unit: '单位甲',
      region: '漳州',
      frontline: true,
      unionMember: false,
      idNumber: id,
    });
    const b = await call(app, world.tokens.organizer, 'POST', `${base}/events/${eventId}/competitors`, {
      name: '乙',
      unit: '单位乙',
      region: '漳州',
      frontline: true,
      unionMember: false,
    });
    expect(b.json().competitor.idNumberMasked).toBeNull();
    const bId = b.json().competitor.id;
    const dup = await call(app, world.tokens.organizer, 'PATCH', `${base}/competitors/${bId}`, {
      idNumber: id,
    });
    expect(dup.statusCode).toBe(409);
    const ok = await call(app, world.tokens.organizer, 'PATCH', `${base}/competitors/${bId}`, {
      name: '乙二',
      unionMember: true,
      idNumber: idNumber(22),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().competitor).toMatchObject({ name: '乙二', unionMember: true });
    expect(ok.json().competitor.idNumberMasked).toMatch(/^3501\*{10}/);
    const cleared = await call(app, world.tokens.organizer, 'PATCH', `${base}/competitors/${bId}`, {
      idNumber: null,
    });
    expect(cleared.json().competitor.idNumberMasked).toBeNull();
    const same = await call(
      app,
      world.tokens.organizer,
      'PATCH',
      `${base}/competitors/${a.json().competitor.id}`,
      {
        idNumber: id,
      },
    );
    expect(same.statusCode).toBe(200);
    const audit = await auditActions(app, world.competitionId);
    const updates = audit.filter((x) => x.action === 'competitor.updated');
    expect(updates).toHaveLength(2);
    expect(JSON.stringify(updates)).not.toContain('idNumberHash');
  });

  it('creates and lists judges', async () => {
    const res = await call(app, world.tokens.organizer, 'POST', `${base}/judges`, {
      name: '周裁判',
      unit: '省技师学院',
      region: '福州',
    });
    expect(res.statusCode).toBe(201);
    const list = await call(app, world.tokens.chiefJudge, 'GET', `${base}/judges`);
    expect(list.json().map((j: { name: string }) => j.name)).toContain('周裁判');
    expect((await call(app, world.tokens.scorekeeper, 'GET', `${base}/judges`)).statusCode).toBe(403);
    const missing = await call(app, world.tokens.organizer, 'POST', `${base}/judges`, {
      name: '无单位',
      region: '福州',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues).toEqual([{ field: 'unit', message: '缺少字段 unit' }]);
  });

  it('shows a judge the declared dive list of each workstation the judge marks', async () => {
    const token = world.tokens.organizer;
    const event = (await call(app, token, 'GET', `${base}/events`))
      .json()
      .find((e: { schemeId: string }) => e.schemeId === 'diving');
    const prelim = (await call(app, token, 'GET', `${base}/events/${event.id}`)).json().rounds[0].id;
    const diver = (
      await call(app, token, 'POST', `${base}/events/${event.id}/competitors`, {
        name: '陈芋汐',
        unit: '上海队',
        region: '上海',
        frontline: false,
        unionMember: false,
      })
    ).json().competitor.id;
    const judge = (
      await call(app, token, 'POST', `${base}/judges`, { name: '跳水裁判', unit: '国家队', region: '北京' })
    ).json();
    const panel = (
      await call(app, token, 'POST', `${base}/events/${event.id}/panels`, { name: '跳水', aspects: [] })
    ).json();
    expect(
      (await call(app, token, 'PUT', `${base}/panels/${panel.id}/seats/J1`, { judgeId: judge.id }))
        .statusCode,
    ).toBe(200);
    expect((await call(app, token, 'POST', `${base}/events/${event.id}/draw`)).statusCode).toBe(200);
    await call(app, world.tokens.chiefJudge, 'POST', `${base}/rounds/${prelim}/check-in`, {
      competitorId: diver,
    });
    const list = ['3.2', '3.4', '3.3', '3.6', '3.7', '3'].map((difficulty, i) => ({
      attempt: i + 1,
      difficulty,
    }));
    expect(
      (await call(app, token, 'PUT', `${base}/rounds/${prelim}/competitors/${diver}/attempts`, list))
        .statusCode,
    ).toBe(200);
    const mapping = (
      await call(app, world.tokens.chiefJudge, 'GET', `${base}/rounds/${prelim}/mapping`)
    ).json();
    const mine = await call(
      app,
      await judgeToken(app, world.competitionId, judge.id),
      'GET',
      `${base}/rounds/${prelim}/my-marks`,
    );
    expect(mine.statusCode, mine.body).toBe(200);
    const assignment = mine.json().assignments.find((a: { attempts: unknown[] }) => a.attempts.length > 0);
    expect(assignment?.attempts).toEqual(list);
    expect(assignment?.items).toContain('dive-1');
    // The workstation is the diver's (the judge never sees who).
    const entry = mapping.find((e: { competitorId: string }) => e.competitorId === diver);
    expect(JSON.stringify(entry)).toContain(`"${assignment?.workstation}"`);
  });

  it('declares a dive list validated against the scheme', async () => {
    const event = (await call(app, world.tokens.organizer, 'GET', `${base}/events`))
      .json()
      .find((e: { schemeId: string }) => e.schemeId === 'diving');
    const detail = (await call(app, world.tokens.organizer, 'GET', `${base}/events/${event.id}`)).json();
    const prelim = detail.rounds[0].id;
    const diver = (
      await call(app, world.tokens.organizer, 'POST', `${base}/events/${event.id}/competitors`, {
        name: '全红',
        unit: '广东队',
        region: '湛江',
        frontline: false,
        unionMember: false,
      })
    ).json().competitor.id;
    const url = `${base}/rounds/${prelim}/competitors/${diver}/attempts`;
    const list = [3.2, 3.3, '3.4', 3.6, 3.7, 3.0].map((difficulty, i) => ({ attempt: i + 1, difficulty }));
    const ok = await call(app, world.tokens.organizer, 'PUT', url, list);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual([
      { attempt: 1, difficulty: '3.2' },
      { attempt: 2, difficulty: '3.3' },
      { attempt: 3, difficulty: '3.4' },
      { attempt: 4, difficulty: '3.6' },
      { attempt: 5, difficulty: '3.7' },
      { attempt: 6, difficulty: '3' },
    ]);
    // A shorter list is a diver who performs fewer dives (withdrawn): the engine flags the rest.
    const short = await call(app, world.tokens.organizer, 'PUT', url, list.slice(0, 5));
    expect(short.statusCode, short.body).toBe(200);
    expect(short.json()).toHaveLength(5);
    const seventh = await call(app, world.tokens.organizer, 'PUT', url, [
      ...list.slice(0, 5),
      { attempt: 7, difficulty: 2 },
    ]);
    expect(seventh.json().error.field).toBe('5.attempt');
    const zero = await call(app, world.tokens.organizer, 'PUT', url, [
      ...list.slice(0, 5),
      { attempt: 6, difficulty: 0 },
    ]);
    expect(zero.json().error.field).toBe('5.difficulty');
    const text = await call(app, world.tokens.organizer, 'PUT', url, [
      ...list.slice(0, 5),
      { attempt: 6, difficulty: 'x' },
    ]);
    expect(text.statusCode).toBe(400);
    const stored = await app.db
      .select()
      .from(declaredAttempts)
      .where(eq(declaredAttempts.competitorId, diver));
    expect(stored).toHaveLength(5);
    const read = await call(app, world.tokens.chiefJudge, 'GET', url);
    expect(read.json()).toHaveLength(5);

    const drone = (await call(app, world.tokens.organizer, 'GET', `${base}/events/${eventId}`)).json();
    const pilot = (
      await call(app, world.tokens.organizer, 'GET', `${base}/events/${eventId}/competitors`)
    ).json()[0].id;
    const na = await call(
      app,
      world.tokens.organizer,
      'PUT',
      `${base}/rounds/${drone.rounds[0].id}/competitors/${pilot}/attempts`,
      [{ attempt: 1, difficulty: 1 }],
    );
    expect(na.json().error.code).toBe('attempts_not_applicable');
    // A round of one event with a competitor of another: 404.
    const mixed = await call(
      app,
      world.tokens.organizer,
      'PUT',
      `${base}/rounds/${prelim}/competitors/${pilot}/attempts`,
      list,
    );
    expect(mixed.statusCode).toBe(404);
  });

  it('never reaches another competition: 404 or 403, and nothing written', async () => {
    const other = await seedCompetition(app, { name: '另一场竞赛' });
    const count = async () => {
      const [c] = await app.db.select({ n: sql<number>`count(*)::int` }).from(competitors);
      const [j] = await app.db.select({ n: sql<number>`count(*)::int` }).from(judges);
      const [p] = await app.db.select({ n: sql<number>`count(*)::int` }).from(panels);
      const [s] = await app.db.select({ n: sql<number>`count(*)::int` }).from(panelSeats);
      return [c?.n, j?.n, p?.n, s?.n];
    };
    const before = await count();
    const auditBefore = (await auditActions(app, world.competitionId)).length;
    const token = world.tokens.organizer;
    // Objects of the other competition through this competition's URLs.
    const attempts = [
      call(app, token, 'GET', `${base}/events/${other.event.id}`),
      call(app, token, 'GET', `${base}/events/${other.event.id}/competitors`),
      call(app, token, 'POST', `${base}/events/${other.event.id}/competitors`, {
        name: '越界',
        unit: 'x',
        region: 'y',
        frontline: true,
        unionMember: true,
      }),
      call(app, token, 'POST', `${base}/events/${other.event.id}/panels`, { name: 'p', aspects: [] }),
      call(app, token, 'GET', `${base}/competitors/${other.competitors[0]?.id}`),
      call(app, token, 'PATCH', `${base}/competitors/${other.competitors[0]?.id}`, { name: '改名' }),
      call(app, token, 'GET', `${base}/panels/${other.panel.id}`),
      call(app, token, 'PUT', `${base}/panels/${other.panel.id}/seats/J1`, { judgeId: other.judges[0]?.id }),
      call(app, token, 'POST', `${base}/events/${other.event.id}/draw`),
      call(app, world.tokens.chiefJudge, 'GET', `${base}/rounds/${other.round.id}/mapping`),
      call(app, world.tokens.encryptionOfficer, 'POST', `${base}/rounds/${other.round.id}/check-in`, {
        competitorId: other.competitors[0]?.id,
      }),
      call(app, token, 'GET', `${base}/rounds/${other.round.id}/workstations`),
      call(app, token, 'POST', `${base}/events/${other.event.id}/competitors/import`, {
        format: 'csv',
        content: '姓名,工作单位,地区,一线职工,工会会员\n越界,x,y,是,是\n',
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode, res.body).toBe(404);
    }
    // A judge of the other competition seated on a panel of this one.
    const panel = await call(app, token, 'POST', `${base}/events/${eventId}/panels`, {
      name: '组装',
      aspects: ['assemblyQuality'],
    });
    expect(panel.statusCode).toBe(201);
    const seat = await call(app, token, 'PUT', `${base}/panels/${panel.json().id}/seats/J1`, {
      judgeId: other.judges[0]?.id,
    });
    expect(seat.statusCode).toBe(404);
    expect(seat.json().error.code).toBe('judge_not_found');
    // The other competition's URLs with this competition's token.
    const foreign = `/api/competitions/${other.competition.id}`;
    expect((await call(app, token, 'GET', `${foreign}/events`)).statusCode).toBe(403);
    expect(
      (await call(app, token, 'POST', `${foreign}/judges`, { name: 'a', unit: 'b', region: 'c' })).statusCode,
    ).toBe(403);
    const jt = await judgeToken(app, other.competition.id, other.judges[0]?.id ?? '');
    expect((await call(app, jt, 'GET', `${base}/rounds/${other.round.id}/workstations`)).statusCode).toBe(
      403,
    );

    const after = await count();
    expect(after).toEqual([before[0], before[1], (before[2] ?? 0) + 1, before[3]]);
    const audit = await auditActions(app, world.competitionId);
    expect(audit.length).toBe(auditBefore + 1); // the panel made above
    expect(await verifyAuditChain(app.db, world.competitionId)).toMatchObject({ ok: true });
  });

  it('answers hostile bodies with a 4xx naming the field', async () => {
    const url = `${base}/events/${eventId}/competitors`;
    const good = { name: '张三', unit: '某厂', region: '福州', frontline: true, unionMember: true };
    const cases: [unknown, string][] = [
      [{ ...good, frontline: 'yes' }, 'frontline'],
      [{ ...good, name: '' }, 'name'],
      [{ ...good, name: '   ' }, 'name'],
      [{ ...good, name: 'x'.repeat(101) }, 'name'],
      [{ ...good, idNumber: 350102198805 }, 'idNumber'],
      [{ ...good, isAdmin: true }, ''],
      [{ ...good, unit: { $ne: null } }, 'unit'],
    ];
    for (const [payload, field] of cases) {
      const res = await call(app, world.tokens.organizer, 'POST', url, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.issues.map((i: { field: string }) => i.field)).toContain(field);
    }
    const array = await call(app, world.tokens.organizer, 'POST', url, [good]);
    expect(array.statusCode).toBe(400);
    const badId = await call(app, world.tokens.organizer, 'GET', `${base}/events/not-a-uuid`);
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.issues[0].field).toBe('eventId');
    const badCompetition = await call(
      app,
      world.tokens.organizer,
      'GET',
      '/api/competitions/1%27%20or%201=1',
    );
    expect(badCompetition.statusCode).toBe(400);
    const malformed = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${world.tokens.organizer}`, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    const seat = await call(app, world.tokens.organizer, 'PUT', `${base}/panels/${seed.panel.id}/seats/J1`, {
      judgeId: 'x',
    });
    expect(seat.statusCode).toBe(400);
    expect(seat.json().error.issues[0].field).toBe('judgeId');
    const huge = await call(app, world.tokens.organizer, 'POST', url, {
      ...good,
      name: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(huge.statusCode).toBe(413);
    const nonexistent = await call(
      app,
      world.tokens.organizer,
      'GET',
      `${base}/events/00000000-0000-4000-8000-000000000000`,
    );
    expect(nonexistent.statusCode).toBe(404);
    expect(nonexistent.json().error.code).toBe('event_not_found');
  });
});
