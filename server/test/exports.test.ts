import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  eventJson,
  getTemplate,
  parseCsv,
  readMarksCsv,
  type Scheme,
  scoreEvent,
  spreadsheetText,
} from '@jiangxin/shared';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/db/schema';
import { createOrganizerAccount } from '../src/modules/auth/accounts';
import {
  ApiClient,
  addEvent,
  finishRound,
  judgeLabels,
  markedRounds,
  openVenue,
  signIn,
  submitMarks,
  type Venue,
  type VenueEvent,
} from '../src/rehearsal/index';
import { pdfFile, pdfInfo, pdfPages, screenshotPage1 } from './poppler';
import { bearer, seedCompetition, testApp } from './support';

/**
 * The official exports of a competition set up, marked and closed through the API (the rehearsal's own
 * machinery against a listening server): the workbook read back cell by cell, the PDF's text as pdftotext
 * reads it, the marks file recomputed by the engine as `pnpm results` does, and who may have them when.
 */

const fixtures = join(import.meta.dirname, '../../tests/fixtures');
const workers = getTemplate('national-workers') as Scheme;

/** The welding final of the honours fixture under people's names, one typed as a formula. */
const names: Record<string, string> = {
  W01: '张伟',
  W02: '=HYPERLINK("http://x.example","点我")',
  W03: '李娜',
  W04: '@SUM(1+1)',
  W05: '王强',
  W06: '陈静',
};
const marksFile = readFileSync(join(fixtures, 'honours-welding.marks.csv'), 'utf8')
  .split('\n')
  .map((line) => {
    const [event, round, competitor = '', item, judge, ...rest] = line.split(',');
    const name = names[competitor];
    // One panel seats every judge here: the single-judge items are marked from seat J1.
    const seat = judge === 'M1' ? 'J1' : judge;
    return name === undefined
      ? line
      : [event, round, `"${name.replaceAll('"', '""')}"`, item, seat, ...rest].join(',');
  })
  .join('\n');

/** A workbook read back with exceljs (its typings predate Node's generic Buffer). */
async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

