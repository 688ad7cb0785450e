import { randomUUID } from 'node:crypto';
import type { CheckInResult, CompetitorView, EventView, ImportPreview, ImportReport } from '@jiangxin/shared';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidate, failed, honoursList, honoursScheme, recommended } from './honours-fixtures';
import { auditActions, call, createWorld, idNumber, judgeToken, type World } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

/**
 * A team event beside an individual one, through the API on real Postgres: pairs imported one row per member
 * with a team column, a judge recused through a member's unit, each team marked once, ranked as one, its
 * members in the registration, the exports and the honours list (工人先锋号 for the first team).
 */

const teamScheme = {
  ...honoursScheme,
  id: 'pairs-test',
  entrants: { kind: 'team', size: { min: 2, max: 3 } },
};

const csv = (rows: string[][]) =>
  ['姓名,工作单位,地区,一线职工,工会会员,身份证号,团队', ...rows.map((r) => r.join(','))].join('\r\n');

const members = [
  ['甲', '一厂', '本市', '是', '是', idNumber(1), '一厂队'],
  ['乙', '一厂', '本市', '是', '是', idNumber(2), '一厂队'],
  ['丙', '二厂', '本市', '是', '是', idNumber(3), '联合队'],
  ['丁', '三厂', '本市', '是', '是', '', '联合队'],
  ['戊', '四厂', '本市', '是', '是', '', '单人队'],
];

