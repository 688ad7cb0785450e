import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../scheme/templates/index';
import { CsvStream, type LineError, MarksReader, parseCsv, readMarksCsv, scoreFileEvent } from './marks-csv';

const diving = getTemplate('diving');
const english = (errors: readonly LineError[]) =>
  errors.map((e) => ({ line: e.line, message: e.message.en }));
if (!diving) throw new Error('the diving template is missing');

/** The text cut at the given places, as a stream delivers it in chunks. */
const cut = (text: string, at: number[]) => {
  const points = [...new Set(at.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  return [...points, text.length].map((end, i) => text.slice(i === 0 ? 0 : points[i - 1], end));
};

describe('parseCsv', () => {
  it('reads the same records and errors however the text is cut into pieces', () => {
    const csvText = fc
      .array(fc.constantFrom('a', 'b', '张', ',', '"', '""', '\n', '\r\n', '\r', ' ', '\uFEFF', '1.5'), {
        maxLength: 40,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(csvText, fc.array(fc.nat(), { maxLength: 6 }), (text, at) => {
        const records: unknown[] = [];
        const stream = new CsvStream((r) => records.push(r));
        for (const piece of cut(text, at)) stream.push(piece);
        stream.end();
        const whole = parseCsv(text);
        expect(records).toEqual(whole.records);
        expect(stream.errors).toEqual(whole.errors);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads quoted fields, doubled quotes, CRLF and a byte-order mark, keeping line numbers', () => {
    const { records, errors } = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",z\n');
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', 'z'] },
    ]);
  });

  it('reports a quote left open', () => {
    expect(parseCsv('a,b\n"open,1\n').errors).toEqual([
      { line: 2, message: { 'zh-CN': '引号未闭合', en: 'a quoted field is not closed' } },
    ]);
  });
});

describe('readMarksCsv', () => {
  it('groups marks by event and records each dive’s difficulty once', () => {
    const file = readMarksCsv(
      [
        'event,round,competitor,item,judge,mark,difficulty',
        'M10,Final,"Cao, Yuan",dive-1,J1,9.5,3.3',
        'M10,Final,"Cao, Yuan",dive-1,J2,10,3.3',
        'W10,Final,Quan Hongchan,dive-1,J1,10,3.2',
      ].join('\n'),
      diving,
    );
    expect(file.errors).toEqual([]);
    expect(file.events.map((e) => [e.event, e.marks.length, e.difficulties])).toEqual([
      ['M10', 2, [{ round: 'Final', competitor: 'Cao, Yuan', attempt: 1, difficulty: '3.3' }]],
      ['W10', 1, [{ round: 'Final', competitor: 'Quan Hongchan', attempt: 1, difficulty: '3.2' }]],
    ]);
  });

  it('names missing columns', () => {
    expect(english(readMarksCsv('event,round,competitor,judge,mark\n', diving).errors)).toEqual([
      {
        line: 1,
        message: 'missing column(s) item; expected event,round,competitor,item,judge,mark,difficulty',
      },
    ]);
  });

  it('reports every bad row, never skipping one silently', () => {
    const file = readMarksCsv(
      [
        'event,round,competitor,item,judge,mark,difficulty',
        'M10,Final,A,dive-1,J1,8',
        'M10,Final,A,dive-1,J2,8,',
        'M10,Final,,dive-1,J3,11,3.2',
        'M10,Final,A,dive-1,J4,8,0',
      ].join('\n'),
      diving,
    );
    expect(english(file.errors)).toEqual([
      { line: 2, message: 'has 6 fields, the header has 7' },
      { line: 3, message: 'difficulty is empty; dive-1 needs one' },
      { line: 4, message: 'competitor is empty; mark 11 for execution must be at most 10' },
      { line: 5, message: 'difficulty must be above 0' },
    ]);
    expect(file.errors[2]?.message['zh-CN']).toBe('competitor 为空；execution 的分数 11 不能大于 10');
    expect(file.events).toEqual([]);
  });

  it('reads each event against its own scheme, and names an event that has none', () => {
    const kata = getTemplate('wkf-kata');
    if (!kata) throw new Error('the kata template is missing');
    const schemes = new Map([
      ['M10', diving],
      ['Kata', kata],
    ]);
    const file = readMarksCsv(
      [
        'event,round,competitor,item,judge,mark,difficulty',
        'M10,Final,A,dive-1,J1,8,3.2',
        'Kata,Final,B,dive-1,J1,8,3.2',
        'W10,Final,C,dive-1,J1,8,3.2',
      ].join('\n'),
      (event) => schemes.get(event),
    );
    expect(english(file.errors)).toEqual([
      { line: 3, message: expect.stringMatching(/^unknown item "dive-1"; the scheme's items are: /) },
      { line: 4, message: 'no scheme is given for event "W10"' },
    ]);
    expect(file.events.map((e) => [e.event, e.marks.length])).toEqual([['M10', 1]]);
  });

  it('reads a seat replaced under the missing-mark rule (`missing`) as such, and refuses it where the scheme has no such rule', () => {
    const text = (mark: string) =>
      [
        'event,round,competitor,item,judge,mark,difficulty',
        ...['8', '8.5', '7.5', '9', '8', '8.5', mark].map((m, i) => `M,Final,A,dive-1,J${i + 1},${m},3.0`),
      ].join('\n');
    const replacing = { ...(diving as NonNullable<typeof diving>), missingMark: 'averageOfOthers' as const };
    const file = readMarksCsv(text('missing'), replacing);
    expect(file.errors).toEqual([]);
    expect(file.events[0]?.marks).toHaveLength(6);
    expect(file.events[0]?.missingMarks).toEqual([
      { round: 'Final', competitor: 'A', item: 'dive-1', judge: 'J7' },
    ]);
    // The average of the other six (8.25) takes J7's place: the middle three 8 + 8.25 + 8.5, × 3.0.
    const scored = scoreFileEvent(replacing, file.events[0] as NonNullable<(typeof file.events)[0]>);
    expect(scored.standings[0]?.total).toBe('74.25');
    expect(english(readMarksCsv(text('missing'), diving as NonNullable<typeof diving>).errors)).toEqual([
      {
        line: 8,
        message:
          'mark "missing" (a missing judge\'s mark replaced by the others\' average) is only for a judged aspect of a scheme whose missingMark is averageOfOthers',
      },
    ]);
  });

  it('refuses an empty file and a header without marks', () => {
    expect(english(readMarksCsv('', diving).errors)).toEqual([{ line: 1, message: 'the file is empty' }]);
    expect(english(readMarksCsv('event,round,competitor,item,judge,mark\n', diving).errors)).toEqual([
      { line: 1, message: 'the file has a header but no marks' },
    ]);
  });
});

describe('MarksReader', () => {
  it('reads a marks file fed in pieces exactly as the whole text (cut at random places, errors too)', () => {
    // 12 divers × 6 dives × 7 judges, CRLF, quoted fields, a duplicate, a bad mark and a bad difficulty.
    const rows = ['event,round,competitor,item,judge,mark,difficulty'];
    for (let c = 0; c < 12; c++)
      for (let dive = 1; dive <= 6; dive++)
        for (let j = 1; j <= 7; j++)
          rows.push(
            `"Men's 10 m",Final,"C${c}",dive-${dive},J${j},${((c * 7 + dive * 3 + j) % 21) / 2},3.${dive}`,
          );
    rows.push(
      '"Men\'s 10 m",Final,C0,dive-1,J1,5,3.1',
      'E,Final,C1,dive-1,J9,10.25,3.1',
      'E,Final,C2,dive-2,J1,5,x',
    );
    const text = `${rows.join('\r\n')}\r\n`;
    const scheme = diving;
    const whole = readMarksCsv(text, scheme);
    expect(whole.errors.map((e) => e.line)).toEqual([506, 507, 508]);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 20 }), (at) => {
        const reader = new MarksReader(scheme);
        for (const piece of cut(text, at)) reader.push(piece);
        expect(reader.end()).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });
});
