/**
 * pnpm honours --rules <template | rules.json> --results <results.json> --people <people.csv>
 *              [--class <class>] [--format json|table]
 *
 * Honour eligibility offline, on the output of `pnpm results --format json` and a people file, the way an
 * organizer checks a recommendation list before sending it.
 */
import {
  type CompetitionClass,
  competitionClasses,
  evaluateHonours,
  type HonoursEvaluation,
  honourResults,
  readPeopleCsv,
} from '@jiangxin/shared';
import { readFlags, readJson, readText, runAsMain, UsageError, withUsage } from './cli';
import { textTable } from './results';
import { loadHonourRules } from './scheme-file';

const USAGE =
  'usage: pnpm honours --rules <template | rules.json> --results <results.json> --people <people.csv> ' +
  '[--class <class>] [--format json|table]';

/**
 * The JSON of the issue: each candidate's honour, event, competitor, place, verdict and conditions (and, in a
 * team event, the member's team).
 */
export function honoursJson(evaluation: HonoursEvaluation) {
  return {
    candidates: evaluation.candidates.map((c) => ({
      honour: c.honour,
      event: c.event,
      competitor: c.competitor,
      ...(c.team ? { team: c.team } : {}),
      place: c.place,
      recommended: c.recommended,
      conditions: c.conditions,
    })),
    ties: evaluation.ties,
    listRules: evaluation.listRules,
  };
}

function table(evaluation: HonoursEvaluation): string {
  const rows = evaluation.candidates
    .filter((c) => c.recommended || c.conditions[0]?.passed)
    .map((c) => [
      c.honour,
      c.event,
      c.team && c.team !== c.competitor ? `${c.competitor} (${c.team})` : c.competitor,
      c.place === null ? 'DSQ' : String(c.place),
      c.recommended ? 'yes' : 'no',
      c.conditions
        .filter((x) => !x.passed)
        .map((x) => `${x.id}: ${x.figure.en}`)
        .join('; '),
    ]);
  const notes = [
    ...evaluation.ties.map((t) => `tie (${t.honour}): ${t.competitors.join(', ')}: ${t.figure.en}`),
    ...evaluation.listRules.map((r) => `${r.passed ? 'ok' : 'BROKEN'} ${r.id}: ${r.figure.en}`),
  ];
  return `${textTable(['honour', 'event', 'competitor', 'place', 'recommended', 'failed'], rows)}${notes.map((n) => `${n}\n`).join('')}`;
}

/** Runs the tool; returns the process exit code. Output goes through the given writers so tests can call it. */
export function runHonours(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  return withUsage(() => {
    const values = readFlags(argv, ['rules', 'results', 'people', 'class', 'format']);
    if (!values.rules || !values.results || !values.people) throw new UsageError(USAGE);
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'table')
      throw new UsageError(`--format must be json or table, not "${format}"`);
    const competitionClass = values.class ?? null;
    if (competitionClass !== null && !competitionClasses.includes(competitionClass as CompetitionClass))
      throw new UsageError(
        `--class must be one of ${competitionClasses.join(', ')}, not "${competitionClass}"`,
      );
    const rules = loadHonourRules(values.rules);

    const results = honourResults.safeParse(readJson('results', values.results));
    if (!results.success) {
      err(`${values.results}: not the JSON of \`pnpm results --format json\`; nothing was computed:\n`);
      for (const i of results.error.issues) err(`  ${i.path.join('.') || '(file)'}: ${i.message}\n`);
      return 1;
    }
    const people = readPeopleCsv(readText('people', values.people));
    const errors = people.errors.map((e) => `  line ${e.line}: ${e.message.en}`);
    const inResults = new Set(results.data.events.flatMap((e) => e.standings.map((s) => s.competitor)));
    for (const p of people.people)
      if (p.team ? !inResults.has(p.team) : !inResults.has(p.competitor))
        errors.push(
          p.team
            ? `  line ${p.line}: unknown team "${p.team}": not in ${values.results}`
            : `  line ${p.line}: unknown competitor "${p.competitor}": not in ${values.results}`,
        );
    // A team is recorded through its members' rows.
    const recorded = new Set(people.people.map((p) => p.team || p.competitor));
    results.data.events.forEach((e, i) => {
      e.standings.forEach((s, j) => {
        if (!recorded.has(s.competitor) && !people.errors.length)
          errors.push(
            `  ${values.results} events.${i}.standings.${j}: competitor "${s.competitor}" has no row`,
          );
      });
    });
    if (errors.length > 0) {
      err(`${values.people}: ${errors.length} problem(s); nothing was computed:\n${errors.join('\n')}\n`);
      return 1;
    }
    const evaluation = evaluateHonours(rules, results.data, people.people, {
      class: competitionClass as CompetitionClass | null,
    });
    out(format === 'json' ? `${JSON.stringify(honoursJson(evaluation), null, 2)}\n` : table(evaluation));
    return 0;
  }, err);
}

runAsMain(import.meta.url, runHonours);
