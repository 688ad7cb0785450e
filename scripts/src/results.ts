/**
 * pnpm results --scheme <template | scheme.json> --marks <marks.csv> [--format json|csv|table]
 *
 * Recomputes standings offline from a marks file, the way an appeals jury verifies official results.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  csvRow,
  eventJson,
  getTemplate,
  parseScheme,
  readMarksCsv,
  type Scheme,
  scoreEvent,
  templateNames,
} from '@jiangxin/shared';
import { runAsMain, UsageError, withUsage } from './cli';

export function loadScheme(nameOrPath: string): Scheme {
  if (!nameOrPath.endsWith('.json')) {
    const template = getTemplate(nameOrPath);
    if (!template) {
      throw new UsageError(
        `unknown template "${nameOrPath}"; templates: ${templateNames.join(', ')}; or give a .json file`,
      );
    }
    return template;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(nameOrPath, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read scheme ${nameOrPath}: ${(error as Error).message}`);
  }
  const parsed = parseScheme(json);
  if (!parsed.ok) {
    throw new UsageError(
      `scheme ${nameOrPath} is invalid:\n${parsed.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`,
    );
  }
  return parsed.scheme;
}

type Format = 'json' | 'csv' | 'table';

export function formatResults(events: ReturnType<typeof eventJson>[], format: Format): string {
  if (format === 'json') return `${JSON.stringify({ events }, null, 2)}\n`;
  const rows = events.flatMap((e) =>
    e.standings.map((s) => [
      e.event,
      s.rank === null ? 'DSQ' : String(s.rank),
      s.competitor,
      s.total ?? '',
      s.round,
      s.decidedBy ?? '',
    ]),
  );
  const header = ['event', 'rank', 'competitor', 'total', 'round', 'decidedBy'];
  if (format === 'csv') return `${[header, ...rows].map(csvRow).join('\n')}\n`;
  return textTable(header, rows);
}

/** Columns padded to their widest value, two spaces apart. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return `${[header, ...rows]
    .map((r) =>
      r
        .map((v, i) => v.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** Runs the tool; returns the process exit code. Output goes through the given writers so tests can call it. */
export function runResults(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  return withUsage(() => {
    const { values } = parseArgs({
      args: argv,
      options: {
        scheme: { type: 'string' },
        marks: { type: 'string' },
        format: { type: 'string', default: 'json' },
      },
      strict: true,
    });
    if (!values.scheme || !values.marks)
      throw new UsageError(
        'usage: pnpm results --scheme <template | scheme.json> --marks <marks.csv> [--format json|csv|table]',
      );
    const format = values.format as Format;
    if (!['json', 'csv', 'table'].includes(format))
      throw new UsageError(`--format must be json, csv or table, not "${format}"`);
    const scheme = loadScheme(values.scheme);
    let text: string;
    try {
      text = readFileSync(values.marks, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read marks ${values.marks}: ${(error as Error).message}`);
    }
    const file = readMarksCsv(text, scheme);
    if (file.errors.length > 0) {
      err(`${values.marks}: ${file.errors.length} malformed row(s); nothing was computed:\n`);
      for (const e of file.errors) err(`  line ${e.line}: ${e.message.en}\n`);
      return 1;
    }
    const events = file.events.map((e) =>
      eventJson(scheme, e.event, scoreEvent(scheme, e.marks, e.difficulties)),
    );
    out(formatResults(events, format));
    return 0;
  }, err);
}

runAsMain(import.meta.url, runResults);
