/**
 * pnpm results --scheme <template | scheme.json> [--scheme EVENT=<template | scheme.json> …] --marks <marks.csv>
 * [--format json|csv|table]
 *
 * Recomputes standings offline from a marks file, the way an appeals jury verifies official results.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import {
  csvRow,
  type EventJson,
  eventJsonInTurn,
  type LineError,
  type MarksFile,
  MarksReader,
  placingsJson,
  rankFileEvent,
  readMarksCsv,
  type Scheme,
  type SchemeOfEvent,
  scoreFileEvent,
} from '@jiangxin/shared';
import { readFlags, runAsMain, UsageError, withUsage } from './cli';
import { loadSchemes } from './scheme-file';

type Format = 'json' | 'csv' | 'table';

/** What the CSV and the table print of an event: its standings' places and totals, no breakdown. */
type EventPlacings = Pick<EventJson, 'event'> & {
  standings: readonly Pick<
    EventJson['standings'][number],
    'rank' | 'competitor' | 'total' | 'round' | 'decidedBy'
  >[];
};

export function formatResults(events: EventPlacings[], format: Format): string {
  if (format === 'json') {
    let text = '';
    writeJson({ events }, (piece) => {
      text += piece;
    });
    return `${text}\n`;
  }
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

/**
 * Writes what `JSON.stringify(value, null, 2)` would, in pieces: down to `depth` levels each element on its
 * own, so the results of a million marks are never one string (V8 caps a string at about 512 MB). Above
 * `depth`, an iterator (a generator) is written as the array of what it yields, each element made when its
 * turn comes.
 */
export function writeJson(value: unknown, out: (piece: string) => void, indent = '', depth = 4): void {
  if (depth === 0 || value === null || typeof value !== 'object') {
    out(JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  const list = Array.isArray(value) || isIterator(value);
  const entries: Iterable<[string, unknown]> = list
    ? elements(value as Iterable<unknown>)
    : Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, unknown] => [`${JSON.stringify(k)}: `, v]);
  const [open, close] = list ? ['[', ']'] : ['{', '}'];
  let written = 0;
  for (const [key, v] of entries) {
    out(`${written++ === 0 ? open : ','}\n${inner}${key}`);
    writeJson(v, out, inner, depth - 1);
  }
  out(written === 0 ? open + close : `\n${indent}${close}`);
}

const isIterator = (value: object): value is Iterator<unknown> & Iterable<unknown> =>
  Symbol.iterator in value && typeof (value as { next?: unknown }).next === 'function';

/** An array's or iterator's elements as keyless entries, a hole or undefined written as null as JSON does. */
function* elements(list: Iterable<unknown>): Generator<[string, unknown]> {
  for (const v of list) yield ['', v ?? null];
}

/** Reads a marks file in 1 MB pieces (never the whole text at once). */
export function readMarksFile(path: string, schemes: SchemeOfEvent): MarksFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UsageError(`cannot read marks ${path}: ${(error as Error).message}`);
  }
  try {
    const reader = new MarksReader(schemes);
    const decoder = new TextDecoder('utf-8');
    const buffer = Buffer.alloc(1 << 20);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer))
      reader.push(decoder.decode(buffer.subarray(0, n), { stream: true }));
    reader.push(decoder.decode());
    return reader.end();
  } finally {
    closeSync(fd);
  }
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
  return { events: scoreFile(file, schemeOf), errors: [] };
}

/** Every event of a marks file read without errors, with its own scheme (an event without one is left out). */
function* withSchemes(file: MarksFile, schemeOf: (event: string) => Scheme | undefined) {
  for (const e of file.events) {
    const scheme = schemeOf(e.event);
    if (scheme) yield { scheme, e };
  }
}

/** Every event of a marks file read without errors, scored by its own scheme. */
function scoreFile(file: MarksFile, schemeOf: (event: string) => Scheme | undefined): EventJson[] {
  return [...withSchemes(file, schemeOf)].map(({ scheme, e }) => scoreFileEvent(scheme, e));
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
    const schemeOf = (e: string) => schemes(e)?.scheme;
    const file = readMarksFile(values.marks, schemeOf);
    if (file.errors.length > 0) {
      err(`${values.marks}: ${file.errors.length} malformed row(s); nothing was computed:\n`);
      for (const e of file.errors) err(`  line ${e.line}: ${e.message.en}\n`);
      return 1;
    }
    // Each event ranked keeping no breakdown, each line's breakdown scored again as written (decision 029).
    if (format !== 'json') {
      const events = [...withSchemes(file, schemeOf)].map(({ scheme, e }) => ({
        event: e.event,
        standings: placingsJson(scheme, rankFileEvent(scheme, e).result),
      }));
      out(formatResults(events, format));
    } else {
      const events = (function* () {
        for (const { scheme, e } of withSchemes(file, schemeOf))
          yield eventJsonInTurn(scheme, e.event, rankFileEvent(scheme, e));
      })();
      // Gathered into pieces of about 1 MB before each write: one write per field would be millions.
      let pending = '';
      writeJson({ events }, (piece) => {
        pending += piece;
        if (pending.length >= 1 << 20) {
          out(pending);
          pending = '';
        }
      });
      out(`${pending}\n`);
    }
    return 0;
  }, err);
}

runAsMain(import.meta.url, runResults);
