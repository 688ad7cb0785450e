import { randomUUID } from 'node:crypto';
import {
  describeTextProblem,
  IMPORT_FILE_LIMIT,
  type ImportRejection,
  type ImportReport,
  type ImportRequest,
  importHeaders,
  parseCsv,
  parseFlag,
  parseSkillLevel,
  personText,
  type RecusalConflict,
  type SkillLevel,
  skillLevelChoices,
  type TextRule,
  textProblem,
} from '@jiangxin/shared';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { competitors, judges } from '../../db/schema';
import type { Principal } from '../../plugins/auth';
import { AppError, type Locale, type Localized, localized } from '../../plugins/errors';
import { appendAudit } from '../audit/service';
import { actorOf, findCompetition, findEvent, lockEvent } from './common';
import { DUPLICATE_ID, describeSeatConflicts, ID_PROBLEMS, type Identity, identify } from './people';
import { applyPlan, auditConflict, auditRouting, panelsOfEvent, planCompetitors } from './recusal';

/**
 * Imports of competitors and judges from CSV or XLSX (报名表). Every row is checked; the good rows are
 * registered and every problem of every bad row is reported with its spreadsheet row number, in the
 * caller's language. The whole import is one transaction with one audit entry.
 */

/** More rows than any event has: a bound on the work one request can ask for. */
export const IMPORT_ROW_LIMIT = 10_000;

type Field = keyof typeof importHeaders;

const FIELD_NAMES: Record<Field, Localized> = {
  name: localized('姓名', 'name'),
  unit: localized('工作单位', 'unit'),
  region: localized('地区', 'region'),
  frontline: localized('一线职工', 'frontline'),
  unionMember: localized('工会会员', 'unionMember'),
  idNumber: localized('身份证号', 'idNumber'),
  skillLevel: localized('技能等级', 'skillLevel'),
  unitHead: localized('单位负责人', 'unitHead'),
};

const FLAGS: readonly Field[] = ['frontline', 'unionMember', 'unitHead'];

/** The text columns follow the API's rule for the same fields. */
const TEXT_RULES: Partial<Record<Field, TextRule>> = personText;

interface Table {
  /** Row number of each data row, with its cells in column order. */
  rows: { row: number; cells: string[]; lossy?: Set<number> }[];
  header: string[];
  headerRow: number;
  /** Rows the reader itself could not read (a CSV quote left open). */
  broken: { row: number; message: Localized }[];
}

const fileTooLarge = (bytes: number) =>
  new AppError(
    413,
    'file_too_large',
    localized(
      `字段 content：文件过大（${(bytes / 1024 / 1024).toFixed(1)} MB），上限为 2 MB；请拆分后分批导入`,
      `field "content": the file is too large (${(bytes / 1024 / 1024).toFixed(1)} MB); the limit is 2 MB, split it and import the parts`,
    ),
    { field: 'content', limit: IMPORT_FILE_LIMIT },
  );

const unreadable = (zh: string, en: string) =>
  new AppError(400, 'import_unreadable', localized(`字段 content：${zh}`, `field "content": ${en}`), {
    field: 'content',
  });

function readCsv(content: string): Table {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > IMPORT_FILE_LIMIT) throw fileTooLarge(bytes);
  const { records, errors } = parseCsv(content);
  const [head, ...rest] = records;
  if (!head) throw unreadable('文件中没有表头行', 'the file has no header row');
  return {
    header: head.fields,
    headerRow: head.line,
    rows: rest.map((r) => ({ row: r.line, cells: r.fields })),
    broken: errors.map((e) => ({
      row: e.line,
      message: localized(
        '引号未闭合，此行及其后内容无法读取',
        'a quoted field is not closed; this row and the rest could not be read',
      ),
    })),
  };
}

