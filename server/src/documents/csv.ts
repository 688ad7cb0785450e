import { csvRow } from '@jiangxin/shared';

/**
 * CSV files: a byte-order mark (Excel and WPS then read the Chinese as UTF-8; `parseCsv` skips it), every
 * field neutralised and quoted by the shared `csvRow`, CRLF line ends (RFC 4180).
 */
export const csvText = (rows: readonly (readonly string[])[]): string =>
  `\uFEFF${rows.map(csvRow).join('\r\n')}\r\n`;
