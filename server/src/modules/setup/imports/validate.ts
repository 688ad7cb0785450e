import { randomUUID } from 'node:crypto';
import {
  type CompetitorView,
  describeTextProblem,
  type ImportRejection,
  type JudgeView,
  parseFlag,
  parseSkillLevel,
  personText,
  type SkillLevel,
  skillLevelChoices,
  type TextRule,
  textProblem,
} from '@jiangxin/shared';
import { type Locale, type Localized, localized } from '../../../plugins/errors';
import type { SetupDeps } from '../common';
import { ID_PROBLEMS, type Identity, identify } from '../people';
import { type Columns, FIELD_NAMES, type Field, type ParsedImport, type RawRecord } from './parse';

/**
 * Validating an import: each record becomes a checked row ready to store, or the rejections naming every
 * problem of its row, in the caller's language. Nothing here reads the database; what only the database
 * can tell (an ID number already registered, a recusal no reserve can take) is decided in store.ts.
 */

export const COMPETITOR_COLUMNS: Columns = {
  required: ['name', 'unit', 'region', 'frontline', 'unionMember'],
  // What honour rules need (no column, or an empty cell: no level held, not a unit head), and the ID number.
  optional: ['idNumber', 'skillLevel', 'unitHead'],
};

/** A team event's import: one row per member, naming the member's team. */
export const TEAM_COLUMNS: Columns = {
  required: [...COMPETITOR_COLUMNS.required, 'team'],
  optional: COMPETITOR_COLUMNS.optional,
};

export const JUDGE_COLUMNS: Columns = { required: ['name', 'unit', 'region'], optional: [] };

/** A row that passed every check: its row number, the id it will be registered under, and the person. */
export interface CheckedJudge extends Pick<JudgeView, 'name' | 'unit' | 'region'> {
  row: number;
  id: string;
}

export interface CheckedCompetitor
  extends CheckedJudge,
    Pick<CompetitorView, 'frontline' | 'unionMember' | 'skillLevel' | 'unitHead'> {
  identity: Identity | null;
  /** A team event: the member's team as the file names it. */
  team?: string;
}

export interface CheckedImport<Row> {
  accepted: Row[];
  /** The unreadable rows first, then every problem of every rejected row in row order. */
  rejected: ImportRejection[];
}

const FLAGS: readonly Field[] = ['frontline', 'unionMember', 'unitHead'];

/** The text columns follow the API's rule for the same fields. */
const TEXT_RULES: Partial<Record<Field, TextRule>> = { ...personText, team: personText.name };

export const rejection = (
  row: number,
  field: string,
  message: Localized,
  locale: Locale,
): ImportRejection => ({
  row,
  field,
  message: message[locale],
});

type Problem = { field: Field; message: Localized };

interface RowCheck {
  problems: Problem[];
  text(field: Field): string;
  flag(field: Field): boolean;
  level(): SkillLevel;
}

/** Reads one row's fields (an empty optional one keeps its default), collecting every problem. */
function checkRow(record: RawRecord, { required, optional }: Columns): RowCheck {
  const problems: Problem[] = [];
  const raw = (field: Field) => record.cells[field] ?? '';
  const texts = new Map<Field, string>();
  const flags = new Map<Field, boolean>();
  let level: SkillLevel = 'none';
  for (const field of [...required, ...optional]) {
    const value = raw(field);
    const name = FIELD_NAMES[field];
    const shown = value.length > 20 ? `${value.slice(0, 20)}…` : value;
    if (value === '' && optional.includes(field)) continue;
    if (value === '') {
      problems.push({ field, message: localized(`缺少${name['zh-CN']}`, `${name.en} is missing`) });
      continue;
    }
    if (field === 'skillLevel') {
      const parsed = parseSkillLevel(value);
      if (parsed) level = parsed;
      else
        problems.push({
          field,
          message: localized(
            `${name['zh-CN']}应为${skillLevelChoices['zh-CN']}之一，而不是“${shown}”`,
            `${name.en} must be one of ${skillLevelChoices.en}, not "${shown}"`,
          ),
        });
      continue;
    }
    if (FLAGS.includes(field)) {
      const flag = parseFlag(value);
      if (flag !== null) flags.set(field, flag);
      else {
        problems.push({
          field,
          message: localized(
            `${name['zh-CN']}应为“是/否”、yes/no、true/false 或 1/0，而不是“${shown}”`,
            `${name.en} must be 是/否, yes/no, true/false or 1/0, not "${shown}"`,
          ),
        });
      }
      continue;
    }
    const rule = TEXT_RULES[field];
    const problem = rule ? textProblem(value, rule) : null;
    if (problem) {
      const says = describeTextProblem(problem);
      problems.push({
        field,
        message: localized(`${name['zh-CN']}${says['zh-CN']}`, `${name.en} ${says.en}`),
      });
      continue;
    }
    texts.set(field, value);
  }
  return {
    problems,
    text: (field) => texts.get(field) ?? raw(field),
    flag: (field) => flags.get(field) ?? false,
    level: () => level,
  };
}