/** The text of an XLSX cell, whatever Excel stored (rich text, formula results, hyperlinks, dates). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
  if ('error' in value) return '';
  return '';
}

async function readXlsx(content: string): Promise<Table> {
  const base64 = content.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 === 1) {
    throw unreadable('XLSX 文件应以 base64 编码', 'an XLSX file must be sent base64-encoded');
  }
  const bytes = Math.floor((base64.length * 3) / 4);
  if (bytes > IMPORT_FILE_LIMIT) throw fileTooLarge(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(base64, 'base64') as unknown as ExcelJS.Buffer);
  } catch {
    throw unreadable('不是可读取的 XLSX 文件', 'this is not a readable XLSX file');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('XLSX 文件中没有工作表', 'the XLSX file has no worksheet');
  const records: Table['rows'] = [];
  let tooMany = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (records.length > IMPORT_ROW_LIMIT + 1) {
      tooMany = true;
      return;
    }
    const cells: string[] = [];
    const lossy = new Set<number>();
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
      // An ID number typed into a number cell has lost its last digits (Excel keeps 15).
      if (typeof cell.value === 'number' && !Number.isSafeInteger(cell.value)) lossy.add(column - 1);
    });
    records.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? ''), lossy });
  });
  if (tooMany) throw tooManyRows();
  const nonEmpty = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const [head, ...rest] = nonEmpty;
  if (!head) throw unreadable('工作表中没有表头行', 'the worksheet has no header row');
  return { header: head.cells, headerRow: head.row, rows: rest, broken: [] };
}

const tooManyRows = () =>
  new AppError(
    413,
    'import_too_many_rows',
    localized(
      `字段 content：文件超过 ${IMPORT_ROW_LIMIT} 行，请拆分后分批导入`,
      `field "content": the file has more than ${IMPORT_ROW_LIMIT} rows; split it and import the parts`,
    ),
    { field: 'content', limit: IMPORT_ROW_LIMIT },
  );

async function readTable(body: ImportRequest): Promise<Table> {
  const table = body.format === 'csv' ? readCsv(body.content) : await readXlsx(body.content);
  if (table.rows.length > IMPORT_ROW_LIMIT) throw tooManyRows();
  return table;
}

const comparable = (text: string) => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** Which column holds which field; unknown columns (序号, 备注 …) are ignored. */
function mapColumns(
  table: Table,
  required: readonly Field[],
  optional: readonly Field[],
): Map<Field, number> {
  const columns = new Map<Field, number>();
  const wanted = [...required, ...optional];
  table.header.forEach((title, index) => {
    const key = comparable(title);
    const field = wanted.find((f) => importHeaders[f].some((alias) => comparable(alias) === key));
    if (!field) return;
    if (columns.has(field)) {
      const name = FIELD_NAMES[field];
      throw new AppError(
        400,
        'import_header_duplicate',
        localized(
          `字段 content：表头（第 ${table.headerRow} 行）中“${name['zh-CN']}”列出现了两次`,
          `field "content": the header (row ${table.headerRow}) has the column "${name.en}" twice`,
        ),
        { field: 'content', column: field },
      );
    }
    columns.set(field, index);
  });
  const missing = required.filter((f) => !columns.has(f));
  if (missing.length > 0) {
    const list = (locale: Locale) =>
      missing
        .map((f) =>
          locale === 'zh-CN'
            ? `${importHeaders[f][0]}（${f}）`
            : `${f} (${importHeaders[f].filter((a) => a !== f).join(' / ')})`,
        )
        .join(locale === 'zh-CN' ? '、' : ', ');
    throw new AppError(
      400,
      'import_columns_missing',
      localized(
        `字段 content：表头（第 ${table.headerRow} 行）缺少以下列：${list('zh-CN')}`,
        `field "content": the header (row ${table.headerRow}) lacks the column${missing.length > 1 ? 's' : ''} ${list('en')}`,
      ),
      { field: 'content', columns: missing },
    );
  }
  return columns;
}

interface RowCheck {
  problems: { field: Field; message: Localized }[];
  text(field: Field): string;
  flag(field: Field): boolean;
  level(): SkillLevel;
}

/** Reads one row's fields (an empty optional one keeps its default), collecting every problem. */
function checkRow(
  cells: string[],
  columns: Map<Field, number>,
  required: readonly Field[],
  optional: readonly Field[] = [],
): RowCheck {
  const problems: RowCheck['problems'] = [];
  const raw = (field: Field) => {
    const index = columns.get(field);
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };
  const texts = new Map<Field, string>();
  const flags = new Map<Field, boolean>();
  let level: SkillLevel = 'none';
  for (const field of [...required, ...optional]) {
    const value = raw(field);
    const name = FIELD_NAMES[field];
    const shown = value.length > 20 ? `${value.slice(0, 20)}…` : value;
    if (value === '' && optional.includes(field)) continue;
    if (value === '') {
      problems.push({ field, message: localized(`缺少${name['zh-CN']}`, `${name.en} is missing`) });
      continue;
    }
    if (field === 'skillLevel') {
      const parsed = parseSkillLevel(value);
      if (parsed) level = parsed;
      else
        problems.push({
          field,
          message: localized(
            `${name['zh-CN']}应为${skillLevelChoices['zh-CN']}之一，而不是“${shown}”`,
            `${name.en} must be one of ${skillLevelChoices.en}, not "${shown}"`,
          ),
        });
      continue;
    }
    if (FLAGS.includes(field)) {
      const flag = parseFlag(value);
      if (flag !== null) flags.set(field, flag);
      else {
        problems.push({
          field,
          message: localized(
            `${name['zh-CN']}应为“是/否”、yes/no、true/false 或 1/0，而不是“${shown}”`,
            `${name.en} must be 是/否, yes/no, true/false or 1/0, not "${shown}"`,
          ),
        });
      }
      continue;
    }
    const rule = TEXT_RULES[field];
    const problem = rule ? textProblem(value, rule) : null;
    if (problem) {
      const says = describeTextProblem(problem);
      problems.push({
        field,
        message: localized(`${name['zh-CN']}${says['zh-CN']}`, `${name.en} ${says.en}`),
      });
      continue;
    }
    texts.set(field, value);
  }
  return {
    problems,
    text: (field) => texts.get(field) ?? raw(field),
    flag: (field) => flags.get(field) ?? false,
    level: () => level,
  };
}

