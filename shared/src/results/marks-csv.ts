import { Decimal } from '../decimal';
import { markProblem } from '../engine/aspects';
import { type RankedEvent, rankEvent, scoreEvent, withoutBreakdown } from '../engine/event';
import { describeItems, resolveItem } from '../engine/items';
import type { DifficultyInput, EventMarkInput, EventMissingMarkInput } from '../engine/types';
import { joinLocalized, type Localized, localized } from '../i18n';
import type { Aspect, Scheme } from '../scheme/schema';
import { eventJson } from './report';

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

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * RFC 4180 (quoted fields, doubled quotes, CRLF or LF) read in pieces, such as a file's chunks: each record
 * goes to `onRecord` with its line number as soon as it is complete, so a file is never held whole.
 */
export class CsvStream {
  readonly errors: LineError[] = [];
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private line = 1;
  private recordLine = 1;
  /** Text whose meaning depends on what follows (a quote or a CR at the end of a piece). */
  private carry = '';
  private started = false;

  constructor(private readonly onRecord: (record: CsvRecord) => void) {}

  push(piece: string): void {
    this.scan(this.carry + piece, false);
  }

  end(): void {
    this.scan(this.carry, true);
    if (this.quoted)
      this.errors.push({
        line: this.recordLine,
        message: localized('引号未闭合', 'a quoted field is not closed'),
      });
    else if (this.field !== '' || this.fields.length > 0) this.endRecord();
  }

  private endRecord() {
    this.fields.push(this.field);
    const fields = this.fields;
    if (!(fields.length === 1 && fields[0]?.trim() === '')) this.onRecord({ line: this.recordLine, fields });
    this.fields = [];
    this.field = '';
  }

  private scan(text: string, final: boolean) {
    this.carry = '';
    let body = text;
    if (!this.started && body !== '') {
      this.started = true;
      if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
    }
    const n = body.length;
    let i = 0;
    while (i < n) {
      if (this.quoted) {
        const quote = body.indexOf('"', i);
        const end = quote < 0 ? n : quote;
        for (let lf = body.indexOf('\n', i); lf >= 0 && lf < end; lf = body.indexOf('\n', lf + 1))
          this.line++;
        this.field += body.slice(i, end);
        if (end === n) return;
        if (end + 1 === n && !final) {
          this.carry = '"';
          return;
        }
        if (body.charCodeAt(end + 1) === QUOTE) {
          this.field += '"';
          i = end + 2;
        } else {
          this.quoted = false;
          i = end + 1;
        }
        continue;
      }
      const c = body.charCodeAt(i);
      if (c === QUOTE && this.field === '') {
        this.quoted = true;
        i++;
      } else if (c === COMMA) {
        this.fields.push(this.field);
        this.field = '';
        i++;
      } else if (c === LF || c === CR) {
        if (c === CR) {
          if (i + 1 === n && !final) {
            this.carry = '\r';
            return;
          }
          if (body.charCodeAt(i + 1) === LF) i++;
        }
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
        i++;
      } else {
        // An unquoted run up to the next delimiter in one slice (a quote inside it is an ordinary character).
        let j = i + 1;
        for (; j < n; j++) {
          const d = body.charCodeAt(j);
          if (d === COMMA || d === LF || d === CR) break;
        }
        this.field += body.slice(i, j);
        i = j;
      }
    }
  }
}

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into records with their line numbers. */
export function parseCsv(text: string): { records: CsvRecord[]; errors: LineError[] } {
  const records: CsvRecord[] = [];
  const csv = new CsvStream((record) => records.push(record));
  csv.push(text);
  csv.end();
  return { records, errors: csv.errors };
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
  const { columns, error } = tableColumns(header, required, expected, normalise);
  if (columns) return { columns, headerLine: header.line, rows, errors };
  if (error) errors.push(error);
  return { columns: null, headerLine: header.line, rows: [], errors };
}

