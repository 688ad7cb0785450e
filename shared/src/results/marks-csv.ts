import { Decimal } from '../decimal';
import { markProblem } from '../engine/aspects';
import { describeItems, resolveItem } from '../engine/items';
import type { DifficultyInput, EventMarkInput } from '../engine/types';
import { joinLocalized, type Localized, localized } from '../i18n';
import type { Scheme } from '../scheme/schema';

/** The marks file an appeals jury re-verifies: one row per judge's mark. */
export const MARKS_CSV_COLUMNS = ['event', 'round', 'competitor', 'item', 'judge', 'mark'] as const;
export const MARKS_CSV_OPTIONAL_COLUMNS = ['difficulty'] as const;
const expectedColumns = [...MARKS_CSV_COLUMNS, ...MARKS_CSV_OPTIONAL_COLUMNS].join(',');

export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface LineError {
  line: number;
  message: Localized;
}

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into records with their line numbers. */
export function parseCsv(text: string): { records: CsvRecord[]; errors: LineError[] } {
  const records: CsvRecord[] = [];
  const errors: LineError[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]?.trim() === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (quoted)
    errors.push({ line: recordLine, message: localized('引号未闭合', 'a quoted field is not closed') });
  else if (field !== '' || fields.length > 0) endRecord();
  return { records, errors };
}

/** A row whose field count differs from the header's. */
export const fieldCountError = (line: number, fields: number, columns: number): LineError => ({
  line,
  message: localized(
    `有 ${fields} 个字段，表头有 ${columns} 个`,
    `has ${fields} fields, the header has ${columns}`,
  ),
});

/**
 * A CSV file with a header row: its columns (as `normalise` writes them) and data rows, or, when the file
 * is empty or lacks a required column, no columns and the error.
 */
export function readCsvTable(
  text: string,
  required: readonly string[],
  expected: string,
  normalise: (field: string) => string = (f) => f.trim(),
): { columns: string[] | null; headerLine: number; rows: CsvRecord[]; errors: LineError[] } {
  const { records, errors } = parseCsv(text);
  const [header, ...rows] = records;
  if (!header)
    return {
      columns: null,
      headerLine: 1,
      rows: [],
      errors: [...errors, { line: 1, message: localized('文件为空', 'the file is empty') }],
    };
  const columns = header.fields.map(normalise);
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length === 0) return { columns, headerLine: header.line, rows, errors };
  errors.push({
    line: header.line,
    message: localized(
      `缺少列 ${missing.join('、')}；应为 ${expected}`,
      `missing column(s) ${missing.join(', ')}; expected ${expected}`,
    ),
  });
  return { columns: null, headerLine: header.line, rows: [], errors };
}

export interface EventMarks {
  event: string;
  marks: EventMarkInput[];
  difficulties: DifficultyInput[];
}

export interface MarksFile {
  events: EventMarks[];
  errors: LineError[];
}

/** The scheme each event of a marks file is read against: one for all, or one per event (none: a bad line). */
export type SchemeOfEvent = Scheme | ((event: string) => Scheme | undefined);

/**
 * Reads a marks file against a scheme (or each event against its own). Every row is checked (round, item,
 * mark range and step, difficulty, duplicates); every problem is reported with its line number and nothing
 * is silently skipped.
 */