const rejection = (row: number, field: string, message: Localized, locale: Locale): ImportRejection => ({
  row,
  field,
  message: message[locale],
});

const blank = (cells: string[]) => cells.every((c) => c.trim() === '');

const COMPETITOR_FIELDS = ['name', 'unit', 'region', 'frontline', 'unionMember'] as const;
/** Optional: what honour rules need (no column, or an empty cell: no level held, not a unit head). */
const HONOUR_FIELDS = ['skillLevel', 'unitHead'] as const;

/** Imports the competitors of an event: see the module comment. */
export async function importCompetitors(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  eventId: string,
  body: ImportRequest,
  locale: Locale,
): Promise<ImportReport> {
  const event = await findEvent(app.db, competitionId, eventId);
  const table = await readTable(body);
  const columns = mapColumns(table, COMPETITOR_FIELDS, ['idNumber', ...HONOUR_FIELDS]);
  const rejected: ImportRejection[] = table.broken.map((b) => rejection(b.row, 'content', b.message, locale));

  interface Candidate {
    row: number;
    id: string;
    name: string;
    unit: string;
    region: string;
    frontline: boolean;
    unionMember: boolean;
    skillLevel: SkillLevel;
    unitHead: boolean;
    identity: Identity | null;
  }
  const candidates: Candidate[] = [];
  const seenIds = new Map<string, number>();
  const idColumn = columns.get('idNumber');
  for (const { row, cells, lossy } of table.rows) {
    if (blank(cells)) continue;
    const check = checkRow(cells, columns, COMPETITOR_FIELDS, HONOUR_FIELDS);
    const problems = [...check.problems];
    const identity = identify(app, check.text('idNumber'));
    if (idColumn !== undefined && lossy?.has(idColumn)) {
      problems.push({
        field: 'idNumber',
        message: localized(
          '身份证号以数字格式保存，末几位已丢失；请将该列设为文本格式后重新填写',
          'the ID number was stored as a number, which loses its last digits; format the column as text and enter it again',
        ),
      });
    } else if (identity && 'problem' in identity) {
      const p = ID_PROBLEMS[identity.problem];
      problems.push({
        field: 'idNumber',
        message: localized(`身份证号${p['zh-CN']}`, `the ID number ${p.en}`),
      });
    } else if (identity && problems.length === 0) {
      // Against the rows accepted so far: a bad row never makes a later good one a duplicate.
      const earlier = seenIds.get(identity.hash);
      if (earlier !== undefined) {
        problems.push({
          field: 'idNumber',
          message: localized(
            `身份证号与第 ${earlier} 行重复`,
            `the ID number is the same as on row ${earlier}`,
          ),
        });
      } else seenIds.set(identity.hash, row);
    }
    if (problems.length > 0) {
      rejected.push(...problems.map((p) => rejection(row, p.field, p.message, locale)));
      continue;
    }
    candidates.push({
      row,
      id: randomUUID(),
      name: check.text('name'),
      unit: check.text('unit'),
      region: check.text('region'),
      frontline: check.flag('frontline'),
      unionMember: check.flag('unionMember'),
      skillLevel: check.level(),
      unitHead: check.flag('unitHead'),
      identity: identity as Identity | null,
    });
  }

  return app.db.transaction(async (tx) => {
    const competition = await findCompetition(tx, competitionId);
    await lockEvent(tx, event.id);
    const hashes = candidates.flatMap((c) => (c.identity ? [c.identity.hash] : []));
    const taken = new Set<string>();
    for (let i = 0; i < hashes.length; i += 1000) {
      const rows = await tx
        .select({ hash: competitors.idNumberHash })
        .from(competitors)
        .where(
          and(
            eq(competitors.eventId, event.id),
            isNotNull(competitors.idNumberHash),
            inArray(competitors.idNumberHash, hashes.slice(i, i + 1000)),
          ),
        );
      for (const r of rows) if (r.hash) taken.add(r.hash);
    }
    const panelSeatings = await panelsOfEvent(tx, event.id);
    const accepted: Candidate[] = [];
    const refusals: RecusalConflict[] = [];
    const routings = [];
    for (const c of candidates) {
      if (c.identity && taken.has(c.identity.hash)) {
        rejected.push(
          rejection(
            c.row,
            'idNumber',
            localized(`身份证号${DUPLICATE_ID['zh-CN']}`, `the ID number ${DUPLICATE_ID.en}`),
            locale,
          ),
        );
        continue;
      }
      const plan = planCompetitors(
        panelSeatings,
        [{ id: c.id, unit: c.unit, region: c.region, entryNumber: null }],
        competition.recusalByRegion,
        [],
      );
      if (plan.unroutable.length > 0) {
        refusals.push(...plan.unroutable);
        const field = plan.unroutable.some((u) => u.reason === 'sameUnit') ? 'unit' : 'region';
        const where = (l: Locale) => describeSeatConflicts(plan.unroutable, panelSeatings, l);
        rejected.push(
          rejection(
            c.row,
            field,
            localized(
              `须回避${where('zh-CN')}，而该裁判组没有可替换的无冲突备用裁判`,
              `must not be marked by ${where('en')}, and that panel has no reserve judge free of conflict`,
            ),
            locale,
          ),
        );
        continue;
      }
      accepted.push(c);
      routings.push(...plan.routings);
    }
    for (let i = 0; i < accepted.length; i += 500) {
      await tx.insert(competitors).values(
        accepted.slice(i, i + 500).map((c) => ({
          id: c.id,
          competitionId,
          eventId: event.id,
          name: c.name,
          unit: c.unit,
          region: c.region,
          frontline: c.frontline,
          unionMember: c.unionMember,
          skillLevel: c.skillLevel,
          unitHead: c.unitHead,
          idNumberHash: c.identity?.hash ?? null,
          idNumberMasked: c.identity?.masked ?? null,
        })),
      );
    }
    await applyPlan(tx, [], routings);
    rejected.sort((a, b) => a.row - b.row);
    await appendAudit(tx, competitionId, {
      actor: actorOf(principal),
      action: 'competitors.imported',
      subject: `event:${event.id}`,
      detail: {
        format: body.format,
        accepted: accepted.map((c) => ({ row: c.row, competitorId: c.id })),
        rejected: rejected.map((r) => ({ row: r.row, field: r.field })),
        routings: routings.map(auditRouting),
        recusalRefusals: refusals.map((r) => ({ ...auditConflict(r), competitorId: null })),
      },
    });
    return { accepted: accepted.length, rejected, routings };
  });
}

