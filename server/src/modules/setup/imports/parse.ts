import { IMPORT_FILE_LIMIT, type ImportRequest, importHeaders, parseCsv } from '@jiangxin/shared';
import ExcelJS from 'exceljs';
import { AppError, type Locale, type Localized, localized } from '../../../plugins/errors';

/**
 * Parsing an import: the CSV text or XLSX workbook becomes records, one a non-blank data row, holding the
 * cells of the columns the header names. A file that cannot be read, or a header that lacks a column, fails
 * the whole import; a row is judged later, in validate.ts.
 */

/** More rows than any event has: a bound on the work one request can ask for. */
export const IMPORT_ROW_LIMIT = 10_000;

export type Field = keyof typeof importHeaders;

export const FIELD_NAMES: Record<Field, Localized> = {
  name: localized('姓名', 'name'),
  unit: localized('工作单位', 'unit'),
  region: localized('地区', 'region'),
  frontline: localized('一线职工', 'frontline'),
  unionMember: localized('工会会员', 'unionMember'),
  idNumber: localized('身份证号', 'idNumber'),
  skillLevel: localized('技能等级', 'skillLevel'),
  unitHead: localized('单位负责人', 'unitHead'),
  team: localized('团队', 'team'),
};

/** The columns an import reads: a file without a required one is refused; unknown columns are ignored. */
export interface Columns {
  required: readonly Field[];
  optional: readonly Field[];
}

/** One data row: its spreadsheet row number and the trimmed cell of each column the header named. */
export interface RawRecord {
  row: number;
  cells: Partial<Record<Field, string>>;
  /** Columns whose cell was a number too large to hold every digit (an ID number typed as a number). */
  lossy: ReadonlySet<Field>;
}

export interface ParsedImport {
  records: RawRecord[];
  /** Rows the reader itself could not read (a CSV quote left open). */
  broken: { row: number; message: Localized }[];
}

interface Table {
  /** Row number of each data row, with its cells in column order. */
  rows: { row: number; cells: string[]; lossy?: Set<number> }[];
  header: string[];
  headerRow: number;
  broken: ParsedImport['broken'];
}

/** Reads the file and maps its header; blank rows are left out. */
export async function parseImport(body: ImportRequest, columns: Columns): Promise<ParsedImport> {
  const table = await readTable(body);
  const indexOf = mapColumns(table, columns);
  const records: RawRecord[] = [];
  for (const { row, cells, lossy } of table.rows) {
    if (cells.every((c) => c.trim() === '')) continue;
    const fields: RawRecord['cells'] = {};
    const lossyFields = new Set<Field>();
    for (const [field, index] of indexOf) {
      fields[field] = (cells[index] ?? '').trim();
      if (lossy?.has(index)) lossyFields.add(field);
    }
    records.push({ row, cells: fields, lossy: lossyFields });
  }
  return { records, broken: table.broken };
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

const comparable = (text: string) => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** Which column holds which field; unknown columns (序号, 备注 …) are ignored. */
function mapColumns(table: Table, { required, optional }: Columns): Map<Field, number> {
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