export function readMarksCsv(text: string, schemes: SchemeOfEvent): MarksFile {
  const { columns, headerLine, rows, errors } = readCsvTable(text, MARKS_CSV_COLUMNS, expectedColumns, (f) =>
    f.trim().toLowerCase(),
  );
  if (!columns) return { events: [], errors };
  const col = (name: string) => columns.indexOf(name);
  const schemeOf = typeof schemes === 'function' ? schemes : () => schemes;
  const events = new Map<string, EventMarks>();
  const seen = new Map<string, number>();
  const declared = new Map<string, { difficulty: Decimal; line: number }>();
  const listed = new Set<string>();

  for (const { line, fields } of rows) {
    const problems: Localized[] = [];
    if (fields.length !== columns.length) {
      errors.push(fieldCountError(line, fields.length, columns.length));
      continue;
    }
    const get = (name: string) => (col(name) >= 0 ? (fields[col(name)] ?? '').trim() : '');
    const [event, round, competitor, item, judge, markText, difficultyText] = [
      get('event'),
      get('round'),
      get('competitor'),
      get('item'),
      get('judge'),
      get('mark'),
      get('difficulty'),
    ];
    for (const [name, value] of Object.entries({ event, round, competitor, item, judge, mark: markText })) {
      if (value === '') problems.push(localized(`${name} 为空`, `${name} is empty`));
    }
    const scheme = schemeOf(event);
    if (!scheme) {
      if (event !== '')
        problems.push(localized(`赛项“${event}”没有评分标准`, `no scheme is given for event "${event}"`));
      errors.push({ line, message: joinLocalized(problems) });
      continue;
    }
    const roundIds = scheme.rounds.map((r) => r.id);
    if (round !== '' && !roundIds.includes(round)) {
      problems.push(
        localized(
          `未知轮次“${round}”；评分标准的轮次为：${roundIds.join('、')}`,
          `unknown round "${round}"; the scheme's rounds are: ${roundIds.join(', ')}`,
        ),
      );
    }
    // In a known round, only that round's attempts (a semifinal of five dives has no dive-6).
    const inRound = roundIds.includes(round) && scheme.rounds.some((r) => r.attempts) ? round : undefined;
    const ref = item === '' ? null : resolveItem(scheme, item, inRound);
    if (item !== '' && !ref)
      problems.push(
        localized(
          `未知评分项“${item}”；评分标准${inRound ? `在轮次 ${inRound} ` : ''}的评分项为：${describeItems(scheme, inRound)}`,
          `unknown item "${item}"; the scheme's items${inRound ? ` in round ${inRound}` : ''} are: ${describeItems(scheme, inRound)}`,
        ),
      );
    if (markText !== '' && !Decimal.isDecimal(markText)) {
      problems.push(localized(`分数“${markText}”不是数字`, `mark "${markText}" is not a number`));
    } else if (markText !== '' && ref) {
      const why = markProblem(ref.aspect, Decimal.of(markText));
      if (why) {
        problems.push(
          localized(
            `${ref.aspect.id} 的分数 ${markText} ${why['zh-CN']}`,
            `mark ${markText} for ${ref.aspect.id} ${why.en}`,
          ),
        );
      }
    }
    const needsDifficulty = ref?.component.attempts?.difficulty === true;
    if (difficultyText !== '' && !Decimal.isDecimal(difficultyText)) {
      problems.push(
        localized(`难度系数“${difficultyText}”不是数字`, `difficulty "${difficultyText}" is not a number`),
      );
    } else if (needsDifficulty && difficultyText === '')
      problems.push(
        localized(`难度系数为空；${item} 需要难度系数`, `difficulty is empty; ${item} needs one`),
      );
    else if (needsDifficulty && !Decimal.of(difficultyText).gt(Decimal.ZERO))
      problems.push(localized('难度系数须大于 0', 'difficulty must be above 0'));

    const key = [event, round, competitor, item, judge].join('\u0000');
    const earlier = seen.get(key);
    if (earlier !== undefined)
      problems.push(
        localized(
          `与第 ${earlier} 行重复（同一选手、评分项和裁判）`,
          `duplicate of line ${earlier} (same competitor, item and judge)`,
        ),
      );

    if (problems.length === 0 && ref && needsDifficulty && ref.attempt !== null) {
      const attemptKey = [event, round, competitor, ref.attempt].join('\u0000');
      const difficulty = Decimal.of(difficultyText);
      const first = declared.get(attemptKey);
      if (first && !first.difficulty.eq(difficulty)) {
        problems.push(
          localized(
            `难度系数 ${difficultyText} 与第 ${first.line} 行的 ${first.difficulty.toString()} 不同`,
            `difficulty ${difficultyText} differs from ${first.difficulty.toString()} on line ${first.line}`,
          ),
        );
      } else if (!first) declared.set(attemptKey, { difficulty, line });
    }

    if (problems.length > 0) {
      errors.push({ line, message: joinLocalized(problems) });
      continue;
    }
    seen.set(key, line);
    const entry = events.get(event) ?? { event, marks: [], difficulties: [] };
    events.set(event, entry);
    entry.marks.push({ round, competitor, item, judge, value: markText });
    if (needsDifficulty && ref?.attempt != null) {
      const attempt = ref.attempt;
      // A set, not a scan of the event's difficulties per row (that made reading quadratic in the file).
      const attemptKey = [event, round, competitor, attempt].join('\u0000');
      if (!listed.has(attemptKey)) {
        listed.add(attemptKey);
        entry.difficulties.push({ round, competitor, attempt, difficulty: difficultyText });
      }
    }
  }
  if (rows.length === 0) {
    errors.push({
      line: headerLine,
      message: localized('文件只有表头，没有分数', 'the file has a header but no marks'),
    });
  }
  return { events: [...events.values()], errors };
}