/** A header row's columns (as `normalise` writes them), or null and the error naming the missing ones. */
function tableColumns(
  header: CsvRecord,
  required: readonly string[],
  expected: string,
  normalise: (field: string) => string,
): { columns: string[] | null; error: LineError | null } {
  const columns = header.fields.map(normalise);
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length === 0) return { columns, error: null };
  return {
    columns: null,
    error: {
      line: header.line,
      message: localized(
        `缺少列 ${missing.join('、')}；应为 ${expected}`,
        `missing column(s) ${missing.join(', ')}; expected ${expected}`,
      ),
    },
  };
}

export interface EventMarks {
  event: string;
  marks: EventMarkInput[];
  difficulties: DifficultyInput[];
  /** Seats the chief judge replaced under the scheme's missing-mark rule: rows whose mark is `missing`. */
  missingMarks: EventMissingMarkInput[];
}

/**
 * The mark of a seat whose judge could not mark (a dead tablet) and which the chief judge replaced under the
 * scheme's `missingMark` rule: the engine puts the average of the others in its place.
 */
export const MISSING_MARK = 'missing';

/** An event of a marks file scored by its scheme, as `pnpm results` prints it. */
export const scoreFileEvent = (scheme: Scheme, e: EventMarks) =>
  eventJson(scheme, e.event, scoreEvent(scheme, e.marks, e.difficulties, [], e.missingMarks));

/** An event of a marks file ranked as `scoreFileEvent` ranks it, keeping no breakdown (decision 029). */
export const rankFileEvent = (scheme: Scheme, e: EventMarks): RankedEvent =>
  rankEvent(scheme, { ...e, entries: [] }, { keep: withoutBreakdown });

export interface MarksFile {
  events: EventMarks[];
  errors: LineError[];
}

/** The scheme each event of a marks file is read against: one for all, or one per event (none: a bad line). */
export type SchemeOfEvent = Scheme | ((event: string) => Scheme | undefined);

/** Keeps one copy of a text that repeats (a competitor's code on each of their marks, a judge, a mark). */
function intern(known: Map<string, string>, text: string): string {
  const copy = known.get(text);
  if (copy !== undefined) return copy;
  known.set(text, text);
  return text;
}

const MARKS_FIELDS = ['event', 'round', 'competitor', 'item', 'judge', 'mark', 'difficulty'] as const;

/**
 * Reads a marks file against a scheme (or each event against its own), in pieces (`push` each chunk of the file, then `end`), so that a file
 * of a million marks is never held whole as text. Every row is checked (round, item, mark range and step,
 * difficulty, duplicates); every problem is reported with its line number and nothing is silently skipped.
 */
export class MarksReader {
  private readonly csv = new CsvStream((record) => this.record(record));
  /** The header's columns: undefined before it is read, null when it lacks a required column. */
  private columns: string[] | null | undefined = undefined;
  private headerLine = 1;
  private rows = 0;
  private readonly errors: LineError[] = [];
  private readonly schemeOf: (event: string) => Scheme | undefined;
  private readonly roundIdsOf = new Map<Scheme, string[]>();
  private readonly events = new Map<string, EventMarks>();
  private readonly seen = new Map<string, number>();
  private readonly declared = new Map<string, { difficulty: Decimal; line: number }>();
  private readonly listed = new Set<string>();
  /** Each field's column, -1 when absent. */
  private index: number[] = [];
  private readonly interned = MARKS_FIELDS.map(() => new Map<string, string>());

  constructor(schemes: SchemeOfEvent) {
    this.schemeOf = typeof schemes === 'function' ? schemes : () => schemes;
  }

  push(piece: string): void {
    this.csv.push(piece);
  }

  end(): MarksFile {
    this.csv.end();
    const errors = [...this.csv.errors, ...this.errors];
    if (this.columns === undefined)
      return {
        events: [],
        errors: [...errors, { line: 1, message: localized('文件为空', 'the file is empty') }],
      };
    if (this.columns === null) return { events: [], errors };
    if (this.rows === 0) {
      errors.push({
        line: this.headerLine,
        message: localized('文件只有表头，没有分数', 'the file has a header but no marks'),
      });
    }
    return { events: [...this.events.values()], errors };
  }

