/**
 * `--scheme` and `--rules`: a template's name or a JSON file, parsed with the shared schema; a problem is a
 * usage error naming every path that is wrong.
 */
import {
  type HonourRuleSet,
  honourTemplateInputs,
  parseHonourRules,
  parseScheme,
  type Scheme,
  templateInputs,
} from '@jiangxin/shared';
import { readJson, UsageError } from './cli';

type ParseResult = { ok: true } | { ok: false; errors: { path: string; message: string }[] };

const templateWord = { scheme: 'template', rules: 'honour template' } as const;

/** The template's input or the file's JSON, parsed; and what to send the server: the name, or the JSON. */
function load<R extends ParseResult>(
  kind: keyof typeof templateWord,
  nameOrPath: string,
  templates: Readonly<Record<string, unknown>>,
  parse: (json: unknown) => R,
): { parsed: Extract<R, { ok: true }>; input: string | Record<string, unknown> } {
  const isTemplate = !nameOrPath.endsWith('.json');
  if (isTemplate && !Object.hasOwn(templates, nameOrPath))
    throw new UsageError(
      `unknown ${templateWord[kind]} "${nameOrPath}"; templates: ${Object.keys(templates).join(', ')}; or give a .json file`,
    );
  const json = isTemplate ? templates[nameOrPath] : readJson(kind, nameOrPath);
  const parsed: ParseResult = parse(json);
  if (!parsed.ok)
    throw new UsageError(
      `${nameOrPath}: the ${kind} is invalid:\n${parsed.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`,
    );
  return {
    parsed: parsed as Extract<R, { ok: true }>,
    input: isTemplate ? nameOrPath : (json as Record<string, unknown>),
  };
}

export function loadScheme(nameOrPath: string): { scheme: Scheme; input: string | Record<string, unknown> } {
  const { parsed, input } = load('scheme', nameOrPath, templateInputs, parseScheme);
  return { scheme: parsed.scheme, input };
}

/** A scheme as `--scheme` gives it: parsed, and what to send the server (a template's name, or the JSON). */
export type LoadedScheme = ReturnType<typeof loadScheme>;

/**
 * The `--scheme` flags of a tool that reads a marks file: `<template | scheme.json>` for every event, and
 * `EVENT=<template | scheme.json>` for one event (given once per event, before or instead of the default).
 * Answers the scheme of an event, undefined for an event none names.
 */
export function loadSchemes(values: readonly string[]): (event: string) => LoadedScheme | undefined {
  let all: LoadedScheme | undefined;
  const perEvent = new Map<string, LoadedScheme>();
  for (const value of values) {
    const split = value.indexOf('=');
    if (split < 0) {
      if (all)
        throw new UsageError(
          '--scheme without EVENT= is given twice; name the event: --scheme EVENT=file.json',
        );
      all = loadScheme(value);
      continue;
    }
    const event = value.slice(0, split);
    if (event === '' || perEvent.has(event))
      throw new UsageError(
        event === ''
          ? `--scheme ${value}: the event before "=" is empty`
          : `--scheme is given twice for event "${event}"`,
      );
    perEvent.set(event, loadScheme(value.slice(split + 1)));
  }
  return (event) => perEvent.get(event) ?? all;
}

export const loadHonourRules = (nameOrPath: string): HonourRuleSet =>
  load('rules', nameOrPath, honourTemplateInputs, parseHonourRules).parsed.rules;
