import { joinLocalized, type Localized, localized } from '../i18n';
import { fieldCountError, type LineError, readCsvTable } from '../results/marks-csv';
import type { CompetitorRecord } from './evaluate';
import { type SkillLevel, skillLevelNames, skillLevels } from './schema';

/**
 * The people file of `pnpm honours`: what the honour rules need to know about each competitor. In a team
 * event a row is a member, and the optional `team` column names the team as the results name it.
 */
export const PEOPLE_CSV_COLUMNS = [
  'competitor',
  'unit',
  'frontline',
  'unionMember',
  'skillLevel',
  'unitHead',
] as const;

const YES = ['yes', 'y', 'true', '1', '是'];
const NO = ['no', 'n', 'false', '0', '否'];

/** yes/no (是/否) as a boolean, or null when it is neither. */
export function parseFlag(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (YES.includes(t)) return true;
  if (NO.includes(t)) return false;
  return null;
}

/** A skill level by its id (`technician`) or Chinese name (技师); empty is `none`; null when unknown. */
export function parseSkillLevel(text: string): SkillLevel | null {
  const t = text.trim();
  if (t === '' || t === '无') return 'none';
  return skillLevels.find((l) => l === t || skillLevelNames[l]['zh-CN'] === t) ?? null;
}

export const skillLevelChoices: Localized = localized(
  skillLevels.map((l) => skillLevelNames[l]['zh-CN']).join('、'),
  skillLevels.join(', '),
);

export interface PeopleFile {
  people: (CompetitorRecord & { line: number })[];
  errors: LineError[];
}

/** Reads a people CSV; every malformed row is reported with its line, nothing is skipped silently. */
export function readPeopleCsv(text: string): PeopleFile {
  const { columns, rows, errors } = readCsvTable(text, PEOPLE_CSV_COLUMNS, PEOPLE_CSV_COLUMNS.join(','));
  if (!columns) return { people: [], errors };
  const people: PeopleFile['people'] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of rows) {
    const get = (name: string) => (fields[columns.indexOf(name)] ?? '').trim();
    const problems: Localized[] = [];
    if (fields.length !== columns.length) {
      errors.push(fieldCountError(line, fields.length, columns.length));
      continue;
    }
    const competitor = get('competitor');
    if (competitor === '') problems.push(localized('competitor 为空', 'competitor is empty'));
    const earlier = seen.get(competitor);
    if (earlier !== undefined)
      problems.push(
        localized(`与第 ${earlier} 行重复`, `competitor ${competitor} is already on line ${earlier}`),
      );
    seen.set(competitor, line);
    const flags = Object.fromEntries(
      (['frontline', 'unionMember', 'unitHead'] as const).map((name) => {
        const value = parseFlag(get(name));
        if (value === null)
          problems.push(
            localized(`${name}“${get(name)}”应为 yes 或 no`, `${name} "${get(name)}" must be yes or no`),
          );
        return [name, value ?? false];
      }),
    ) as Record<'frontline' | 'unionMember' | 'unitHead', boolean>;
    const skillLevel = parseSkillLevel(get('skillLevel'));
    if (skillLevel === null)
      problems.push(
        localized(
          `未知技能等级“${get('skillLevel')}”；应为 ${skillLevelChoices['zh-CN']}`,
          `unknown skillLevel "${get('skillLevel')}"; expected ${skillLevelChoices.en}`,
        ),
      );
    if (problems.length > 0) {
      errors.push({
        line,
        message: joinLocalized(problems),
      });
      continue;
    }
    const team = get('team');
    people.push({
      line,
      competitor,
      unit: get('unit'),
      skillLevel: skillLevel ?? 'none',
      ...flags,
      ...(team ? { team } : {}),
    });
  }
  return { people, errors };
}