describe('exports', () => {
  let app: FastifyInstance;
  let venue: Venue;
  let event: VenueEvent;
  const clients: ApiClient[] = [];
  const client = (base: string) => () => {
    const c = new ApiClient(base);
    clients.push(c);
    return c;
  };
  let C: string;
  let E: string;
  const as = (token: string | null) => (token ? bearer(token) : {});
  const get = (url: string, token: string | null) => app.inject({ method: 'GET', url, headers: as(token) });

  beforeAll(async () => {
    ({ app } = await testApp('pglite'));
    const credentials = { username: 'exports-organizer', password: randomBytes(12).toString('hex') };
    await createOrganizerAccount(app.db, { ...credentials, displayName: '赵组委' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const file = readMarksCsv(marksFile, workers);
    expect(file.errors).toEqual([]);
    const organizer = await signIn(client(base)(), credentials);
    venue = await openVenue(organizer, client(base), {
      name: '2026 年市职工焊工技能大赛',
      organizerName: '市总工会',
      venue: '市职业技能实训基地',
      judges: judgeLabels(file.events),
    });
    const [welding] = file.events;
    if (!welding) throw new Error('no event in the marks file');
    event = await addEvent(venue, welding, 'national-workers', '焊工');
    const sent = await submitMarks(venue, [event]);
    expect(sent.every((m) => m.acknowledgedAt !== null)).toBe(true);
    C = venue.C;
    E = `${C}/events/${event.eventId}`;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await app?.close();
  });

  const token = (who: 'organizer' | 'chief' | 'officer' | 'judge') =>
    who === 'judge' ? ([...venue.tablets.values()][0]?.token ?? null) : venue[who].token;

  it('refuses unpublished results to a judge, an encryption officer and the public (403), gives drafts to the chief judge and the organizer', async () => {
    const urls = [
      `${C}/exports/results.xlsx`,
      `${E}/exports/results.pdf`,
      `${E}/exports/results.csv`,
      `${E}/exports/marks.csv`,
      `${E}/exports/scheme.json`,
    ];
    for (const url of urls) {
      for (const who of ['judge', 'officer'] as const) {
        const res = await get(url, token(who));
        expect([url, who, res.statusCode, res.json().error.code]).toEqual([
          url,
          who,
          403,
          'results_not_published',
        ]);
      }
      expect((await get(url, null)).statusCode).toBe(403);
      const chief = await get(url, token('chief'));
      expect([url, chief.statusCode, chief.headers['x-results-status']]).toEqual([url, 200, 'draft']);
    }
    const pdf = await get(`${C}/exports/results.pdf`, token('organizer'));
    // The watermark is drawn diagonally on every page; the line under the title says it in words.
    expect(pdfPages(pdfFile(pdf.rawPayload)).join('')).toContain('草稿：成绩尚未公布');
    const marks = await get(`${E}/exports/marks.csv`, token('organizer'));
    expect(marks.body).toContain(',draft 草稿,');
    const workbook = await readWorkbook((await get(`${C}/exports/results.xlsx`, token('chief'))).rawPayload);
    expect(String(workbook.getWorksheet('封面 Cover')?.getCell('A2').value)).toContain('草稿 DRAFT');
  }, 60_000);

  describe('once published', () => {
    let offline: ReturnType<typeof eventJson>;
    let position: string;

    beforeAll(async () => {
      for (const [, roundId] of markedRounds(event)) await finishRound(venue, roundId, '导出测试');
      const [head] = await app.db.select().from(auditLog).orderBy(auditLog.seq);
      expect(head).toBeDefined();
      const rows = await app.db.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog);
      const last = rows.sort((a, b) => b.seq - a.seq)[0];
      position = `${last?.seq}:${last?.hash}`;
      const [marks] = readMarksCsv(marksFile, workers).events;
      if (!marks) throw new Error('no marks');
      offline = eventJson(workers, '焊工', scoreEvent(workers, marks.marks, marks.difficulties));
    }, 60_000);

    it('serves the workbook to anyone: cover, one sheet per event, every mark used or dropped, read back cell by cell', async () => {
      const res = await get(`${C}/exports/results.xlsx`, null);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-results-status']).toBe('official');
      expect(res.headers['x-audit-position']).toBe(position);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="results.xlsx"; filename*=UTF-8''${encodeURIComponent('2026 年市职工焊工技能大赛-成绩.xlsx')}`,
      );
      const workbook = await readWorkbook(res.rawPayload);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['封面 Cover', '焊工', '评分明细 Marks']);

      const cover = workbook.getWorksheet('封面 Cover');
      const facts = new Map<string, string>();
      cover?.eachRow((row) => facts.set(String(row.getCell(1).value), String(row.getCell(2).value ?? '')));
      expect(facts.get('竞赛名称 Competition')).toBe('2026 年市职工焊工技能大赛');
      expect(facts.get('地点 Venue')).toBe('市职业技能实训基地');
      expect(facts.get('主办单位 Organized by')).toBe('市总工会');
      expect(facts.get('裁判长 Chief judge')).toBe('chiefJudge');
      expect(facts.get('组委会 Organizer')).toBe('赵组委');
      expect(facts.get('状态 Status')).toBe('正式 OFFICIAL');
      expect(facts.get('审计位置 Audit position')).toContain(position.split(':')[1]);
      expect([...facts.keys()].join()).not.toContain('草稿');

      const sheet = workbook.getWorksheet('焊工');
      if (!sheet) throw new Error('no event sheet');
      const header = sheet.getRow(3).values as unknown[];
      expect(header.slice(1)).toEqual([
        '名次 Rank',
        '参赛号 Entry No.',
        '姓名 Name',
        '单位 Unit',
        ...workers.components.map((c) => c.name),
        '总分 Total',
        '轮次 Round',
        '备注 Note',
      ]);
      const lines = offline.standings.map((_s, i) => {
        const row = sheet.getRow(4 + i);
        return {
          rank: row.getCell(1).value,
          entry: typeof row.getCell(2).value,
          name: row.getCell(3).value,
          unit: row.getCell(4).value,
          scores: workers.components.map((_, j) => row.getCell(5 + j).value),
          total: row.getCell(5 + workers.components.length).value,
        };
      });
      expect(lines).toEqual(
        offline.standings.map((s) => ({
          rank: s.rank,
          entry: 'number',
          // A name typed as a formula is text a spreadsheet shows and never runs.
          name: spreadsheetText(s.competitor),
          unit: spreadsheetText(`参赛单位 ${s.competitor}`),
          scores: workers.components.map((c) =>
            Number(s.components.find((x) => x.component === c.id)?.score),
          ),
          total: Number(s.total),
        })),
      );
      expect(lines.map((l) => l.name)).toContain('\'=HYPERLINK("http://x.example","点我")');
      expect(lines.map((l) => l.name)).toContain("'@SUM(1+1)");
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.formula).toBeUndefined();
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        }),
      );

      const marks = workbook.getWorksheet('评分明细 Marks');
      const rows: unknown[][] = [];
      marks?.eachRow((row, n) => {
        if (n > 1) rows.push((row.values as unknown[]).slice(1));
      });
      expect(rows).toHaveLength(readMarksCsv(marksFile, workers).events[0]?.marks.length ?? -1);
      // Five judges, the highest and lowest dropped: three used and two dropped per judged item.
      const zhang = rows.filter((r) => r[3] === '张伟' && r[4] === 'workQuality');
      expect(zhang.map((r) => [r[5], r[6], r[8]]).sort()).toEqual([
        ['J1', 28, '计入 used'],
        ['J2', 28.5, '计入 used'],
        ['J3', 29, '去掉 dropped'],
        ['J4', 27.5, '去掉 dropped'],
        ['J5', 28, '计入 used'],
      ]);
    }, 60_000);

    it('serves the CSV with every typed cell neutralised and the audit position on each row', async () => {
      const res = await get(`${E}/exports/results.csv`, null);
      expect(res.statusCode).toBe(200);
      expect(res.body.startsWith('\uFEFF')).toBe(true);
      const [header, ...rows] = parseCsv(res.body).records.map((r) => r.fields);
      expect(header?.slice(0, 6)).toEqual([
        '赛项 event',
        '名次 rank',
        '参赛号 entryNumber',
        '姓名 competitor',
        '单位 unit',
        '总分 total',
      ]);
      expect(rows.map((r) => [r[1], r[3], r[5]])).toEqual(
        offline.standings.map((s) => [String(s.rank), spreadsheetText(s.competitor), s.total]),
      );
      for (const row of rows) {
        expect(row.at(-1)).toBe(position);
        expect(row.at(-2)).toBe('正式 OFFICIAL');
        for (const cell of row) expect(cell).not.toMatch(/^[=+@\t\r]/);
      }
    });

    it('prints an A4 PDF in Chinese whose text pdftotext reads: the title, every competitor, the signature lines', async () => {
      const res = await get(`${C}/exports/results.pdf`, null);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const file = pdfFile(res.rawPayload);
      expect(pdfInfo(file)).toMatch(/Page size:\s+595\.28 x 841\.89/);
      // In drawing order, so a name that wraps in its cell is not interleaved with the next cell.
      const text = pdfPages(file).join('\n');
      expect(text).toContain('2026 年市职工焊工技能大赛');
      expect(text).toContain('成绩公告');
      // A long name wraps inside its cell: compared without the line breaks.
      const flat = text.replace(/\s+/g, '');
      for (const name of Object.values(names)) expect(flat).toContain(name.replace(/\s+/g, ''));
      expect(text).toContain('裁判长（签字）');
      expect(text).toContain('组委会（签字）');
      expect(text).toContain(position.split(':')[1]?.slice(0, 16));
      expect(text).not.toContain('草稿');
      // Page 1 as a person sees it.
      screenshotPage1(file, 'exports-results-pdf');
    }, 60_000);

    it('exports the marks as `pnpm results` reads them, with the scheme beside them: the same standings', async () => {
      const csv = await get(`${E}/exports/marks.csv`, null);
      const scheme = await get(`${E}/exports/scheme.json`, null);
      expect([csv.statusCode, scheme.statusCode]).toEqual([200, 200]);
      expect(scheme.headers['x-audit-position']).toBe(position);
      const parsed = JSON.parse(scheme.body);
      const recomputed = readMarksCsv(csv.body, getTemplate('national-workers') as Scheme);
      expect(recomputed.errors).toEqual([]);
      expect(parsed.id).toBe('national-workers');
      const [again] = recomputed.events;
      if (!again) throw new Error('no event in the export');
      const standings = eventJson(workers, again.event, scoreEvent(workers, again.marks, again.difficulties));
      const line = (s: { rank: number | null; competitor: string; total: string | null }) => [
        s.rank,
        s.competitor,
        s.total,
      ];
      // Names come back neutralised ('=…); everything else is the offline computation.
      expect(standings.standings.map(line)).toEqual(
        offline.standings.map((s) => [s.rank, spreadsheetText(s.competitor), s.total]),
      );
    });

    it('keeps a frozen round’s results from the public until the ceremony has revealed them', async () => {
      const [[, roundId] = ['', '']] = markedRounds(event);
      const R = `${C}/rounds/${roundId}`;
      const post = (url: string, payload?: unknown) =>
        app.inject({ method: 'POST', url, headers: as(token('chief')), ...(payload ? { payload } : {}) });
      expect((await post(`${R}/freeze`)).statusCode).toBe(200);
      const frozen = await get(`${E}/exports/results.pdf`, null);
      expect([frozen.statusCode, frozen.json().error.code]).toEqual([403, 'round_frozen']);
      expect((await get(`${C}/exports/results.csv`, null)).statusCode).toBe(403);
      expect((await get(`${E}/exports/results.pdf`, token('organizer'))).statusCode).toBe(200);
      expect((await post(`${R}/reveal`, { all: true })).statusCode).toBe(200);
      expect((await get(`${E}/exports/results.pdf`, null)).statusCode).toBe(200);
    });

    it('gives the public only the published events of the competition, naming the others', async () => {
      const added = await app.inject({
        method: 'POST',
        url: `${C}/events`,
        headers: as(token('organizer')),
        payload: { name: '电工', scheme: 'national-workers' },
      });
      expect(added.statusCode).toBe(201);
      const workbook = await readWorkbook((await get(`${C}/exports/results.xlsx`, null)).rawPayload);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['封面 Cover', '焊工', '评分明细 Marks']);
      const facts = new Map<string, string>();
      workbook.getWorksheet('封面 Cover')?.eachRow((row) => {
        facts.set(String(row.getCell(1).value), String(row.getCell(2).value ?? ''));
      });
      expect(facts.get('未列入（成绩未公布） Not included (unpublished)')).toBe('电工');
      expect(facts.get('状态 Status')).toBe('正式 OFFICIAL');
      const unstarted = await get(`${C}/events/${added.json().id}/exports/results.csv`, null);
      expect([unstarted.statusCode, unstarted.json().error.code]).toEqual([403, 'results_not_published']);
    });
  });
});

describe('exports before decryption', () => {
  it('show the chief judge workstation codes only: no name, unit or entry number tied to a code', async () => {
    const { app } = await testApp('pglite');
    try {
      const seed = await seedCompetition(app);
      const res = await app.inject({
        method: 'GET',
        url: `/api/competitions/${seed.competition.id}/events/${seed.event.id}/exports/results.csv`,
        headers: bearer(seed.tokens.chiefJudge),
      });
      expect([res.statusCode, res.headers['x-results-status']]).toEqual([200, 'draft']);
      const rows = parseCsv(res.body)
        .records.slice(1)
        .map((r) => r.fields);
      expect(rows.map((r) => [r[2], r[3], r[4]]).sort()).toEqual([
        ['', 'A01', ''],
        ['', 'A02', ''],
        ['', 'A03', ''],
        ['', 'A04', ''],
      ]);
      for (const c of seed.competitors) expect(res.body).not.toContain(c.name);
    } finally {
      await app.close();
    }
  }, 60_000);
});
