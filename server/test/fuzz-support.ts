import fc from 'fast-check';
import { schemeInputArb } from '../../shared/test/arbitraries';

/**
 * Generators for fuzzing the API from its own documents: a request part's JSON schema (the OpenAPI
 * document's, made from the routes' zod schemas; the AsyncAPI document's for socket events) gives values
 * that follow it, and values that break it in the ways a hostile venue network would (wrong types, missing
 * and unknown fields, control characters, half an emoji, huge and deeply nested payloads).
 */

/** The JSON schema keywords zod's openapi-3.0 output uses. */
export interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
}

/** Known values by field name (ids of the seeded competition, workstation codes, …): they reach handlers. */
export type Dictionary = Record<string, readonly unknown[]>;

/** Text a person may type: Chinese, emoji, right-to-left marks, combining marks; all valid. */
export const typedTextArb: fc.Arbitrary<string> = fc.constantFrom(
  '张伟',
  '国网某供电公司',
  '🏊‍♀️🥇',
  '👩🏽‍🔧 焊工',
  'مرحبا',
  '\u202eevil\u202c',
  'a\u200fb',
  'e\u0301',
  'Zoë',
  '𠮷野家',
);

/** Text no field should take silently: control characters, half a surrogate pair, and look-alikes. */
export const hostileTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'ab\u0000c',
    '\u0000',
    'ab\u0007c',
    'ab\u001bc',
    'ab\u007fc',
    'ab\u0085c',
    'ab\ud800c',
    '\udfff',
    'ab\ncd',
    '\r\n',
    '\ufeff',
    '   ',
    '',
    '../../etc/passwd',
    "'; drop table marks; --",
    "=cmd|' /C calc'!A0",
    '{{7*7}}',
    '%00',
    '__proto__',
    'constructor',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1 }),
);

/** A string following `schema` (roughly: a service may still refuse it, which the fuzz wants too). */
function stringArb(schema: JsonSchema, name: string): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, Math.max(min, 40));
  if (schema.format === 'uuid') return fc.uuid({ version: [4, 7] });
  if (schema.format === 'date') {
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  }
  if (schema.format === 'date-time')
    return fc.date({ noInvalidDate: true, min: new Date(0) }).map((d) => d.toISOString());
  if (schema.pattern) {
    try {
      const pattern = new RegExp(schema.pattern, 'u');
      // fast-check reads the pattern itself; `\p{…}` classes it cannot, so those fall back to letters.
      return fc
        .stringMatching(pattern)
        .filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY));
    } catch {
      return fc.stringMatching(/^[a-z0-9._@-]{3,20}$/).filter((s) => s.length >= min);
    }
  }
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: max }) },
    { weight: 2, arbitrary: typedTextArb },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) },
  );
  return name === 'reason' ? fc.oneof(text, fc.constant('第一行\n第二行\t制表')) : text;
}

/** A value following `schema`; a field named in `dictionary` mostly takes a known value. */
export function validArb(schema: JsonSchema, dictionary: Dictionary, name = ''): fc.Arbitrary<unknown> {
  const plain = plainArb(schema, dictionary, name);
  const known = dictionary[name];
  const value =
    known && known.length > 0
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: plain })
      : plain;
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: value }, fc.constant(null)) : value;
}

function plainArb(schema: JsonSchema, dictionary: Dictionary, name: string): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((s) => validArb(s, dictionary, name)));
  switch (schema.type) {
    case 'string':
      return stringArb(schema, name);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.oneof(
        fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 }),
        fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true }),
      );
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validArb(schema.items ?? {}, dictionary, name), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      if (Object.keys(properties).length === 0 && schema.additionalProperties !== false) {
        // A free-form object: a scheme (the only one today), or anything.
        return name === 'scheme'
          ? fc.oneof(schemeInputArb(), fc.object({ maxDepth: 3 }))
          : fc.object({ maxDepth: 2 });
      }
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties))
        record[key] = validArb(property, dictionary, key);
      return fc.record(record, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Where in a value each leaf is, as a path of keys. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [path, ...value.flatMap((v, i) => leaves(v, [...path, i]))];
  if (value !== null && typeof value === 'object')
    return [path, ...Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]))];
  return [path];
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let holder = copy;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (remove) delete holder[last];
  else holder[last] = value;
  return copy;
}

/** A value of the wrong kind for any field. */
export const wrongTypeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.string({ maxLength: 5 }),
  fc.constant({ $gt: '' }),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant(-0),
  fc.constant(1e308),
);