const JUDGE_FIELDS = ['name', 'unit', 'region'] as const;

/** Imports the judges of a competition: see the module comment. */
export async function importJudges(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  body: ImportRequest,
  locale: Locale,
): Promise<ImportReport> {
  const table = await readTable(body);
  const columns = mapColumns(table, JUDGE_FIELDS, []);
  const rejected: ImportRejection[] = table.broken.map((b) => rejection(b.row, 'content', b.message, locale));
  const accepted: { row: number; id: string; name: string; unit: string; region: string }[] = [];
  for (const { row, cells } of table.rows) {
    if (blank(cells)) continue;
    const check = checkRow(cells, columns, JUDGE_FIELDS);
    if (check.problems.length > 0) {
      rejected.push(...check.problems.map((p) => rejection(row, p.field, p.message, locale)));
      continue;
    }
    accepted.push({
      row,
      id: randomUUID(),
      name: check.text('name'),
      unit: check.text('unit'),
      region: check.text('region'),
    });
  }
  return app.db.transaction(async (tx) => {
    await findCompetition(tx, competitionId);
    for (let i = 0; i < accepted.length; i += 1000) {
      await tx.insert(judges).values(
        accepted.slice(i, i + 1000).map((j) => ({
          id: j.id,
          competitionId,
          name: j.name,
          unit: j.unit,
          region: j.region,
        })),
      );
    }
    await appendAudit(tx, competitionId, {
      actor: actorOf(principal),
      action: 'judges.imported',
      subject: `competition:${competitionId}`,
      detail: {
        format: body.format,
        accepted: accepted.map((j) => ({ row: j.row, judgeId: j.id })),
        rejected: rejected.map((r) => ({ row: r.row, field: r.field })),
      },
    });
    return { accepted: accepted.length, rejected };
  });
}
