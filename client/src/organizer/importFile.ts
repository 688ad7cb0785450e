import {
  type ImportPreview,
  type ImportPreviewRow,
  type ImportRejection,
  type ImportRequest,
  importHeaders,
} from '@jiangxin/shared';

/**
 * Reading a registration file (报名表) for an import, and the template with the columns the import expects.
 * Pure, so it is tested without a browser.
 */

/** The columns of each import, in the template's order (the Chinese header is the first the server accepts). */
export const IMPORT_COLUMNS = {
  competitors: ['name', 'unit', 'region', 'frontline', 'unionMember', 'idNumber', 'skillLevel', 'unitHead'],
  judges: ['name', 'unit', 'region'],
  /** A team event's competitors: one row per member, naming the team. */
  teams: ['team', 'name', 'unit', 'region', 'frontline', 'unionMember', 'idNumber', 'skillLevel', 'unitHead'],
} as const satisfies Record<string, readonly (keyof typeof importHeaders)[]>;

export type ImportKind = keyof typeof IMPORT_COLUMNS;

/** An example row under the header, so whoever fills the template in sees the expected values. */
const EXAMPLE: Record<ImportKind, string[]> = {
  competitors: ['张三', '市第一建设公司', '市区', '是', '是', '', '高级工', '否'],
  judges: ['李四', '市技师学院', '市区'],
  teams: ['第一石化一队', '张三', '市第一石化公司', '市区', '是', '是', '', '高级工', '否'],
};

/** A cell of a CSV line: quoted when it holds a comma, a quote or a line break. */
const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * The template file: a byte-order mark (so Excel opens it as UTF-8, not as the system's GBK), the Chinese
 * headers, and one example row.
 */
export function templateCsv(kind: ImportKind): string {
  const header = IMPORT_COLUMNS[kind].map((field) => importHeaders[field][0]);
  return `\uFEFF${[header, EXAMPLE[kind]].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Base64 of bytes, in slices (a 2 MB workbook would overflow the argument list of one call). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * CSV text as UTF-8, or as GB18030 when it is not UTF-8: Excel on a Chinese Windows saves CSV in the
 * system's code page (GBK), and such a file must read the same as one saved as UTF-8.
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The import request of a file: an .xlsx as base64, anything else as CSV text; null for an empty file. */
export function importRequestOf(fileName: string, bytes: Uint8Array): ImportRequest | null {
  if (bytes.length === 0) return null;
  if (/\.xlsx$/i.test(fileName)) return { format: 'xlsx', content: base64(bytes) };
  const text = decodeCsv(bytes);
  return text.trim() === '' ? null : { format: 'csv', content: text };
}

/** One line of the preview table: a row that would be registered, or a row refused with its problems. */
export interface PreviewLine {
  row: number;
  person: ImportPreviewRow | null;
  /** A refused row's cells as read (the ID number left out), to find it in the file. */
  cells: ImportPreview['refusedRows'][number]['cells'];
  problems: Pick<ImportRejection, 'field' | 'message'>[];
}

/** The preview's rows and rejections as one table in row order, a refused row once with all its problems. */
export function previewLines(
  preview: Pick<ImportPreview, 'rows' | 'rejected' | 'refusedRows'>,
): PreviewLine[] {
  const lines = new Map<number, PreviewLine>();
  for (const person of preview.rows)
    lines.set(person.row, { row: person.row, person, cells: {}, problems: [] });
  const cellsOf = new Map(preview.refusedRows.map((r) => [r.row, r.cells]));
  for (const { row, field, message } of preview.rejected) {
    const line = lines.get(row) ?? { row, person: null, cells: cellsOf.get(row) ?? {}, problems: [] };
    line.problems.push({ field, message });
    lines.set(row, line);
  }
  return [...lines.values()].sort((a, b) => a.row - b.row);
}

/** A team of a team event's preview: its name and its members' lines (refused ones too), in row order. */
export interface PreviewTeam {
  team: string;
  lines: PreviewLine[];
}

/** The preview's lines grouped by the team each row names (a row naming none forms a group of its own). */
export function previewTeams(lines: readonly PreviewLine[]): PreviewTeam[] {
  const teams = new Map<string, PreviewLine[]>();
  for (const line of lines) {
    const team = line.person?.team ?? line.cells.team ?? '';
    teams.set(team, [...(teams.get(team) ?? []), line]);
  }
  return [...teams].map(([team, grouped]) => ({ team, lines: grouped }));
}