/** What a competitor's and a judge's checked rows share. */
const personOf = (record: RawRecord, check: RowCheck): CheckedJudge => ({
  row: record.row,
  id: randomUUID(),
  name: check.text('name'),
  unit: check.text('unit'),
  region: check.text('region'),
});

const brokenRows = (parsed: ParsedImport, locale: Locale) =>
  parsed.broken.map((b) => rejection(b.row, 'content', b.message, locale));

/** The problems of a row's ID number: kept as a number (digits lost), malformed, or repeated in the file. */
function idNumberProblems(
  record: RawRecord,
  identity: ReturnType<typeof identify>,
  otherProblems: number,
  seenIds: Map<string, number>,
): Problem[] {
  if (record.lossy.has('idNumber')) {
    return [
      {
        field: 'idNumber',
        message: localized(
          '身份证号以数字格式保存，末几位已丢失；请将该列设为文本格式后重新填写',
          'the ID number was stored as a number, which loses its last digits; format the column as text and enter it again',
        ),
      },
    ];
  }
  if (identity && 'problem' in identity) {
    const p = ID_PROBLEMS[identity.problem];
    return [{ field: 'idNumber', message: localized(`身份证号${p['zh-CN']}`, `the ID number ${p.en}`) }];
  }
  // Against the rows accepted so far: a bad row never makes a later good one a duplicate.
  if (!identity || otherProblems > 0) return [];
  const earlier = seenIds.get(identity.hash);
  if (earlier === undefined) {
    seenIds.set(identity.hash, record.row);
    return [];
  }
  return [
    {
      field: 'idNumber',
      message: localized(`身份证号与第 ${earlier} 行重复`, `the ID number is the same as on row ${earlier}`),
    },
  ];
}

export function validateCompetitors(
  hmac: SetupDeps['hmac'],
  parsed: ParsedImport,
  locale: Locale,
): CheckedImport<CheckedCompetitor> {
  const rejected = brokenRows(parsed, locale);
  const accepted: CheckedCompetitor[] = [];
  const seenIds = new Map<string, number>();
  for (const record of parsed.records) {
    const check = checkRow(record, COMPETITOR_COLUMNS);
    const identity = identify(hmac, check.text('idNumber'));
    const problems = [
      ...check.problems,
      ...idNumberProblems(record, identity, check.problems.length, seenIds),
    ];
    if (problems.length > 0) {
      rejected.push(...problems.map((p) => rejection(record.row, p.field, p.message, locale)));
      continue;
    }
    accepted.push({
      ...personOf(record, check),
      frontline: check.flag('frontline'),
      unionMember: check.flag('unionMember'),
      skillLevel: check.level(),
      unitHead: check.flag('unitHead'),
      identity: identity as Identity | null,
      ...(record.cells.team !== undefined ? { team: check.text('team') } : {}),
    });
  }
  return { accepted, rejected };
}

export function validateJudges(parsed: ParsedImport, locale: Locale): CheckedImport<CheckedJudge> {
  const rejected = brokenRows(parsed, locale);
  const accepted: CheckedJudge[] = [];
  for (const record of parsed.records) {
    const check = checkRow(record, JUDGE_COLUMNS);
    if (check.problems.length > 0) {
      rejected.push(...check.problems.map((p) => rejection(record.row, p.field, p.message, locale)));
      continue;
    }
    accepted.push(personOf(record, check));
  }
  return { accepted, rejected };
}
