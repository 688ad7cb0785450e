import { MARKS_CSV_COLUMNS, MARKS_CSV_OPTIONAL_COLUMNS, MISSING_MARK } from '@jiangxin/shared';
import { csvText } from './csv';
import {
  type CompetitionHeader,
  datesText,
  type EventResults,
  type MarkLine,
  markUseCell,
  type Provenance,
  provenanceText,
  type ResultsDocument,
  type StandingLine,
  sheetMark,
  statusText,
} from './model';
import { PdfWriter } from './pdf';
import { type Cell, coverSheet, newWorkbook, score, tableSheet, workbookBytes } from './xlsx';

/** The official results as a workbook, a CSV file, a printable PDF; an event's marks as `pnpm results` reads them. */

const rankText = (s: StandingLine) => (s.rank === null ? '取消资格 DSQ' : String(s.rank));
const joinNames = (names: readonly string[]) => names.join('、') || '—';

function facts(c: CompetitionHeader, events: readonly string[], omitted: readonly string[]) {
  const lines: [string, string][] = [
    ['竞赛名称 Competition', c.name],
    ['日期 Dates', datesText(c)],
    ['地点 Venue', c.venue],
    ['主办单位 Organized by', c.organizer],
    ['裁判长 Chief judge', joinNames(c.chiefJudges)],
    ['组委会 Organizer', joinNames(c.organizers)],
    ['赛项 Events', joinNames(events)],
  ];
  if (omitted.length > 0) lines.push(['未列入（成绩未公布） Not included (unpublished)', joinNames(omitted)]);
  return lines;
}

/**
 * The standings as the documents list them: a team's line, then a line per member under it, with the
 * team's place and total (they share the result) and no component scores of their own.
 */
function standingLines(standings: readonly StandingLine[]): StandingLine[] {
  return standings.flatMap((s) => [
    s,
    ...(s.members ?? []).map((m) => ({
      rank: s.rank,
      entryNumber: null,
      competitor: m.name,
      unit: m.unit,
      scores: s.scores.map(() => null),
      total: s.total,
      round: s.round,
      note: `团队成员 member · ${s.competitor}`,
    })),
  ]);
}

const STANDING_HEADERS = ['名次 Rank', '参赛号 Entry No.', '姓名 Name', '单位 Unit'];

export async function resultsWorkbook(doc: ResultsDocument): Promise<Buffer> {
  const workbook = newWorkbook();
  coverSheet(
    workbook,
    `${doc.competition.name} 成绩册 Official results`,
    facts(
      doc.competition,
      doc.events.map((e) => e.name),
      doc.omitted,
    ),
    doc.provenance,
  );
  for (const event of doc.events) {
    tableSheet(
      workbook,
      event.name,
      [
        ...STANDING_HEADERS.map((header, i) => ({ header, width: [8, 12, 18, 26][i] ?? 12 })),
        ...event.components.map((c) => ({ header: c.name, width: 14 })),
        { header: '总分 Total', width: 12 },
        { header: '轮次 Round', width: 10 },
        { header: '备注 Note', width: 24 },
      ],
      standingLines(event.standings).map((s): Cell[] => [
        s.rank ?? '取消资格 DSQ',
        s.entryNumber,
        s.competitor,
        s.unit,
        ...s.scores.map(score),
        score(s.total),
        s.round,
        s.note,
      ]),
      [`${event.name} · ${event.scheme}`, provenanceText(doc.provenance)],
    );
  }
  tableSheet(
    workbook,
    '评分明细 Marks',
    [
      { header: '赛项 Event', width: 16 },
      { header: '轮次 Round', width: 10 },
      { header: '参赛号 Entry No.', width: 12 },
      { header: '选手 Competitor', width: 18 },
      { header: '评分项 Item', width: 16 },
      { header: '裁判席 Judge', width: 10 },
      { header: '分数 Mark', width: 10 },
      { header: '难度系数 Difficulty', width: 12 },
      { header: '计入/去掉 Used/dropped', width: 16 },
    ],
    doc.events.flatMap((e) =>
      e.marks.map((m): Cell[] => [
        e.name,
        m.round,
        m.entryNumber,
        m.competitor,
        m.item,
        m.judge,
        m.replaced ? sheetMark(m) : score(m.mark),
        score(m.difficulty),
        markUseCell(m),
      ]),
    ),
  );
  return workbookBytes(workbook);
}

