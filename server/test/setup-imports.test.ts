import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitors, judges, recusals } from '../src/db/schema';
import { drivers } from './databases';
import { auditActions, badCheckDigit, call, createWorld, idNumber, type World } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

async function xlsx(rows: (string | number | boolean | null)[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('报名表');
  for (const row of rows) sheet.addRow(row);
  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer as ArrayBuffer).toString('base64');
}

describe.each(drivers)('competitor and judge imports on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let world: World;
  let base: string;
  let eventId: string;

  const importCompetitors = (payload: unknown, headers: Record<string, string> = {}, event = eventId) =>
    call(app, world.tokens.organizer, 'POST', `${base}/events/${event}/competitors/import`, payload, headers);

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    world = await createWorld(app, seed);
    base = `/api/competitions/${world.competitionId}`;
    const event = await call(app, world.tokens.organizer, 'POST', `${base}/events`, {
      name: '评茶员',
      scheme: 'tea',
    });
    eventId = event.json().id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('imports a CSV with Chinese headers: good rows land, every bad row is reported', async () => {
    const ids = [idNumber(101), idNumber(102), idNumber(103)];
    const csv = [
      '序号,姓名,工作单位,地区,一线职工,工会会员,身份证号',
      `1,陈一,福州茶厂,福州,是,是,${ids[0]}`,
      `2,,安溪茶叶公司,泉州,否,是,${ids[1]}`,
      `3,林三,武夷山茶场,南平,也许,是,${badCheckDigit(ids[2] ?? '')}`,
      `4,"黄,四",福鼎白茶公司,宁德,1,0,`,
      `5,郑五,福州茶厂,福州,yes,no,${ids[0]}`,
      '',
      `6,吴六,政和茶场,南平,TRUE,false,${ids[1]}`,
    ].join('\r\n');
    const before = (await auditActions(app, world.competitionId)).length;
    const res = await importCompetitors({ format: 'csv', content: csv });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.accepted).toBe(3);
    expect(report.rejected).toEqual([
      { row: 3, field: 'name', message: '缺少姓名' },
      { row: 4, field: 'frontline', message: '一线职工应为“是/否”、yes/no、true/false 或 1/0，而不是“也许”' },
      { row: 4, field: 'idNumber', message: '身份证号校验码不符，请核对号码' },
      { row: 6, field: 'idNumber', message: '身份证号与第 2 行重复' },
    ]);
    for (const id of ids) expect(res.body).not.toContain(id.slice(4, 14));

    const rows = await app.db.select().from(competitors).where(eq(competitors.eventId, eventId));
    expect(rows.map((r) => r.name).sort()).toEqual(['吴六', '陈一', '黄,四'].sort());
    const huang = rows.find((r) => r.name === '黄,四');
    expect(huang).toMatchObject({ frontline: true, unionMember: false, idNumberMasked: null });
    expect(rows.find((r) => r.name === '吴六')).toMatchObject({ frontline: true, unionMember: false });
    expect(rows.find((r) => r.name === '陈一')?.idNumberMasked).toBe(
      `${ids[0]?.slice(0, 4)}**********${ids[0]?.slice(14)}`,
    );

    const audit = await auditActions(app, world.competitionId);
    expect(audit.length).toBe(before + 1);
    expect(audit.at(-1)?.action).toBe('competitors.imported');
    expect(JSON.stringify(audit.at(-1))).not.toContain(ids[0]?.slice(4, 14));
  });

  it('reports in English when asked, and refuses numbers already registered in the event', async () => {
    const csv = [
      'name,unit,region,frontline,unionMember,idNumber',
      `Chen Yi,Fuzhou Tea,Fuzhou,yes,yes,${idNumber(101)}`,
      'Zhang,Tea Co,Xiamen,maybe,yes,',
      `Li,Tea Co,Xiamen,no,1,${idNumber(104, '20991301')}`,
      `Wang,Tea Co,Xiamen,0,1,${idNumber(105)}`,
    ].join('\n');
    const res = await importCompetitors(
      { format: 'csv', content: csv },
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      accepted: 1,
      rejected: [
        {
          row: 2,
          field: 'idNumber',
          message: 'the ID number is already registered in this event (the same ID number)',
        },
        {
          row: 3,
          field: 'frontline',
          message: 'frontline must be 是/否, yes/no, true/false or 1/0, not "maybe"',
        },
        { row: 4, field: 'idNumber', message: 'the ID number holds a date of birth that is not a real date' },
      ],
    });
  });

  it('imports an XLSX with Chinese headers the same way', async () => {
    const ids = [idNumber(201), idNumber(202)];
    const content = await xlsx([
      ['姓名', '工作单位', '地区', '一线职工', '工会会员', '身份证号'],
      ['萧七', '漳州茶厂', '漳州', '是', '否', ids[0] ?? ''],
      [null, '漳州茶厂', '漳州', '是', '否', null],
      ['何八', '龙岩茶厂', '龙岩', 'x', true, badCheckDigit(ids[1] ?? '')],
      ['罗九', '三明茶厂', '三明', 1, 0, ids[1] ?? ''],
      ['孔十', '三明茶厂', '三明', 1, 0, Number('350102198805120011')],
    ]);
    const res = await importCompetitors({ format: 'xlsx', content });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected: [
        { row: 3, field: 'name', message: '缺少姓名' },
        { row: 4, field: 'frontline', message: '一线职工应为“是/否”、yes/no、true/false 或 1/0，而不是“x”' },
        { row: 4, field: 'idNumber', message: '身份证号校验码不符，请核对号码' },
        {
          row: 6,
          field: 'idNumber',
          message: '身份证号以数字格式保存，末几位已丢失；请将该列设为文本格式后重新填写',
        },
      ],
      routings: [],
    });
    const rows = await app.db.select().from(competitors).where(eq(competitors.eventId, eventId));
    expect(rows.find((r) => r.name === '罗九')).toMatchObject({ frontline: true, unionMember: false });
  });

  it('refuses control characters and broken characters in cells, row by row, and counts emoji as characters', async () => {
    const names = async () =>
      (await app.db.select().from(competitors).where(eq(competitors.eventId, eventId))).map((r) => r.name);
    const before = await names();
    const emoji = '🍵'.repeat(60);
    const csv = [
      'name,unit,region,frontline,unionMember',
      'Nul\u0000Name,Tea Co,Fuzhou,yes,yes',
      'Escape,Tea\u001b[2J Co,Fuzhou,yes,yes',
      'Half,Tea Co,Fu\ud83czhou,yes,yes',
      `${emoji},Tea Co,Fuzhou,yes,yes`,
      `${'长'.repeat(101)},Tea Co,Fuzhou,yes,yes`,
    ].join('\n');
    const res = await importCompetitors({ format: 'csv', content: csv }, { 'accept-language': 'en' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      accepted: 1,
      rejected: [
        {
          row: 2,
          field: 'name',
          message: 'name contains the control character U+0000 (character 4); remove it',
        },
        {
          row: 3,
          field: 'unit',
          message: 'unit contains the control character U+001B (character 4); remove it',
        },
        {
          row: 4,
          field: 'region',
          message:
            'region contains a broken character (character 3 is half of a surrogate pair); type it again',
        },
        { row: 6, field: 'name', message: 'name is too long (101 characters; at most 100)' },
      ],
    });
    expect((await names()).sort()).toEqual([...before, emoji].sort());

    const content = await xlsx([
      ['姓名', '工作单位', '地区', '一线职工', '工会会员'],
      // (An XLSX is UTF-8 XML: it holds C1 controls, but no lone surrogate, nor C0 controls but tab and breaks.)
      ['控制\u0085字符', '茶厂', '福州', '是', '是'],
    ]);
    const sheet = await importCompetitors({ format: 'xlsx', content });
    expect(sheet.statusCode, sheet.body).toBe(200);
    expect(sheet.json()).toMatchObject({
      accepted: 0,
      rejected: [
        { row: 2, field: 'name', message: '姓名含有不可见的控制字符 U+0085（第 3 个字符），请删除' },
      ],
    });
    expect((await names()).sort()).toEqual([...before, emoji].sort());
  });

  it('refuses unreadable files, missing columns and files over 2 MB, writing nothing', async () => {
    const count = async () =>
      (await app.db.select().from(competitors).where(eq(competitors.eventId, eventId))).length;
    const before = await count();
    const auditBefore = (await auditActions(app, world.competitionId)).length;
    const missing = await importCompetitors({ format: 'csv', content: '姓名,地区\n张三,福州\n' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({
      code: 'import_columns_missing',
      columns: ['unit', 'frontline', 'unionMember'],
    });
    expect(missing.json().error.message).toContain('工作单位');
    const garbage = await importCompetitors({
      format: 'xlsx',
      content: Buffer.from('not a zip').toString('base64'),
    });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.code).toBe('import_unreadable');
    const notBase64 = await importCompetitors({ format: 'xlsx', content: '%%%' });
    expect(notBase64.json().error.code).toBe('import_unreadable');
    const big = `姓名,工作单位,地区,一线职工,工会会员\n${'张三,某厂,福州,是,是\n'.repeat(110_000)}`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 * 1024 * 1024);
    const tooBig = await importCompetitors({ format: 'csv', content: big });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('file_too_large');
    const hugeXlsx = await importCompetitors({ format: 'xlsx', content: 'A'.repeat(3 * 1024 * 1024) });
    expect(hugeXlsx.statusCode).toBe(413);
    const badFormat = await importCompetitors({ format: 'xls', content: 'x' });
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().error.issues[0].field).toBe('format');
    const extra = await importCompetitors({ format: 'csv', content: 'x', dryRun: true });
    expect(extra.statusCode).toBe(400);
    const forbidden = await call(
      app,
      world.tokens.chiefJudge,
      'POST',
      `${base}/events/${eventId}/competitors/import`,
      {
        format: 'csv',
        content: '姓名,工作单位,地区,一线职工,工会会员\n张三,某厂,福州,是,是\n',
      },
    );
    expect(forbidden.statusCode).toBe(403);
    expect(await count()).toBe(before);
    expect((await auditActions(app, world.competitionId)).length).toBe(auditBefore);
  });

  it('imports judges from CSV and XLSX', async () => {
    const csv = '姓名,工作单位,地区\n裁判甲,省茶科所,福州\n,省农大,福州\n裁判乙,省茶协,\n';
    const res = await call(app, world.tokens.organizer, 'POST', `${base}/judges/import`, {
      format: 'csv',
      content: csv,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      accepted: 1,
      rejected: [
        { row: 3, field: 'name', message: '缺少姓名' },
        { row: 4, field: 'region', message: '缺少地区' },
      ],
    });
    const content = await xlsx([
      ['Name', 'Unit', 'Region'],
      ['Judge A', 'Tea Institute', 'Fuzhou'],
      ['Judge B', 'Tea Association', 'Xiamen'],
    ]);
    const x = await call(app, world.tokens.organizer, 'POST', `${base}/judges/import`, {
      format: 'xlsx',
      content,
    });
    expect(x.json()).toEqual({ accepted: 2, rejected: [] });
    const rows = await app.db.select().from(judges).where(eq(judges.competitionId, world.competitionId));
    expect(rows.map((r) => r.name).sort()).toEqual(['Judge A', 'Judge B', '裁判甲']);
    const audit = await auditActions(app, world.competitionId);
    expect(audit.filter((a) => a.action === 'judges.imported')).toHaveLength(2);
  });

  it('applies recusal to imported competitors: routed with a reserve, refused without', async () => {
    const event = await call(app, world.tokens.organizer, 'POST', `${base}/events`, {
      name: '导游讲解',
      scheme: 'tour-guide',
    });
    const tour = event.json().id;
    const make = async (name: string, unit: string) =>
      (
        await call(app, world.tokens.organizer, 'POST', `${base}/judges`, { name, unit, region: '泉州' })
      ).json().id;
    const panelA = (
      await call(app, world.tokens.organizer, 'POST', `${base}/events/${tour}/panels`, {
        name: 'A 组',
        aspects: ['siteTalk', 'onSiteCreation', 'english', 'talkDuration'],
      })
    ).json().id;
    const panelB = (
      await call(app, world.tokens.organizer, 'POST', `${base}/events/${tour}/panels`, {
        name: 'B 组',
        aspects: ['talentShow'],
      })
    ).json().id;
    const seat = (panel: string, s: string, judgeId: string) =>
      call(app, world.tokens.chiefJudge, 'PUT', `${base}/panels/${panel}/seats/${s}`, { judgeId });
    expect((await seat(panelA, 'J1', await make('甲', '泉州旅行社'))).statusCode).toBe(200);
    expect((await seat(panelA, 'R1', await make('备', '厦门旅行社'))).statusCode).toBe(200);
    expect((await seat(panelB, 'J1', await make('乙', '泉州文旅集团'))).statusCode).toBe(200);
    const csv = [
      '姓名,工作单位,地区,一线职工,工会会员',
      '导游一,泉州旅行社,泉州,是,是',
      '导游二,泉州文旅集团,泉州,是,是',
      '导游三,漳州旅行社,漳州,是,是',
    ].join('\n');
    const res = await importCompetitors({ format: 'csv', content: csv }, {}, tour);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.accepted).toBe(2);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]).toMatchObject({ row: 3, field: 'unit' });
    expect(report.rejected[0].message).toContain('B 组');
    expect(report.routings).toHaveLength(1);
    expect(report.routings[0]).toMatchObject({
      panelId: panelA,
      seat: 'J1',
      substituteSeat: 'R1',
      reason: 'sameUnit',
    });
    const rows = await app.db.select().from(recusals).where(eq(recusals.panelId, panelA));
    expect(rows).toHaveLength(1);
    const audit = (await auditActions(app, world.competitionId)).at(-1);
    expect(audit?.action).toBe('competitors.imported');
    expect((audit?.detail as { recusalRefusals?: unknown[] } | undefined)?.recusalRefusals).toHaveLength(1);
  });

  it('imports the skill level held and unit head when the columns are there, and the organizer edits them', async () => {
    const event = await call(app, world.tokens.organizer, 'POST', `${base}/events`, {
      name: '焊工',
      scheme: 'national-workers',
    });
    const csv = [
      '姓名,工作单位,地区,一线职工,工会会员,技能等级,单位负责人',
      '钱一,三明钢铁,三明,是,是,技师,否',
      '孙二,三明钢铁,三明,是,是,,是',
      '李三,福州重工,福州,是,是,宗师,maybe',
    ].join('\n');
    const res = await importCompetitors({ format: 'csv', content: csv }, {}, event.json().id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().accepted).toBe(2);
    expect(res.json().rejected).toEqual([
      {
        row: 4,
        field: 'skillLevel',
        message: '技能等级应为无等级、初级工、中级工、高级工、技师、高级技师之一，而不是“宗师”',
      },
      {
        row: 4,
        field: 'unitHead',
        message: '单位负责人应为“是/否”、yes/no、true/false 或 1/0，而不是“maybe”',
      },
    ]);
    const list = await call(
      app,
      world.tokens.organizer,
      'GET',
      `${base}/events/${event.json().id}/competitors`,
    );
    const byName = new Map(list.json().map((c: { name: string }) => [c.name, c]));
    expect(byName.get('钱一')).toMatchObject({ skillLevel: 'technician', unitHead: false });
    expect(byName.get('孙二')).toMatchObject({ skillLevel: 'none', unitHead: true });

    const sun = byName.get('孙二') as { id: string };
    const patched = await call(app, world.tokens.organizer, 'PATCH', `${base}/competitors/${sun.id}`, {
      skillLevel: 'senior',
      unitHead: false,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().competitor).toMatchObject({ skillLevel: 'senior', unitHead: false });
    const bad = await call(app, world.tokens.organizer, 'PATCH', `${base}/competitors/${sun.id}`, {
      skillLevel: 'grandmaster',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('skillLevel');
  });

  it('previews an import row by row through the same checks, saving nothing until it is imported', async () => {
    const csv = [
      '姓名,工作单位,地区,一线职工,工会会员,身份证号',
      `预览甲,福州茶厂,福州,是,是,${idNumber(101)}`,
      '预览乙,安溪茶叶公司,泉州,也许,是,',
      `预览丙,武夷山茶场,南平,否,否,${idNumber(131)}`,
    ].join('\n');
    const count = async () =>
      (await app.db.select().from(competitors).where(eq(competitors.eventId, eventId))).length;
    const before = {
      competitors: await count(),
      audit: (await auditActions(app, world.competitionId)).length,
    };
    const preview = await call(
      app,
      world.tokens.organizer,
      'POST',
      `${base}/events/${eventId}/competitors/import/preview`,
      { format: 'csv', content: csv },
    );
    expect(preview.statusCode, preview.body).toBe(200);
    const report = preview.json();
    // The database's own refusal (an ID number registered by an earlier import) is in the preview too.
    expect(report.rejected).toEqual([
      { row: 2, field: 'idNumber', message: '身份证号与本赛项已报名的选手重复（同一身份证号）' },
      { row: 3, field: 'frontline', message: '一线职工应为“是/否”、yes/no、true/false 或 1/0，而不是“也许”' },
    ]);
    expect(report.accepted).toBe(1);
    expect(report.rows).toEqual([
      {
        row: 4,
        name: '预览丙',
        unit: '武夷山茶场',
        region: '南平',
        frontline: false,
        unionMember: false,
        skillLevel: 'none',
        unitHead: false,
        idNumberMasked: `${idNumber(131).slice(0, 4)}**********${idNumber(131).slice(14)}`,
      },
    ]);
    // The refused rows as read, to be found in the file; an ID number is never answered in full.
    expect(report.refusedRows).toEqual([
      {
        row: 2,
        cells: { name: '预览甲', unit: '福州茶厂', region: '福州', frontline: '是', unionMember: '是' },
      },
      {
        row: 3,
        cells: { name: '预览乙', unit: '安溪茶叶公司', region: '泉州', frontline: '也许', unionMember: '是' },
      },
    ]);
    expect(preview.body).not.toContain(idNumber(131).slice(4, 14));
    expect(preview.body).not.toContain(idNumber(101).slice(4, 14));
    expect(await count()).toBe(before.competitors);
    expect((await auditActions(app, world.competitionId)).length).toBe(before.audit);

    const judgesPreview = await call(app, world.tokens.organizer, 'POST', `${base}/judges/import/preview`, {
      format: 'csv',
      content: '姓名,工作单位,地区\n裁判丁,省茶科所,福州\n,省农大,福州\n',
    });
    expect(judgesPreview.json()).toEqual({
      accepted: 1,
      rejected: [{ row: 3, field: 'name', message: '缺少姓名' }],
      rows: [{ row: 2, name: '裁判丁', unit: '省茶科所', region: '福州' }],
      refusedRows: [{ row: 3, cells: { name: '', unit: '省农大', region: '福州' } }],
    });
    expect((await auditActions(app, world.competitionId)).length).toBe(before.audit);
  });
});