/** A JSON value nested `depth` levels deep, as objects or arrays. */
export function nested(depth: number, kind: 'object' | 'array', key = 'a'): string {
  return kind === 'object'
    ? `${`{"${key}":`.repeat(depth)}1${'}'.repeat(depth)}`
    : '['.repeat(depth) + ']'.repeat(depth);
}

/** A body as sent on the wire: JSON text (or raw bytes) and a content type. */
export interface WireBody {
  kind: string;
  payload: string | Buffer;
  contentType: string;
}

const json = (kind: string, value: unknown): WireBody => ({
  kind,
  payload: JSON.stringify(value),
  contentType: 'application/json',
});

/**
 * A body for `schema`: valid, valid with one thing broken, garbage, deeply nested, huge (near and over
 * `bodyLimit`), or not JSON at all.
 */
export function bodyArb(
  schema: JsonSchema,
  dictionary: Dictionary,
  bodyLimit: number,
): fc.Arbitrary<WireBody> {
  const valid = validArb(schema, dictionary);
  const mutated = fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom('wrongType', 'remove', 'unknownKey', 'hostileText'),
      wrongTypeArb,
      hostileTextArb,
    )
    .map(([value, pick, how, wrong, text]) => {
      const paths = leaves(value);
      const path = paths[pick % paths.length] ?? [];
      switch (how) {
        case 'wrongType':
          return json('wrong type', setAt(value, path, wrong));
        case 'remove':
          return json('missing field', path.length > 0 ? setAt(value, path, undefined, true) : undefined);
        case 'unknownKey':
          return json(
            'unknown field',
            value !== null && typeof value === 'object' && !Array.isArray(value)
              ? { ...value, [`x${pick}`]: wrong, __proto__: { admin: true } }
              : [value, wrong],
          );
        default: {
          const strings = paths.filter((p) => {
            let v: unknown = value;
            for (const k of p) v = (v as Record<string | number, unknown>)[k];
            return typeof v === 'string';
          });
          const at = strings[pick % Math.max(1, strings.length)] ?? path;
          return json('hostile text', setAt(value, at, text));
        }
      }
    });
  const garbage = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => json('garbage JSON', v)),
    fc.constantFrom<WireBody>(
      { kind: 'not JSON', payload: '{"a": ', contentType: 'application/json' },
      { kind: 'not JSON', payload: '{"a":1}}', contentType: 'application/json' },
      { kind: 'prototype key', payload: '{"__proto__":{"admin":true}}', contentType: 'application/json' },
      {
        kind: 'constructor key',
        payload: '{"constructor":{"prototype":{"admin":true}}}',
        contentType: 'application/json',
      },
      { kind: 'duplicate keys', payload: '{"a":1,"a":2}', contentType: 'application/json' },
      { kind: 'byte order mark', payload: '\ufeff{}', contentType: 'application/json' },
      { kind: 'empty body', payload: '', contentType: 'application/json' },
      { kind: 'a JSON string', payload: '"x"', contentType: 'application/json' },
      { kind: 'text/plain', payload: 'hello', contentType: 'text/plain' },
      { kind: 'form', payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
      { kind: 'multipart', payload: '--x\r\n\r\n--x--', contentType: 'multipart/form-data; boundary=x' },
      {
        kind: 'UTF-16 JSON',
        payload: Buffer.from('{"a":1}', 'utf16le'),
        contentType: 'application/json; charset=utf-16',
      },
      {
        kind: 'invalid UTF-8',
        payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
        contentType: 'application/json',
      },
      { kind: 'JSON with NUL escapes', payload: '{"\\u0000":"\\u0000"}', contentType: 'application/json' },
      { kind: 'lone surrogate escape', payload: '{"name":"\\ud800"}', contentType: 'application/json' },
    ),
  );
  const deep = fc
    .tuple(
      fc.integer({ min: 50, max: 20_000 }),
      fc.constantFrom('object' as const, 'array' as const),
      fc.nat(),
    )
    .chain(([depth, kind, pick]) =>
      valid.map((value): WireBody => {
        const keys =
          value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
        const key = keys[pick % Math.max(1, keys.length)] ?? 'deep';
        const inner = nested(depth, kind);
        const base = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
        const text = JSON.stringify({ ...base, [key]: '\u0000PLACEHOLDER' }).replace(
          '"\\u0000PLACEHOLDER"',
          inner,
        );
        return { kind: `nested ${depth} deep`, payload: text, contentType: 'application/json' };
      }),
    );
  const huge = fc
    .tuple(fc.integer({ min: -2048, max: 4096 }), fc.constantFrom('string', 'array', 'keys'), fc.nat(), valid)
    .map(([offset, shape, pick, value]): WireBody => {
      // Near the limit and over it: `offset` bytes beside it.
      const size = Math.max(16, bodyLimit + offset);
      const base = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
      const keys = Object.keys(base);
      const key = keys[pick % Math.max(1, keys.length)] ?? 'big';
      const head = JSON.stringify({ ...base, [key]: '' });
      const room = Math.max(0, size - head.length);
      let inner: string;
      if (shape === 'string') inner = `"${'x'.repeat(Math.max(0, room - 2))}"`;
      else if (shape === 'array') inner = `[${'1,'.repeat(Math.max(0, Math.floor(room / 2) - 1))}1]`;
      else {
        const count = Math.max(1, Math.floor(room / 12));
        inner = `{${Array.from({ length: count }, (_, i) => `"k${i.toString(36).padStart(5, '0')}":1`).join(',')}}`;
      }
      const text = JSON.stringify({ ...base, [key]: '\u0000BIG' }).replace('"\\u0000BIG"', inner);
      return {
        kind: `huge ${shape} (${offset >= 0 ? '+' : ''}${offset} bytes from the limit)`,
        payload: text,
        contentType: 'application/json',
      };
    });
  return fc.oneof(
    { weight: 6, arbitrary: valid.map((v) => json('valid', v)) },
    { weight: 6, arbitrary: mutated },
    { weight: 2, arbitrary: garbage },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: huge },
  );
}

