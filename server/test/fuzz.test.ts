import { randomUUID } from 'node:crypto';
import { type LiveClientEvents, type Role, roles } from '@jiangxin/shared';
import { desc, getTableName, is, ne, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as schema from '../src/db/schema';
import { allowedRolesOf } from '../src/plugins/auth';
import { clientEvents } from '../src/plugins/live-events';
import { operationKey, operations } from '../src/plugins/operations';
import { rowsOf } from './databases';
import {
  bodyArb,
  type Dictionary,
  hostileTextArb,
  type JsonSchema,
  nested,
  quantile,
  segmentArb,
  validArb,
  type WireBody,
  wrongTypeArb,
} from './fuzz-support';
import { type LiveClient, listen, socketPool } from './realtime-support';
import { type Seeded, seedCompetition, testApp, tokenOfRole } from './support';

/**
 * Property-based fuzzing of every HTTP route and every client→server socket event, generated from the
 * API's own documents (the OpenAPI document made from the routes' zod schemas, the AsyncAPI document's
 * event schemas), with valid and broken payloads and every caller's token, through a real listening server.
 * For every request: never a 5xx; a 4xx says `error.code` and a message, and a refused field is named; a
 * refused request writes nothing (row counts of every table unchanged); the server logs no error. Alongside,
 * a judge of another competition keeps marking, and the p99 of those marks is printed (and bounded
 * generously). FUZZ_SEED replays a run, FUZZ_RUNS sets the runs per route and event.
 */
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = Number(process.env.FUZZ_RUNS ?? 30);
const replay = `FUZZ_SEED=${seed} FUZZ_RUNS=${runs}`;

/**
 * Routes with nothing to generate a part from, and why that is right. A route whose path has parameters
 * needs a params schema; a POST, PUT or PATCH needs a body schema (noBody for an action without input).
 */
const exempt: Record<string, string> = {};

type Caller = Role;
/** Every role there is (shared/src/api/roles.ts), the public included. */
const callers: readonly Caller[] = roles;

/** Tokens no server issued, or not tokens at all. */
const forgedTokens = [
  'Bearer x.y',
  'Bearer ',
  'Bearer',
  'Basic dXNlcjpwYXNz',
  `Bearer ${'a'.repeat(8000)}.b`,
  'Bearer eyJhbGciOiJub25lIn0.eyJ0eXAiOiJhY2NvdW50In0.',
  'Bearer ..',
];

interface Answer {
  status: number;
  text: string;
  body: unknown;
}

describe('fuzzing every route and socket event', () => {
  let app: FastifyInstance;
  let origin: string;
  let a: Seeded;
  let b: Seeded;
  const routes: RouteOptions[] = [];
  const logLines: string[] = [];
  let doc: { paths: Record<string, Record<string, OpenApiOperation>> };
  const dictionary: Record<string, unknown[]> = {};
  const sockets = socketPool();
  let countRows: () => Promise<Record<string, number>>;
  const probe = { quiet: [] as number[], loaded: [] as number[], refused: [] as string[], stop: false };
  let probing: Promise<void> = Promise.resolve();
  let requests = 0;
  /** Per route, how often each status (and error code) came back. */
  const outcomes: Record<string, Record<string, number>> = {};

  interface OpenApiOperation {
    parameters?: { in: string; name: string; schema: JsonSchema }[];
    requestBody?: { content: Record<string, { schema: JsonSchema }> };
  }

  const send = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: WireBody,
  ): Promise<Answer> => {
    requests++;
    const res = await request(`${origin}${path}`, {
      method: method as 'GET',
      headers: { ...headers, ...(body ? { 'content-type': body.contentType } : {}) },
      ...(body ? { body: body.payload } : {}),
    });
    const text = await res.body.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    return { status: res.statusCode, text, body: parsed };
  };

  /** A judge of competition B marks, new values again and again: how long each takes while the fuzz runs. */
  const probeMark = async (i: number, into: number[]) => {
    const path = `/api/competitions/${b.competition.id}/rounds/${b.round.id}/marks`;
    const judge = i % 5;
    const started = performance.now();
    const res = await send(
      'POST',
      path,
      { authorization: `Bearer ${b.tokens.judge(judge)}` },
      {
        kind: 'probe',
        contentType: 'application/json',
        payload: JSON.stringify({
          id: randomUUID(),
          workstation: `A0${1 + (Math.floor(i / 5) % 4)}`,
          item: 'assemblyQuality',
          value: String(30 + (i % 20)),
        }),
      },
    );
    into.push(performance.now() - started);
    requests--;
    if (res.status !== 201) probe.refused.push(`${res.status} ${res.text.slice(0, 200)}`);
  };

  beforeAll(async () => {
    ({ app } = await testApp('postgres', undefined, {
      routes,
      logLines,
      // The fuzz reaches the handlers: the per-socket budget is not what is under test here.
      liveLimits: { eventsPerSecond: 100_000, burst: 100_000 },
    }));
    a = await seedCompetition(app);
    b = await seedCompetition(app, { name: '另一场竞赛' });
    origin = await listen(app);
    const [spare] = await app.db
      .insert(schema.devices)
      .values({ competitionId: a.competition.id, kind: 'display', label: '备用屏' })
      .returning();
    Object.assign(dictionary, {
      competitionId: [a.competition.id],
      eventId: [a.event.id],
      roundId: [a.round.id],
      competitorId: a.competitors.map((c) => c.id),
      judgeId: a.judges.map((j) => j.id),
      panelId: [a.panel.id],
      deviceId: [spare?.id],
      markId: [],
      correctionId: [],
      memberId: [],
      seat: ['J1', 'J2', 'J5', 'J6', '__proto__'],
      name: ['drone', 'diving', 'nope', '__proto__', 'constructor'],
      workstation: ['A01', 'A02', 'A03', 'A04', 'Z99', '__proto__'],
      item: ['assemblyQuality', 'run-1:lapTime', 'dive-1', '__proto__', 'constructor', 'toString'],
      value: ['40', '45.5', '-1', '1e3', '100000000000000000000'],
      scheme: ['drone', 'diving', 'nope', 'constructor'],
      username: [a.accounts.organizer.username, 'nobody'],
      pin: ['1234', '00000000'],
      token: [a.tokens.judge(3), 'a.b'],
      code: ['ABCD-EFGH', '0000'],
    } satisfies Dictionary);

    // Every table's rows, counted in one query; competition B's marks and audit entries (the probe's) apart.
    const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable));
    const counts = tables
      .map((t) => getTableName(t))
      // Failed sign-ins are what a refused sign-in is meant to write.
      .filter((name) => name !== 'sign_in_failures')
      .map((name) => {
        const where =
          name === 'audit_log'
            ? ` where competition_id <> '${b.competition.id}'`
            : name === 'marks'
              ? ` where round_id <> '${b.round.id}'`
              : '';
        return `(select count(*) from "${name}"${where})::int as "${name}"`;
      });
    const query = sql.raw(`select ${counts.join(', ')}`);
    countRows = async () => {
      const [row] = rowsOf<Record<string, number>>(await app.db.execute(query));
      return { ...row };
    };

    const res = await app.inject('/docs/json');
    doc = res.json();

    // The judge's marks on a quiet server, for comparison.
    for (let i = 0; i < 30; i++) await probeMark(i, probe.quiet);
    probing = (async () => {
      for (let i = 30; !probe.stop; i++) {
        await probeMark(i, probe.loaded);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    console.log(`fuzz: seed ${seed}, ${runs} runs per route and event (replay with ${replay})`);
  }, 120_000);

  afterAll(async () => {
    probe.stop = true;
    await probing;
    sockets.close();
    await app.close();
  });

  /** The API's routes as Fastify registered them (Fastify adds a HEAD beside each GET by itself). */
  const apiRoutes = () =>
    routes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && typeof r.method === 'string');

  it('has a schema to generate every route’s path and body from, or a stated reason', () => {
    const missing: string[] = [];
    for (const route of apiRoutes()) {
      const key = operationKey(String(route.method), route.url);
      expect(operations[key], `${key} is not in the operations catalogue`).toBeDefined();
      const needs = [
        ...(route.url.includes(':') && !route.schema?.params ? ['params'] : []),
        ...(['POST', 'PUT', 'PATCH'].includes(String(route.method)) && !route.schema?.body ? ['body'] : []),
      ];
      if (needs.length > 0 && !exempt[key]) missing.push(`${key}: no ${needs.join(' or ')} schema`);
      if (needs.length === 0 && exempt[key]) missing.push(`${key} is exempt but has its schemas`);
    }
    for (const key of Object.keys(exempt)) {
      if (!apiRoutes().some((r) => operationKey(String(r.method), r.url) === key))
        missing.push(`${key} is exempt but does not exist`);
    }
    expect(missing).toEqual([]);
  });

  /** What is wrong with an answer, or nothing. */
  const problemsOf = (answer: Answer): string[] => {
    const problems: string[] = [];
    if (answer.status >= 500) problems.push(`answered ${answer.status}`);
    if (answer.status >= 400 && answer.status < 500) {
      const error = (answer.body as { error?: Record<string, unknown> } | null)?.error;
      if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message === '')
        problems.push('a 4xx without error.code and error.message');
      if (error?.code === 'request_invalid') {
        const issues = error.issues as { field?: unknown; message?: unknown }[] | undefined;
        if (!Array.isArray(issues) || issues.length === 0) problems.push('request_invalid without issues');
        for (const issue of issues ?? []) {
          if (typeof issue.field !== 'string' || typeof issue.message !== 'string')
            problems.push('an issue without field and message');
          else if (issue.field !== '' && !issue.message.includes(issue.field))
            problems.push(`the issue of "${issue.field}" does not name it: ${issue.message}`);
        }
      }
    }
    return problems;
  };

  /** The actions of the newest audit entries outside competition B. */
  const newestAuditActions = async (n: number): Promise<string[]> => {
    const rows = await app.db
      .select({ action: schema.auditLog.action })
      .from(schema.auditLog)
      .where(ne(schema.auditLog.competitionId, b.competition.id))
      .orderBy(desc(schema.auditLog.at))
      .limit(Math.max(1, n));
    return rows.map((r) => r.action);
  };

  /** Ids a successful answer names (a new competitor, a correction), so later requests can use them. */
  const harvest = (value: unknown, parent = '') => {
    if (Array.isArray(value)) {
      for (const v of value.slice(0, 20)) harvest(v, parent);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if (key === 'id' && typeof v === 'string' && parent) {
        const name = `${parent.replace(/s$/, '')}Id`;
        const known = dictionary[name];
        // The callers' own devices stay out: revoking them would leave the rest of the run unauthenticated.
        const callersOwn = [...a.tablets.map((t) => t.id), a.display.id].includes(v);
        if (known && !known.includes(v) && !callersOwn && known.length < 50) known.push(v);
      } else harvest(v, key);
    }
  };

  it('answers every route, for every caller and any body, with no 5xx, a named 4xx, and no partial write', async () => {
    const failures: string[] = [];
    let before = await countRows();
    let checked = 0;
    for (const route of apiRoutes()) {
      const method = String(route.method);
      const key = operationKey(method, route.url);
      const [, template = ''] = key.split(' ');
      const operation = doc.paths[template]?.[method.toLowerCase()];
      const parameters = (operation?.parameters ?? []).filter((p) => p.in === 'path');
      const bodySchema = operation?.requestBody?.content['application/json']?.schema;
      const allowed = allowedRolesOf(route.preValidation);
      const open = !allowed || allowed.includes('public');
      const limit = route.bodyLimit ?? 1024 * 1024;

      const pathArb = fc
        .tuple(
          ...parameters.map((p) => segmentArb(p.name, p.schema, dictionary).map((v) => [p.name, v] as const)),
        )
        .map((pairs) => {
          const values = Object.fromEntries(pairs);
          return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? name);
        });
      const callerArb = fc.oneof(
        { weight: open ? 1 : 6, arbitrary: fc.constantFrom(...(open ? callers : (allowed as Caller[]))) },
        { weight: 2, arbitrary: fc.constantFrom(...callers) },
        { weight: 1, arbitrary: fc.constantFrom(...forgedTokens) },
      );
      const requestArb = fc.record({
        path: parameters.length > 0 ? pathArb : fc.constant(template),
        caller: callerArb,
        language: fc.constantFrom('en', 'zh-CN', 'fr', '*', 'en;q=abc', ''),
        body: bodySchema
          ? fc.option(bodyArb(bodySchema, dictionary, limit), { freq: 12 })
          : fc.constant(null),
      });

      const tokenOf = (caller: string): Record<string, string> => {
        if (!callers.includes(caller as Caller)) return { authorization: caller };
        switch (caller as Caller) {
          case 'public':
            return {};
          case 'judge':
            // Signing out ends the tablet's tokens: only judge 5 does, the others keep theirs.
            return {
              authorization: `Bearer ${a.tokens.judge(key.endsWith('judge-sign-out') ? 4 : checked % 4)}`,
            };
          case 'display':
            return { authorization: `Bearer ${a.tokens.display}` };
          default:
            return { authorization: `Bearer ${a.tokens[caller as 'organizer']}` };
        }
      };

      const result = await fc.check(
        fc.asyncProperty(requestArb, async (req) => {
          checked++;
          const headers = {
            ...tokenOf(req.caller),
            ...(req.language ? { 'accept-language': req.language } : {}),
          };
          const answer = await send(method, req.path, headers, req.body ?? undefined);
          const code = (answer.body as { error?: { code?: string } } | null)?.error?.code ?? '';
          const tally = outcomes[key] ?? {};
          outcomes[key] = tally;
          const outcome = `${answer.status}${code ? ` ${code}` : ''}`;
          tally[outcome] = (tally[outcome] ?? 0) + 1;
          const problems = problemsOf(answer);
          // The honours follower records an earlier success's list change after its answer: not this request's write.
          await app.honours.settle();
          const after = await countRows();
          if (answer.status >= 400) {
            const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
            // A refused sign-in may lock the account at that address, which the audit chain records.
            const locked =
              changed.length === 1 &&
              changed[0] === 'audit_log' &&
              (await newestAuditActions((after.audit_log ?? 0) - (before.audit_log ?? 0))).every(
                (action) => action === 'signIn.locked',
              );
            if (changed.length > 0 && !locked)
              problems.push(`refused (${answer.status}) but wrote to ${changed.join(', ')}`);
          } else {
            harvest(answer.body);
            // The mark path's round cache trusts that every change of setup is audited (decision 018).
            const unaudited = Object.keys(after).filter((t) => after[t] !== before[t] && t !== 'audit_log');
            if (unaudited.length > 0 && after.audit_log === before.audit_log)
              problems.push(`wrote to ${unaudited.join(', ')} without an audit entry`);
          }
          before = after;
          if (problems.length > 0) {
            const body = req.body ? `${req.body.kind}: ${String(req.body.payload).slice(0, 300)}` : 'no body';
            throw new Error(
              `${problems.join('; ')}\n  ${method} ${req.path.slice(0, 200)} as ${req.caller.slice(0, 20)} with ${body}\n  → ${answer.status} ${answer.text.slice(0, 300)}`,
            );
          }
        }),
        { seed: seed ^ hash(key), numRuns: runs, endOnFailure: true },
      );
      if (result.failed) {
        failures.push(
          `${key} (${replay}): ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`,
        );
      }
    }
    if (process.env.FUZZ_VERBOSE)
      for (const [key, tally] of Object.entries(outcomes)) console.log(key, JSON.stringify(tally));
    const reached = Object.values(outcomes).filter((tally) =>
      Object.keys(tally).some((s) => s.startsWith('2')),
    );
    console.log(
      `fuzz: ${reached.length} of ${Object.keys(outcomes).length} routes answered 2xx at least once`,
    );
    if (failures.length > 0) console.log(`fuzz failures (${replay}):\n${failures.join('\n')}`);
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(apiRoutes().length * runs * 0.9);
    expect(logLines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  }, 300_000);

  it('answers every socket event, from every caller and with any payload, with a documented acknowledgement', async () => {
    type EventName = keyof LiveClientEvents;
    const events = Object.keys(clientEvents) as EventName[];
    const socketDictionary: Dictionary = {
      competitionId: [a.competition.id, b.competition.id],
      roundId: [a.round.id, b.round.id],
    };
    const held = new Map<string, LiveClient>();
    const socketOf = async (caller: Caller) => {
      const current = held.get(caller);
      if (current?.connected) return current;
      current?.close();
      // Competition B's people: the HTTP fuzz may have signed A's out (that is among what it tries).
      const token = tokenOfRole(b, caller, 1);
      const socket = await sockets.connect(origin, token);
      held.set(caller, socket);
      return socket;
    };
    const failures: string[] = [];
    for (const event of events) {
      const entry = clientEvents[event];
      const requestSchema = z.toJSONSchema(entry.request, {
        io: 'input',
        target: 'openapi-3.0',
      }) as JsonSchema;
      const valid = validArb(requestSchema, socketDictionary);
      const payloadArb = fc.oneof(
        { weight: 4, arbitrary: valid.map((v) => ({ kind: 'valid', value: v })) },
        {
          weight: 3,
          arbitrary: fc.tuple(valid, wrongTypeArb, hostileTextArb, fc.nat()).map(([v, wrong, text, pick]) => {
            const object = { ...(v as Record<string, unknown>) };
            const keys = Object.keys(object);
            const field = keys[pick % Math.max(1, keys.length)] ?? 'x';
            const how = pick % 4;
            if (how === 0) object[field] = wrong;
            else if (how === 1) delete object[field];
            else if (how === 2) object[field] = text;
            else object[`x${pick}`] = wrong;
            return { kind: 'broken', value: object };
          }),
        },
        { weight: 2, arbitrary: wrongTypeArb.map((v) => ({ kind: 'wrong type', value: v })) },
        { weight: 1, arbitrary: fc.constantFrom({ kind: 'nothing', value: undefined }) },
        {
          weight: 1,
          arbitrary: fc
            .integer({ min: 10, max: 2000 })
            .map((depth) => ({ kind: `nested ${depth}`, value: JSON.parse(nested(depth, 'object')) })),
        },
        {
          weight: 1,
          arbitrary: fc.integer({ min: 200_000, max: 1_200_000 }).map((size) => ({
            kind: `huge ${size}`,
            value: { competitionId: 'x'.repeat(size), roundId: 'y' },
          })),
        },
        {
          weight: 1,
          arbitrary: fc
            .uint8Array({ maxLength: 64 })
            .map((bytes) => ({ kind: 'binary', value: Buffer.from(bytes) })),
        },
      );
      const result = await fc.check(
        fc.asyncProperty(
          fc.constantFrom(...callers),
          payloadArb,
          fc.boolean(),
          async (caller, payload, ack) => {
            const socket = await socketOf(caller);
            let answer: unknown;
            try {
              if (ack) {
                answer = await socket
                  .timeout(10_000)
                  .emitWithAck(event as 'round:leave', payload.value as never);
              } else {
                // No acknowledgement asked for: nothing comes back, and the socket still answers the next.
                untyped(socket).emit(event, payload.value);
                answer = await socket.timeout(10_000).emitWithAck('round:leave', { roundId: a.round.id });
              }
            } catch (error) {
              // Over the 1 MB message limit the server closes the connection, as Socket.IO does.
              if (payload.kind.startsWith('huge') && !socket.connected) return;
              throw new Error(
                `${event} as ${caller} with ${payload.kind}: no acknowledgement (${String(error)})`,
              );
            }
            // Without an acknowledgement, the answer checked is the following round:leave's.
            const answered = ack ? entry : clientEvents['round:leave'];
            const reply = answer as { data?: unknown; error?: { code?: unknown; message?: unknown } };
            const allowedCodes = [...answered.errors, 'rate_limited', 'too_many_rooms'];
            const problems: string[] = [];
            if ('data' in reply) {
              const parsed = answered.ack.safeParse(reply.data);
              if (!parsed.success) problems.push(`data does not follow the documented acknowledgement`);
            } else if (
              typeof reply.error?.code !== 'string' ||
              !allowedCodes.includes(reply.error.code) ||
              typeof reply.error.message !== 'string' ||
              reply.error.message === ''
            ) {
              problems.push(`not a documented acknowledgement`);
            }
            if (problems.length > 0) {
              throw new Error(
                `${problems.join('; ')}: ${event} as ${caller} with ${payload.kind} ${JSON.stringify(payload.value)?.slice(0, 200)} → ${JSON.stringify(answer).slice(0, 300)}`,
              );
            }
          },
        ),
        { seed: seed ^ hash(event), numRuns: runs * callers.length, endOnFailure: true },
      );
      if (result.failed) {
        failures.push(
          `${event} (${replay}): ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`,
        );
      }
    }
    // Events nobody documented, and emits with more arguments than any handler takes: ignored, not fatal.
    const stray = await socketOf('public');
    untyped(stray).emit('hasOwnProperty', {});
    untyped(stray).emit('__proto__', {});
    untyped(stray).emit('round:join', { competitionId: a.competition.id, roundId: a.round.id }, 'extra', 1);
    const still = await stray.timeout(5000).emitWithAck('round:leave', { roundId: a.round.id });
    expect(still).toEqual({ data: { roundId: a.round.id } });
    if (failures.length > 0) console.log(`socket fuzz failures (${replay}):\n${failures.join('\n')}`);
    expect(failures).toEqual([]);
    expect(logLines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  }, 300_000);

  it('kept answering a judge’s marks alongside the fuzz, and stays up', async () => {
    probe.stop = true;
    await probing;
    const figures = {
      requests,
      quiet: { marks: probe.quiet.length, p50: quantile(probe.quiet, 0.5), p99: quantile(probe.quiet, 0.99) },
      loaded: {
        marks: probe.loaded.length,
        p50: quantile(probe.loaded, 0.5),
        p99: quantile(probe.loaded, 0.99),
        max: Math.max(...probe.loaded),
      },
    };
    console.log(
      `fuzz (${replay}): ${requests} requests; a judge's marks quiet p50 ${figures.quiet.p50.toFixed(0)} ms, ` +
        `p99 ${figures.quiet.p99.toFixed(0)} ms (${figures.quiet.marks}); during the fuzz p50 ${figures.loaded.p50.toFixed(0)} ms, ` +
        `p99 ${figures.loaded.p99.toFixed(0)} ms, max ${figures.loaded.max.toFixed(0)} ms (${figures.loaded.marks} marks)`,
    );
    expect(probe.refused).toEqual([]);
    expect(probe.loaded.length).toBeGreaterThan(20);
    // Generous on purpose (a loaded shared machine): a mark is never held for seconds behind the fuzz.
    expect(figures.loaded.p99).toBeLessThan(Math.max(5000, 20 * figures.quiet.p99));
    const health = await send('GET', '/api/health', {});
    expect(health.status).toBe(200);
    // Whatever the fuzz sent, no token and no hash reached the log.
    const tokens = [a, b].flatMap((s) => [
      ...Object.values(s.tokens).filter((t): t is string => typeof t === 'string'),
      ...s.judges.map((_, i) => s.tokens.judge(i)),
    ]);
    const secretLines = logLines.filter(
      (line) => line.includes('$argon2') || tokens.some((t) => line.includes(t.split('.')[1] ?? t)),
    );
    expect(secretLines).toEqual([]);
  });
});

/** A client socket that may send anything, as an attacker's would. */
const untyped = (socket: LiveClient) =>
  socket as unknown as { emit(event: string, ...args: unknown[]): void };

/** A small stable hash, so each route gets its own seed from the run's. */
function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (Math.imul(h, 31) + (char.codePointAt(0) ?? 0)) | 0;
  return h;
}
