import { importHeaders, parseCsv } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { decodeCsv, importRequestOf, previewLines, previewTeams, templateCsv } from './importFile';

describe('the registration template', () => {
  it('holds the Chinese headers the import accepts, in order, behind a byte-order mark', () => {
    const csv = templateCsv('competitors');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header] = csv.slice(1).split('\r\n');
    expect(header).toBe('姓名,工作单位,地区,一线职工,工会会员,身份证号,技能等级,单位负责人');
    for (const name of header?.split(',') ?? [])
      expect(Object.values(importHeaders).some((names) => (names as readonly string[]).includes(name))).toBe(
        true,
      );
    expect(templateCsv('judges').slice(1).split('\r\n')[0]).toBe('姓名,工作单位,地区');
  });
});

describe('reading a file for an import', () => {
  it('sends CSV as text, UTF-8 or the GBK Excel saves on a Chinese Windows', () => {
    const utf8 = new TextEncoder().encode('姓名,工作单位\n张三,一厂\n');
    expect(importRequestOf('报名表.csv', utf8)).toEqual({
      format: 'csv',
      content: '姓名,工作单位\n张三,一厂\n',
    });
    // 姓名 in GBK: D0 D5 C3 FB.
    const gbk = new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0x61]);
    expect(decodeCsv(gbk)).toBe('姓名,a');
  });

  it('sends an XLSX as base64 of its bytes; an empty file is nothing to send', () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff]);
    expect(importRequestOf('名单.XLSX', bytes)).toEqual({ format: 'xlsx', content: 'UEsDBP8=' });
    expect(importRequestOf('a.csv', new Uint8Array())).toBeNull();
    expect(importRequestOf('a.csv', new TextEncoder().encode(' \n'))).toBeNull();
  });
});

describe('the preview table', () => {
  it('puts good and refused rows in row order, a refused row once with every problem', () => {
    const lines = previewLines({
      rows: [
        { row: 4, name: '丙', unit: 'u', region: 'r' },
        { row: 2, name: '甲', unit: 'u', region: 'r' },
      ],
      rejected: [
        { row: 3, field: 'name', message: '缺少姓名' },
        { row: 3, field: 'region', message: '缺少地区' },
        { row: 5, field: 'frontline', message: '一线职工应为“是/否”' },
      ],
      refusedRows: [
        { row: 3, cells: { name: '', unit: 'u', region: '' } },
        { row: 5, cells: { name: '戊', frontline: '也许' } },
      ],
    });
    expect(lines.map((l) => [l.row, l.person?.name ?? null, l.problems.map((p) => p.field)])).toEqual([
      [2, '甲', []],
      [3, null, ['name', 'region']],
      [4, '丙', []],
      [5, null, ['frontline']],
    ]);
    expect(lines[3]?.cells).toEqual({ name: '戊', frontline: '也许' });
  });

  it('is read back by the shared CSV reader as the header and the example', () => {
    const { records, errors } = parseCsv(templateCsv('judges').slice(1));
    expect(errors).toEqual([]);
    expect(records.map((r) => r.fields)).toEqual([
      ['姓名', '工作单位', '地区'],
      ['李四', '市技师学院', '市区'],
    ]);
  });
});

describe("a team event's preview", () => {
  it('groups the lines by the team each row names, refused rows under their team, in row order', () => {
    const person = (row: number, name: string, team: string) => ({ row, name, unit: 'u', region: 'r', team });
    const lines = previewLines({
      rows: [person(2, '甲', '一队'), person(3, '乙', '一队')],
      rejected: [
        { row: 4, field: 'frontline', message: 'bad' },
        { row: 5, field: 'team', message: 'too small' },
      ],
      refusedRows: [
        { row: 4, cells: { name: '丙', team: '一队' } },
        { row: 5, cells: { name: '丁', team: '二队' } },
      ],
    });
    expect(previewTeams(lines).map((t) => [t.team, t.lines.map((l) => l.row)])).toEqual([
      ['一队', [2, 3, 4]],
      ['二队', [5]],
    ]);
    expect(templateCsv('teams').slice(1).split('\r\n')[0]).toBe(
      '团队,姓名,工作单位,地区,一线职工,工会会员,身份证号,技能等级,单位负责人',
    );
  });
});