describe('team events', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let world: World;
  let C: string;
  let E: string;
  let event: EventView;
  let report: ImportReport;
  let teams: CompetitorView[];
  const ok = async (res: { statusCode: number; body: string }) => {
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.body ? JSON.parse(res.body) : null;
  };

  beforeAll(async () => {
    ({ app } = await testApp('postgres'));
    seed = await seedCompetition(app);
    world = await createWorld(app, seed, { name: '团体测试', level: 'county', grade: null });
    C = `/api/competitions/${world.competitionId}`;
    const { organizer } = world.tokens;
    event = await ok(
      await call(app, organizer, 'POST', `${C}/events`, { name: '精馏操作（双人）', scheme: teamScheme }),
    );
    E = `${C}/events/${event.id}`;
    // J1 works at 二厂: a member of 联合队 does too, so the reserve R1 marks that team.
    const j1 = await ok(
      await call(app, organizer, 'POST', `${C}/judges`, { name: '裁判一', unit: '二厂', region: '外市' }),
    );
    const r1 = await ok(
      await call(app, organizer, 'POST', `${C}/judges`, { name: '裁判二', unit: '协会', region: '外市' }),
    );
    const panel = await ok(await call(app, organizer, 'POST', `${E}/panels`, { name: '精馏裁判组' }));
    await ok(await call(app, organizer, 'PUT', `${C}/panels/${panel.id}/seats/J1`, { judgeId: j1.id }));
    await ok(await call(app, organizer, 'PUT', `${C}/panels/${panel.id}/seats/R1`, { judgeId: r1.id }));
    report = await ok(
      await call(app, organizer, 'POST', `${E}/competitors/import`, { format: 'csv', content: csv(members) }),
    );
    teams = await ok(await call(app, organizer, 'GET', `${E}/competitors`));
    const tokens = new Map([
      ['一厂队', await judgeToken(app, world.competitionId, j1.id)],
      ['联合队', await judgeToken(app, world.competitionId, r1.id)],
    ]);
    await ok(await call(app, organizer, 'POST', `${E}/draw`));
    const roundId = event.rounds[0]?.id ?? '';
    const scores = new Map([
      ['一厂队', ['90', '95']],
      ['联合队', ['80', '85']],
    ]);
    for (const team of teams) {
      const checkedIn: CheckInResult = await ok(
        await call(app, world.tokens.encryptionOfficer, 'POST', `${C}/rounds/${roundId}/check-in`, {
          competitorId: team.id,
        }),
      );
      const [theory, practical] = scores.get(team.name) ?? [];
      if (team.name === '联合队') {
        // The recused judge's mark for the team is refused: a member shares J1's unit.
        const refused = await call(app, tokens.get('一厂队') ?? '', 'POST', `${C}/rounds/${roundId}/marks`, {
          id: randomUUID(),
          workstation: checkedIn.code,
          item: 'theoryPaper',
          value: '99',
        });
        expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(400);
      }
      for (const [item, value] of [
        ['theoryPaper', theory],
        ['practicalSheet', practical],
      ])
        await ok(
          await call(app, tokens.get(team.name) ?? '', 'POST', `${C}/rounds/${roundId}/marks`, {
            id: randomUUID(),
            workstation: checkedIn.code,
            item,
            value,
          }),
        );
    }
    const R = `${C}/rounds/${roundId}`;
    await ok(
      await call(app, world.tokens.chiefJudge, 'POST', `${R}/sign-off`, {
        confirm: true,
        force: true,
        reason: '已核对',
      }),
    );
    await ok(await call(app, world.tokens.encryptionOfficer, 'POST', `${R}/decrypt`));
    await ok(await call(app, world.tokens.chiefJudge, 'POST', `${R}/publish`));
  });
  afterAll(() => app?.close());

  it('previews and imports a team event: members grouped by team, a team of the wrong size refused by row and column', async () => {
    expect(report).toMatchObject({ accepted: 4, teams: 2 });
    expect(report.rejected).toEqual([
      {
        row: 6,
        field: 'team',
        message: expect.stringContaining('团队“单人队”有 1 名成员（第 6 行），本赛项每队 2–3 人'),
      },
    ]);
    // Registered in one statement: the list is in no particular order before the draw.
    const byName = [...teams].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')); // by pinyin
    expect(byName.map((t) => [t.name, t.members?.map((m) => m.name)])).toEqual([
      ['联合队', ['丙', '丁']],
      ['一厂队', ['甲', '乙']],
    ]);
    const 联合队 = teams.find((t) => t.name === '联合队');
    expect(联合队).toMatchObject({ unit: '二厂、三厂' });
    // ID numbers hashed and masked as competitors' are.
    expect(联合队?.members?.[0]?.idNumberMasked).toMatch(/^3501\*{10}\d{3}[\dX]$/);
    expect(JSON.stringify(teams)).not.toContain(idNumber(3));
    // The recusal went through 丙's unit: J1 routed to R1 for 联合队 only.
    expect(report.routings?.map((r) => [r.competitorId, r.seat, r.substituteSeat, r.reason])).toEqual([
      [联合队?.id, 'J1', 'R1', 'sameUnit'],
    ]);

    // The preview of the same file against the registered event: the same grouping, nothing saved.
    const again = [
      ...members.slice(0, 2).map((r) => [...r.slice(0, 5), '', '新队']),
      ['己', '五厂', '本市', '是', '否', '', '新队'],
    ];
    const preview: ImportPreview = await ok(
      await call(app, world.tokens.organizer, 'POST', `${E}/competitors/import/preview`, {
        format: 'csv',
        content: csv([...again, ...members.slice(0, 2)]),
      }),
    );
    expect(preview.teams).toBe(1);
    expect(preview.rows.map((r) => [r.row, r.name, r.team])).toEqual([
      [2, '甲', '新队'],
      [3, '乙', '新队'],
      [4, '己', '新队'],
    ]);
    // 一厂队 again: already registered, and its members' ID numbers too; each row says so.
    expect(preview.rejected.map((r) => [r.row, r.field])).toEqual([
      [5, 'team'],
      [6, 'team'],
    ]);
    const after: CompetitorView[] = await ok(
      await call(app, world.tokens.organizer, 'GET', `${E}/competitors`),
    );
    expect(after).toHaveLength(2);
  });

  it('refuses a team file without the team column, and a single registration in a team event', async () => {
    const noTeam = await call(app, world.tokens.organizer, 'POST', `${E}/competitors/import/preview`, {
      format: 'csv',
      content: '姓名,工作单位,地区,一线职工,工会会员\n甲,一厂,本市,是,是\n',
    });
    expect(noTeam.statusCode).toBe(400);
    expect(noTeam.json().error).toMatchObject({ code: 'import_columns_missing' });
    expect(noTeam.json().error.message).toContain('团队（team）');
    const single = await call(app, world.tokens.organizer, 'POST', `${E}/competitors`, {
      name: '庚',
      unit: '六厂',
      region: '本市',
      frontline: true,
      unionMember: true,
    });
    expect(single.statusCode).toBe(409);
    expect(single.json().error).toMatchObject({ code: 'team_event' });
    // An individual event of the same competition registers individuals, without members.
    const solo: EventView = await ok(
      await call(app, world.tokens.organizer, 'POST', `${C}/events`, { name: '焊工', scheme: honoursScheme }),
    );
    const S = `${C}/events/${solo.id}/competitors`;
    await ok(
      await call(app, world.tokens.organizer, 'POST', S, {
        name: '庚',
        unit: '六厂',
        region: '本市',
        frontline: true,
        unionMember: true,
      }),
    );
    const soloList: CompetitorView[] = await ok(await call(app, world.tokens.organizer, 'GET', S));
    expect(soloList.map((c) => [c.name, c.members])).toEqual([['庚', undefined]]);
  });

  it('ranks each team once, and lists its members under it in the exports', async () => {
    const res = await call(app, world.tokens.organizer, 'GET', `${E}/exports/results.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('精馏操作（双人）');
    const rows: unknown[][] = [];
    sheet?.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1, 5));
    });
    const body = rows.filter((r) => typeof r[0] === 'number');
    expect(body.map((r) => [r[0], r[2], r[3]])).toEqual([
      [1, '一厂队', '一厂'],
      [1, '甲', '一厂'],
      [1, '乙', '一厂'],
      [2, '联合队', '二厂、三厂'],
      [2, '丙', '二厂'],
      [2, '丁', '三厂'],
    ]);
    const text = (await call(app, world.tokens.organizer, 'GET', `${E}/exports/results.csv`)).body;
    expect(text).toContain('丁,三厂');
    expect(text).toContain('团队成员 member · 联合队');
  });

  it('gives 工人先锋号 to the first team and individual honours to each of its members', async () => {
    const list = await honoursList(app, { ...world, C, judgeToken: '', events: new Map() });
    expect(recommended(list, 'worker-pioneer')).toEqual(['一厂队']);
    expect(candidate(list, 'worker-pioneer', '一厂队')).toMatchObject({ recipient: 'team', place: 1 });
    expect(recommended(list, 'county-may-day-medal')).toEqual(['甲', '乙']);
    expect(candidate(list, 'county-may-day-medal', '甲')).toMatchObject({ team: '一厂队', place: 1 });
  });

  it('lets the organizer edit a member: audited, and the honours follow the member', async () => {
    const team = teams.find((t) => t.name === '一厂队');
    const member = team?.members?.find((m) => m.name === '乙');
    const M = `${C}/competitors/${team?.id}/members/${member?.id}`;
    const changed: CompetitorView = await ok(
      await call(app, world.tokens.organizer, 'PATCH', M, { frontline: false }),
    );
    expect(changed.members?.find((m) => m.name === '乙')?.frontline).toBe(false);
    expect(changed.frontline).toBe(false);
    const list = await honoursList(app, { ...world, C, judgeToken: '', events: new Map() });
    expect(recommended(list, 'county-may-day-medal')).toEqual(['甲']);
    expect(failed(candidate(list, 'county-may-day-medal', '乙'))).toEqual(['frontline']);
    const actions = await auditActions(app, world.competitionId);
    expect(actions.map((a) => a.action)).toContain('teamMember.updated');
    // A member of another team, or a bad ID number, is refused naming what.
    const other = teams.find((t) => t.name === '联合队');
    const wrong = await call(
      app,
      world.tokens.organizer,
      'PATCH',
      `${C}/competitors/${other?.id}/members/${member?.id}`,
      {
        frontline: true,
      },
    );
    expect(wrong.statusCode).toBe(404);
    const bad = await call(app, world.tokens.organizer, 'PATCH', M, { idNumber: '123' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('idNumber');
    // A judge may not.
    const judgeTry = await call(app, world.tokens.chiefJudge, 'PATCH', M, { frontline: true });
    expect(judgeTry.statusCode).toBe(403);
  });
  it('adds and removes a member within the team size: hashed and masked, recused through members, audited, refused after sign-off', async () => {
    const { organizer } = world.tokens;
    const second: EventView = await ok(
      await call(app, organizer, 'POST', `${C}/events`, { name: '精馏操作（复赛）', scheme: teamScheme }),
    );
    const E2 = `${C}/events/${second.id}`;
    const judge = await ok(
      await call(app, organizer, 'POST', `${C}/judges`, { name: '裁判五', unit: '五厂', region: '外市' }),
    );
    const reserve = await ok(
      await call(app, organizer, 'POST', `${C}/judges`, { name: '裁判六', unit: '协会', region: '外市' }),
    );
    const panel = await ok(await call(app, organizer, 'POST', `${E2}/panels`, { name: '复赛裁判组' }));
    await ok(await call(app, organizer, 'PUT', `${C}/panels/${panel.id}/seats/J1`, { judgeId: judge.id }));
    await ok(await call(app, organizer, 'PUT', `${C}/panels/${panel.id}/seats/R1`, { judgeId: reserve.id }));
    const pair = [
      ['庚', '一厂', '本市', '是', '是', idNumber(21), '复赛队'],
      ['辛', '一厂', '本市', '是', '是', idNumber(22), '复赛队'],
    ];
    await ok(
      await call(app, organizer, 'POST', `${E2}/competitors/import`, { format: 'csv', content: csv(pair) }),
    );
    const [team] = (await ok(await call(app, organizer, 'GET', `${E2}/competitors`))) as CompetitorView[];
    const M = `${C}/competitors/${team?.id}/members`;
    const raw = idNumber(23);
    const added = await call(app, organizer, 'POST', M, {
      name: '壬',
      unit: '五厂',
      region: '本市',
      frontline: true,
      unionMember: true,
      idNumber: raw,
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.body).not.toContain(raw);
    const view: CompetitorView = added.json();
    const newcomer = view.members?.find((m) => m.name === '壬');
    expect(view.members).toHaveLength(3);
    expect(newcomer?.idNumberMasked).toMatch(/^\d{4}\*+/);
    expect(view.unit).toContain('五厂');
    // 裁判五 works at 五厂 like the newcomer: recused for the team, the reserve marks in J1 (as import does it).
    let actions = await auditActions(app, world.competitionId);
    const joined = actions.find((a) => a.action === 'teamMember.added');
    expect(JSON.stringify(joined?.detail)).toContain(judge.id);
    expect(JSON.stringify(joined?.detail)).not.toContain(raw);
    // A fourth member would leave the team outside 2–3: refused naming the bound.
    const fourth = await call(app, organizer, 'POST', M, {
      name: '癸',
      unit: '一厂',
      region: '本市',
      frontline: true,
      unionMember: true,
    });
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().error).toMatchObject({ code: 'team_size', field: 'members', max: 3, count: 4 });
    const removed = await call(app, organizer, 'DELETE', `${M}/${newcomer?.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().members.map((m: { name: string }) => m.name)).toEqual(['庚', '辛']);
    expect(removed.json().unit).toBe('一厂');
    actions = await auditActions(app, world.competitionId);
    const left = actions.find((a) => a.action === 'teamMember.removed');
    // No member of 五厂 any more: the recusal goes with the member.
    expect((left?.detail as { recusalsRemoved?: unknown[] } | undefined)?.recusalsRemoved).toHaveLength(1);
    // An ID number another member of the event holds is refused.
    const twice = await call(app, organizer, 'POST', M, {
      name: '重',
      unit: '一厂',
      region: '本市',
      frontline: true,
      unionMember: true,
      idNumber: idNumber(21),
    });
    expect(twice.statusCode, twice.body).toBe(409);
    expect(twice.json().error.field).toBe('idNumber');
    const below = await call(app, organizer, 'DELETE', `${M}/${removed.json().members[0].id}`);
    expect(below.statusCode).toBe(409);
    expect(below.json().error).toMatchObject({ code: 'team_size', min: 2, count: 1 });

    // The first event is signed off: its teams keep their members.
    const signed = teams.find((t) => t.name === '一厂队');
    const late = await call(app, organizer, 'POST', `${C}/competitors/${signed?.id}/members`, {
      name: '迟',
      unit: '一厂',
      region: '本市',
      frontline: true,
      unionMember: true,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('round_signed_off');
    // Unit and region decide recusal: kept as signed; a member's or the team's other records may be corrected.
    const signedMember = signed?.members?.[0];
    const SM = `${C}/competitors/${signed?.id}/members/${signedMember?.id}`;
    const moved = await call(app, organizer, 'PATCH', SM, { unit: '五厂' });
    expect(moved.statusCode, moved.body).toBe(409);
    expect(moved.json().error).toMatchObject({ code: 'round_signed_off', field: 'unit' });
    expect(moved.json().error.message).toContain('unit');
    const teamMoved = await call(app, organizer, 'PATCH', `${C}/competitors/${signed?.id}`, {
      region: '外市',
    });
    expect(teamMoved.statusCode, teamMoved.body).toBe(409);
    expect(teamMoved.json().error).toMatchObject({ code: 'round_signed_off', field: 'region' });
    const renamed = await call(app, organizer, 'PATCH', SM, { name: `${signedMember?.name}（更正）` });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const unchanged: CompetitorView = await ok(
      await call(app, organizer, 'GET', `${C}/competitors/${signed?.id}`),
    );
    expect(unchanged.members?.map((m) => m.unit)).toEqual(signed?.members?.map((m) => m.unit));
    const judgeTry = await call(
      app,
      world.tokens.chiefJudge,
      'DELETE',
      `${M}/${removed.json().members[0].id}`,
    );
    expect(judgeTry.statusCode).toBe(403);
  });
});