/** One row per competitor of every event; a column per component name met in any event. */
export function resultsCsv(doc: ResultsDocument): string {
  const components = [...new Set(doc.events.flatMap((e) => e.components.map((c) => c.name)))];
  const header = [
    '赛项 event',
    '名次 rank',
    '参赛号 entryNumber',
    '姓名 competitor',
    '单位 unit',
    '总分 total',
    '轮次 round',
    '备注 note',
    ...components,
    '状态 status',
    '审计位置 audit',
  ];
  const audit = `${doc.provenance.auditSeq}:${doc.provenance.auditHash}`;
  const rows = doc.events.flatMap((e) =>
    standingLines(e.standings).map((s) => {
      const byName = new Map(e.components.map((c, i) => [c.name, s.scores[i] ?? null]));
      return [
        e.name,
        rankText(s),
        s.entryNumber === null ? '' : String(s.entryNumber),
        s.competitor,
        s.unit,
        s.total ?? '',
        s.round,
        s.note,
        ...components.map((c) => byName.get(c) ?? ''),
        statusText(doc.provenance),
        audit,
      ];
    }),
  );
  return csvText([header, ...rows]);
}

/**
 * An event's marks in force, exactly the columns `pnpm results` reads (event, round, competitor, item, judge,
 * mark, difficulty); the columns after them (used or dropped, draft or official, the audit position) are
 * ignored by its reader.
 */
export function marksCsv(event: string, marks: readonly MarkLine[], provenance: Provenance): string {
  const header = [...MARKS_CSV_COLUMNS, ...MARKS_CSV_OPTIONAL_COLUMNS, 'use', 'status', 'audit'];
  const status = provenance.draft ? 'draft 草稿' : 'official 正式';
  const audit = `${provenance.auditSeq}:${provenance.auditHash}`;
  // A replaced seat is a row whose mark is `missing`: `pnpm results` replaces it as the server did.
  const rows = marks.map((m) => [
    event,
    m.round,
    m.competitor,
    m.item,
    m.judge,
    m.replaced ? MISSING_MARK : m.mark,
    m.difficulty ?? '',
    m.use ?? '',
    status,
    audit,
  ]);
  return csvText([header, ...rows]);
}

function eventTable(pdf: PdfWriter, event: EventResults) {
  // Rank, entry number and total fixed; each component at most an eighth; name and unit share the rest.
  const component = event.components.length > 0 ? Math.min(0.125, 0.5 / event.components.length) : 0;
  const rest = 1 - 0.06 - 0.07 - 0.1 - component * event.components.length;
  pdf.heading(event.name).paragraph(event.scheme, { size: 8, color: '#555555' });
  pdf.table(
    [
      { header: '名次', width: 0.06, align: 'center' },
      { header: '参赛号', width: 0.07, align: 'center' },
      { header: '姓名', width: rest * 0.45 },
      { header: '单位', width: rest * 0.55 },
      ...event.components.map((c) => ({ header: c.name, width: component, align: 'right' as const })),
      { header: '总分', width: 0.1, align: 'right' },
    ],
    standingLines(event.standings).map((s) => [
      s.rank === null ? '取消资格' : String(s.rank),
      s.entryNumber === null ? '' : String(s.entryNumber),
      s.competitor,
      s.unit,
      ...s.scores.map((v) => v ?? '—'),
      s.total ?? '—',
    ]),
  );
}

export function resultsPdf(doc: ResultsDocument): Promise<Buffer> {
  const c = doc.competition;
  const pdf = new PdfWriter(`${c.name} 成绩公告`, doc.provenance);
  pdf.title(c.name).paragraph('成绩公告', { size: 14, align: 'center' });
  pdf.paragraph(`${datesText(c)} · ${c.venue} · 主办单位：${c.organizer}`, { align: 'center', size: 9 });
  if (doc.provenance.draft)
    pdf.paragraph('草稿：成绩尚未公布，仅供裁判长与组委会核对，不得对外发布。', {
      align: 'center',
      color: '#d0342c',
    });
  for (const event of doc.events) eventTable(pdf, event);
  if (doc.omitted.length > 0)
    pdf.paragraph(`未列入（成绩未公布）：${joinNames(doc.omitted)}`, { size: 9, color: '#555555' });
  pdf.signatures([
    { role: '裁判长', names: c.chiefJudges },
    { role: '组委会', names: c.organizers },
  ]);
  return pdf.finish();
}
