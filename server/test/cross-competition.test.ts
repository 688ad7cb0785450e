import { randomUUID } from 'node:crypto';
import type { Role } from '@jiangxin/shared';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corrections, devices, marks } from '../src/db/schema';
import { allowedRolesOf } from '../src/plugins/auth';
import { operationKey } from '../src/plugins/operations';
import { type Dictionary, exampleOf, type JsonSchema } from './fuzz-support';
import { listen, socketPool } from './realtime-support';
import { bearer, type Seeded, seedCompetition, testApp, tokenOfRole } from './support';

/**
 * One competition's people reach nothing of another's. The staff and devices of competition A try every
 * route of the API (from Fastify's route table, so a new route is tried too) against competition B: B's
 * own paths, A's paths naming B's events, rounds, competitors, judges, panels and devices, and bodies
 * naming them; and every socket room of B. They get 401, 403 or 404 (a route open to everyone answers
 * them exactly as it answers the public), and no answer carries anything of B they did not send.
 */
type Person = Exclude<Role, 'public'>;
const people: Person[] = ['organizer', 'chiefJudge', 'encryptionOfficer', 'scorekeeper', 'judge', 'display'];

interface OpenApiOperation {
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

describe('one competition’s people and another competition', () => {
  let app: FastifyInstance;
  let a: Seeded;
  let b: Seeded;
  let origin: string;
  const routes: RouteOptions[] = [];
  const sockets = socketPool();
  let doc: { paths: Record<string, Record<string, OpenApiOperation>> };
  /** What of B an answer must never carry: its ids and names. */
  let secretsOfB: string[];

  beforeAll(async () => {
    ({ app } = await testApp('pglite', undefined, { routes }));
    a = await seedCompetition(app);
    b = await seedCompetition(app, { name: '乙方的另一场竞赛' });
    origin = await listen(app);
    doc = (await app.inject('/docs/json')).json();
    const [judgeOfB, competitorOfB] = [b.judges[0], b.competitors[0]];
    if (!judgeOfB || !competitorOfB) throw new Error('seed failed');
    await app.db.insert(marks).values({
      id: markOfB,
      roundId: b.round.id,
      competitorId: competitorOfB.id,
      item: 'assemblyQuality',
      judgeId: judgeOfB.id,
      value: '40',
      source: 'paper',
      enteredBy: b.accounts.scorekeeper.id,
      bodyHash: 'cross-competition',
    });
    await app.db.insert(corrections).values({
      id: correctionOfB,
      roundId: b.round.id,
      competitorId: competitorOfB.id,
      item: 'assemblyQuality',
      judgeId: judgeOfB.id,
      value: '41',
      reason: '乙方的更正',
      requestedBy: `account:${b.accounts.scorekeeper.id}`,
    });
    secretsOfB = [
      b.competition.id,
      b.competition.name,
      b.event.id,
      b.round.id,
      b.panel.id,
      b.display.id,
      markOfB,
      correctionOfB,
      ...b.competitors.map((c) => c.id),
      ...b.judges.map((j) => j.id),
      ...b.tablets.map((t) => t.id),
      ...Object.values(b.accounts).flatMap((account) => [account.id, account.username]),
    ];
  });
  afterAll(async () => {
    sockets.close();
    await app.close();
  });

  const apiRoutes = () =>
    routes
      .filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && typeof r.method === 'string')
      .map((r) => {
        const method = String(r.method);
        const [, template = ''] = operationKey(method, r.url).split(' ');
        const schema =
          doc.paths[template]?.[method.toLowerCase()]?.requestBody?.content['application/json']?.schema;
        return { method, template, schema, allowed: allowedRolesOf(r.preValidation) };
      });

  /** B's ids by the name a path parameter or a body field gives them; other fields as A's requests have them. */
  /** A mark and a correction of B's, for the routes that name one. */
  const markOfB = randomUUID();
  const correctionOfB = randomUUID();
  const idsOfB = (): Dictionary => ({
    markId: [markOfB],
    correctionId: [correctionOfB],
    competitionId: [b.competition.id],
    eventId: [b.event.id],
    roundId: [b.round.id],
    competitorId: b.competitors.map((c) => c.id),
    judgeId: b.judges.map((j) => j.id),
    panelId: [b.panel.id],
    deviceId: [b.display.id],
  });
  const fieldsOfA: Dictionary = {
    workstation: ['A01'],
    item: ['assemblyQuality'],
    seat: ['J1'],
    value: ['40'],
    scheme: ['drone'],
    name: ['drone'],
    reason: ['跨竞赛测试'],
    pin: ['123456'],
    difficulty: ['2.0'],
    attempt: [1],
  };

  /** The request a route gets: its path, and a body from its schema with the given fields. */
  const requestOf = (route: ReturnType<typeof apiRoutes>[number], path: string, dictionary: Dictionary) => {
    const body = route.schema ? exampleOf(route.schema, dictionary) : undefined;
    return { path, body, sent: `${path} ${JSON.stringify(body ?? null)}` };
  };
  const call = async (
    route: ReturnType<typeof apiRoutes>[number],
    request: ReturnType<typeof requestOf>,
    person: Person | 'public',
  ) => {
    const token = tokenOfRole(a, person, 1);
    const res = await app.inject({
      method: route.method as 'GET',
      url: request.path,
      headers: token ? bearer(token) : {},
      ...(request.body === undefined || route.method === 'GET' || route.method === 'DELETE'
        ? {}
        : { payload: request.body as object }),
    });
    return { res, sent: request.sent };
  };
  /** What of B the answer carries that the request did not. */
  const leaked = (answer: string, sent: string) =>
    secretsOfB.filter((secret) => answer.includes(secret) && !sent.includes(secret));

  it('refuses A’s people every route of B, answering an open route as it answers the public', async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const route of apiRoutes().filter((r) => r.template.includes('{competitionId}'))) {
      const path = route.template.replace(/\{(\w+)\}/g, (_, name: string) =>
        String(idsOfB()[name]?.[0] ?? fieldsOfA[name]?.[0] ?? name),
      );
      const open = route.allowed?.includes('public') ?? false;
      const request = requestOf(route, path, { ...fieldsOfA, ...idsOfB() });
      const publicAnswer = open ? (await call(route, request, 'public')).res : null;
      for (const person of people) {
        tried++;
        const { res, sent } = await call(route, request, person);
        const label = `${route.method} ${route.template} as A's ${person}: ${res.statusCode}`;
        if (publicAnswer) {
          if (res.statusCode !== publicAnswer.statusCode || res.body !== publicAnswer.body)
            wrong.push(`${label}, not the public's answer (${publicAnswer.statusCode})`);
        } else if (![401, 403, 404].includes(res.statusCode))
          wrong.push(`${label} ${res.body.slice(0, 120)}`);
        const carried = publicAnswer ? [] : leaked(res.body, sent);
        if (carried.length > 0) wrong.push(`${label} carried ${carried.join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(40 * people.length);
  });

  it('refuses B’s events, rounds, competitors, judges, panels and devices named in A’s paths and bodies', async () => {
    const wrong: string[] = [];
    let reached = 0;
    const idsOfA: Dictionary = {
      competitionId: [a.competition.id],
      eventId: [a.event.id],
      roundId: [a.round.id],
      competitorId: [a.competitors[0]?.id],
      judgeId: [a.judges[0]?.id],
      panelId: [a.panel.id],
      deviceId: [a.display.id],
    };
    for (const route of apiRoutes()) {
      // A's competition with B's other ids in the path, and A's own path with B's ids in the body only.
      const paths = [
        (name: string) => (name === 'competitionId' ? a.competition.id : idsOfB()[name]?.[0]),
        (name: string) => idsOfA[name]?.[0],
      ].map((id) =>
        route.template.replace(/\{(\w+)\}/g, (_, name: string) =>
          String(id(name) ?? fieldsOfA[name]?.[0] ?? name),
        ),
      );
      // The roles the route lets in (in A), or everyone for a route without a competition.
      const callers =
        route.allowed && !route.allowed.includes('public') ? (route.allowed as Person[]) : people;
      for (const path of new Set(paths)) {
        const request = requestOf(route, path, { ...fieldsOfA, ...idsOfB() });
        // Only requests that name something of B say anything here (the rest would change A, legitimately).
        if (!secretsOfB.some((secret) => request.sent.includes(secret))) continue;
        for (const person of callers) {
          const { res, sent } = await call(route, request, person);
          if (res.statusCode !== 400) reached++;
          const label = `${route.method} ${request.sent.slice(0, 160)} as A's ${person}: ${res.statusCode}`;
          if (res.statusCode < 400) wrong.push(`${label} ${res.body.slice(0, 160)}`);
          const carried = leaked(res.body, sent);
          if (carried.length > 0) wrong.push(`${label} carried ${carried.join(', ')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Most got past validation to the check that matters.
    expect(reached).toBeGreaterThan(60);
  });

  it('does not sign B’s judge in on A’s tablet', async () => {
    // A tablet of A's with no judge on it (the seeded judges' tablets have theirs).
    const [tablet] = await app.db
      .insert(devices)
      .values({ competitionId: a.competition.id, kind: 'judge', label: '甲方空平板', pairedAt: new Date() })
      .returning();
    if (!tablet) throw new Error('insert failed');
    const token = app.tokens.issue({ typ: 'tablet', sub: tablet.id, cid: a.competition.id, ver: 0 });
    const judges = await app.inject({ url: '/api/devices/judges', headers: bearer(token) });
    expect(judges.statusCode).toBe(200);
    expect(leaked(judges.body, '')).toEqual([]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/devices/judge-sign-in',
      headers: bearer(token),
      payload: { judgeId: b.judges[0]?.id, pin: '123456' },
    });
    expect(res.statusCode).toBe(404);
  });

  it('lets A’s people into none of B’s socket rooms', async () => {
    const wrong: string[] = [];
    for (const person of people) {
      const socket = await sockets.connect(origin, tokenOfRole(a, person, 1));
      const emit = socket as unknown as { emitWithAck(event: string, request: unknown): Promise<unknown> };
      const round = (await emit.emitWithAck('round:join', {
        competitionId: b.competition.id,
        roundId: b.round.id,
      })) as { error?: { code: string } };
      if (round.error?.code !== 'round_unpublished')
        wrong.push(`round:join of B as A's ${person}: ${JSON.stringify(round).slice(0, 120)}`);
      // A's round under B's competition is no way in either.
      const mixed = (await emit.emitWithAck('round:join', {
        competitionId: b.competition.id,
        roundId: a.round.id,
      })) as { error?: { code: string } };
      if (!mixed.error)
        wrong.push(
          `round:join of A's round under B as A's ${person}: ${JSON.stringify(mixed).slice(0, 120)}`,
        );
      const list = (await emit.emitWithAck('competition:join', { competitionId: b.competition.id })) as {
        data?: { audience: string; rounds: unknown[] };
      };
      if (list.data?.audience !== 'public' || list.data.rounds.length !== 0)
        wrong.push(`competition:join of B as A's ${person}: ${JSON.stringify(list).slice(0, 120)}`);
      socket.close();
    }
    expect(wrong).toEqual([]);
  });
});