/** A path segment: a known id, a random GUID, or something that is not a GUID at all (already encoded). */
export function segmentArb(name: string, schema: JsonSchema, dictionary: Dictionary): fc.Arbitrary<string> {
  const encode = (value: string) => {
    try {
      return encodeURIComponent(value);
    } catch {
      // A lone surrogate has no UTF-8 form: send the bytes an attacker would (WTF-8).
      return `${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
    }
  };
  const known = (dictionary[name] ?? []).map(String);
  const hostile = fc.oneof(
    fc.constantFrom(
      'not-a-guid',
      '0',
      '-1',
      '%00',
      '%ED%A0%80',
      '%FF%FE',
      '..%2F..%2Fetc',
      'a%2Fb',
      '%20',
      'null',
      'undefined',
      '00000000-0000-0000-0000-000000000000',
      'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
      '{competitionId}',
      'x'.repeat(5000),
      '%E2%80%AE',
      '%F0%9F%8F%8A',
    ),
    hostileTextArb.map(encode),
    fc.uuid().map((u) => u.toUpperCase()),
    fc.uuid().map((u) => `${u}x`),
  );
  const plain = validArb(schema, {}, name).map((v) => encode(String(v)));
  return fc.oneof(
    ...(known.length > 0 ? [{ weight: 8, arbitrary: fc.constantFrom(...known).map(encode) }] : []),
    { weight: 2, arbitrary: plain },
    { weight: 2, arbitrary: hostile },
  );
}

/** Milliseconds at the given quantile (0–1) of `samples`. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * One plain value following `schema`, the same every time: a field named in `dictionary` takes its first
 * value, optional fields are left out unless named there (so a request reaches the handler, not the 400).
 */
export function exampleOf(schema: JsonSchema, dictionary: Dictionary, name = ''): unknown {
  const known = dictionary[name];
  if (known && known.length > 0) return known[0];
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices?.[0]) return exampleOf(choices[0], dictionary, name);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return '6f1c2a9e-8d4b-4c1e-9a7f-2b3c4d5e6f70';
      if (schema.format === 'date') return '2026-05-10';
      if (schema.pattern) return fc.sample(stringArb(schema, name), { numRuns: 1, seed: 1 })[0];
      return '示例'.padEnd(Math.max(2, schema.minLength ?? 1), '例');
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () =>
        exampleOf(schema.items ?? {}, dictionary, name),
      );
    case 'object': {
      const required = new Set(schema.required ?? []);
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([key]) => required.has(key) || dictionary[key] !== undefined)
          .map(([key, property]) => [key, exampleOf(property, dictionary, key)]),
      );
    }
    default:
      return {};
  }
}
