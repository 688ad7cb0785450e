import { DECIMAL_PATTERN } from '../decimal';

/**
 * Cells of the files the system writes for spreadsheets (CSV, XLSX). A cell that begins with `=`, `+`, `-`,
 * `@`, a tab or a line break is read by Excel, WPS and LibreOffice as a formula (`=cmd|' /C calc'!A0`,
 * `=HYPERLINK(…)`, `@SUM(1)`, `+1+2`): such text is prefixed with a single quote, which spreadsheets show as
 * text and do not evaluate (the OWASP rule for CSV injection). A number the system wrote (`-1.5`, a
 * deduction or a negative score) is not text and stays a number. Every CSV or XLSX writer puts its text
 * through `spreadsheetText`; `csvRow` does it for CSV.
 */

const FORMULA_START = /^[=+\-@\t\r\n]/;

/** The text of one cell as a spreadsheet must receive it: a formula-like start neutralised, numbers kept. */
export function spreadsheetText(text: string): string {
  if (DECIMAL_PATTERN.test(text)) return text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field: neutralised, then quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(text: string): string {
  const cell = spreadsheetText(text);
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** One CSV line (without its line break). */
export const csvRow = (cells: readonly string[]): string => cells.map(csvField).join(',');
