/**
 * pnpm results --scheme <template | scheme.json> [--scheme EVENT=<template | scheme.json> …] --marks <marks.csv>
 * [--format json|csv|table]
 *
 * Recomputes standings offline from a marks file, the way an appeals jury verifies official results.
 */
import {
  csvRow,
  type EventJson,
  eventJson,
  type LineError,
  readMarksCsv,
  type Scheme,
  scoreEvent,
} from '@jiangxin/shared';
import { readFlags, readText, runAsMain, UsageError, withUsage } from './cli';
import { loadSchemes } from './scheme-file';

type Format = 'json' | 'csv' | 'table';

export function formatResults(events: EventJson[], format: Format): string {
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

/**
 * The standings of every event of a marks file, as `pnpm results` computes them (each event by its own
 * scheme); or the file's bad lines, and nothing computed.
 */
export function standingsOf(
  marksText: string,
  schemeOf: (event: string) => Scheme | undefined,
): { events: EventJson[]; errors: LineError[] } {
  const file = readMarksCsv(marksText, schemeOf);
  if (file.errors.length > 0) return { events: [], errors: file.errors };
  const events = file.events.flatMap((e) => {
    const scheme = schemeOf(e.event);
    return scheme ? [eventJson(scheme, e.event, scoreEvent(scheme, e.marks, e.difficulties))] : [];
  });
  return { events, errors: [] };
}

/** Runs the tool; returns the process exit code. Output goes through the given writers so tests can call it. */
export function runResults(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  return withUsage(() => {
    const values = readFlags(argv, ['scheme', 'marks', 'format'], ['scheme']);
    if (!values.scheme || !values.marks)
      throw new UsageError(
        'usage: pnpm results --scheme <template | scheme.json> [--scheme EVENT=<template | scheme.json> …] --marks <marks.csv> [--format json|csv|table]',
      );
    const format = (values.format ?? 'json') as Format;
    if (!['json', 'csv', 'table'].includes(format))
      throw new UsageError(`--format must be json, csv or table, not "${format}"`);
    const schemes = loadSchemes(values.scheme);
    const { events, errors } = standingsOf(readText('marks', values.marks), (e) => schemes(e)?.scheme);
    if (errors.length > 0) {
      err(`${values.marks}: ${errors.length} malformed row(s); nothing was computed:\n`);
      for (const e of errors) err(`  line ${e.line}: ${e.message.en}\n`);
      return 1;
    }
    out(formatResults(events, format));
    return 0;
  }, err);
}

runAsMain(import.meta.url, runResults);
