import { spreadsheetText } from '@jiangxin/shared';
import ExcelJS from 'exceljs';
import { DRAFT_MARK, type Provenance, provenanceText, statusText } from './model';

/**
 * Workbooks (exceljs). Every text cell goes through `spreadsheetText`, so a name someone typed as
 * `=HYPERLINK(…)` stays text; scores are numbers shown at their own precision.
 */

/** A cell: text (neutralised), a score (a decimal string written as a number), a whole number, or empty. */
export type Cell = string | { score: string } | number | null;

export const score = (value: string | null): Cell => (value === null ? null : { score: value });

export function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '匠心 Jiangxin';
  workbook.created = new Date();
  return workbook;
}

function setCell(cell: ExcelJS.Cell, value: Cell) {
  if (value === null) return;
  if (typeof value === 'number') cell.value = value;
  else if (typeof value === 'string') cell.value = spreadsheetText(value);
  else {
    cell.value = Number(value.score);
    const decimals = value.score.split('.')[1]?.length ?? 0;
    cell.numFmt = decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0';
  }
}

/** A sheet name Excel accepts (31 characters, none of []:*?/\, unique in the workbook). */
export function sheetName(workbook: ExcelJS.Workbook, wanted: string): string {
  const base =
    wanted
      .replace(/[[\]:*?/\\]/g, '_')
      .replace(/^'+|'+$/g, '')
      .slice(0, 28) || '赛项';
  let name = base;
  for (let n = 2; workbook.worksheets.some((s) => s.name.toLowerCase() === name.toLowerCase()); n++)
    name = `${base} ${n}`;
  return name;
}

/** A sheet holding one table: a bold, frozen header row and the rows below it. */
export function tableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly { header: string; width: number }[],
  rows: readonly (readonly Cell[])[],
  preface: readonly string[] = [],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(sheetName(workbook, name));
  for (const line of preface) setCell(sheet.addRow([]).getCell(1), line);
  const header = sheet.addRow([]);
  columns.forEach((c, i) => {
    setCell(header.getCell(i + 1), c.header);
    sheet.getColumn(i + 1).width = c.width;
  });
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
  for (const cells of rows) {
    const row = sheet.addRow([]);
    cells.forEach((value, i) => {
      setCell(row.getCell(i + 1), value);
    });
  }
  sheet.views = [{ state: 'frozen', ySplit: header.number }];
  return sheet;
}

/** The cover: title, the facts as label–value lines, the status (a large red 草稿 DRAFT on a draft), the audit position. */
export function coverSheet(
  workbook: ExcelJS.Workbook,
  title: string,
  facts: readonly (readonly [string, string])[],
  provenance: Provenance,
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet('封面 Cover');
  sheet.getColumn(1).width = 26;
  sheet.getColumn(2).width = 70;
  const heading = sheet.addRow([]);
  setCell(heading.getCell(1), title);
  heading.font = { bold: true, size: 16 };
  sheet.mergeCells(heading.number, 1, heading.number, 2);
  if (provenance.draft) {
    const draft = sheet.addRow([]);
    setCell(draft.getCell(1), `${DRAFT_MARK} · 成绩未公布，仅供裁判长与组委会核对`);
    draft.font = { bold: true, size: 20, color: { argb: 'FFD0342C' } };
    sheet.mergeCells(draft.number, 1, draft.number, 2);
  }
  sheet.addRow([]);
  const lines: (readonly [string, string])[] = [
    ...facts,
    ['状态 Status', statusText(provenance)],
    ['审计位置 Audit position', provenanceText(provenance)],
    ['生成时间 Generated at', provenance.generatedAt],
  ];
  for (const [label, value] of lines) {
    const row = sheet.addRow([]);
    setCell(row.getCell(1), label);
    setCell(row.getCell(2), value);
    row.getCell(1).font = { bold: true };
  }
  return sheet;
}

export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