  /** Whether a mark's text is a valid value for the aspect, decided once per distinct text. */
  private readonly problems = new Map<Aspect, Map<string, Localized | null>>();
  private markProblem(aspect: Aspect, text: string): Localized | null {
    let known = this.problems.get(aspect);
    if (!known) {
      known = new Map();
      this.problems.set(aspect, known);
    }
    let why = known.get(text);
    if (why === undefined) {
      why = markProblem(aspect, Decimal.of(text));
      known.set(text, why);
    }
    return why;
  }

  private record(record: CsvRecord) {
    if (this.columns === undefined) {
      this.headerLine = record.line;
      const { columns, error } = tableColumns(record, MARKS_CSV_COLUMNS, expectedColumns, (f) =>
        f.trim().toLowerCase(),
      );
      if (error) this.errors.push(error);
      this.columns = columns;
      if (columns) this.index = MARKS_FIELDS.map((name) => columns.indexOf(name));
      return;
    }
    if (this.columns === null) return;
    this.rows++;
    this.row(record, this.columns);
  }

  private row({ line, fields }: CsvRecord, columns: string[]) {
    const { events, seen, declared, listed, errors } = this;
    const problems: Localized[] = [];
    if (fields.length !== columns.length) {
      errors.push(fieldCountError(line, fields.length, columns.length));
      return;
    }
    const { index, interned } = this;
    const [event, round, competitor, item, judge, markText, difficultyText] = index.map((at, k) =>
      at < 0 ? '' : intern(interned[k] as Map<string, string>, (fields[at] ?? '').trim()),
    ) as [string, string, string, string, string, string, string];
    const required = [event, round, competitor, item, judge, markText];
    MARKS_CSV_COLUMNS.forEach((name, k) => {
      if (required[k] === '') problems.push(localized(`${name} 为空`, `${name} is empty`));
    });
    const scheme = this.schemeOf(event);
    if (!scheme) {
      if (event !== '')
        problems.push(localized(`赛项“${event}”没有评分标准`, `no scheme is given for event "${event}"`));
      errors.push({ line, message: joinLocalized(problems) });
      return;
    }
    let roundIds = this.roundIdsOf.get(scheme);
    if (!roundIds) {
      roundIds = scheme.rounds.map((r) => r.id);
      this.roundIdsOf.set(scheme, roundIds);
    }
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
    const missing = markText === MISSING_MARK;
    if (missing && (ref?.aspect.kind !== 'judgement' || scheme.missingMark !== 'averageOfOthers')) {
      problems.push(
        localized(
          `分数“${MISSING_MARK}”（缺席裁判的分数由其他裁判的平均分代替）只用于评分标准允许代替的裁判评分项`,
          `mark "${MISSING_MARK}" (a missing judge's mark replaced by the others' average) is only for a judged aspect of a scheme whose missingMark is averageOfOthers`,
        ),
      );
    } else if (missing) {
      // Replaced by the engine: neither a number nor range-checked.
    } else if (markText !== '' && !Decimal.isDecimal(markText)) {
      problems.push(localized(`分数“${markText}”不是数字`, `mark "${markText}" is not a number`));
    } else if (markText !== '' && ref) {
      const why = this.markProblem(ref.aspect, markText);
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
      return;
    }
    seen.set(key, line);
    const entry = events.get(event) ?? { event, marks: [], difficulties: [], missingMarks: [] };
    events.set(event, entry);
    if (missing) entry.missingMarks.push({ round, competitor, item, judge });
    else entry.marks.push({ round, competitor, item, judge, value: markText });
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
}

/** Reads a whole marks file's text against a scheme, or each event against its own (see MarksReader). */
export function readMarksCsv(text: string, schemes: SchemeOfEvent): MarksFile {
  const reader = new MarksReader(schemes);
  reader.push(text);
  return reader.end();
}
