import { randomUUID } from 'node:crypto';
import type { LiveClientEvents, Role } from '@jiangxin/shared';
import { count } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLog, competitors, devices, marks } from '../src/db/schema';
import { clientEvents } from '../src/plugins/live-events';
import { listen, socketPool } from './realtime-support';
import { bearer, type Seeded, seedCompetition, testApp, tokenOfRole } from './support';

/**
 * Every route × every role: who may call it. The table is written by hand from the product's rules, not
 * derived from the code, and a route missing from it fails the test, so a new route must be thought
 * through here. "Allowed" means the route did not answer 401/403 (it may still refuse the empty body with a
 * 400, or the state with a 409); "denied" means 401 or 403, or 404 where the route hides what exists.
 */
type Caller = Exclude<Role, 'public'> | 'public';
const everyone: Caller[] = [
  'organizer',
  'chiefJudge',
  'encryptionOfficer',
  'scorekeeper',
  'judge',
  'display',
  'public',
];
const members: Caller[] = ['organizer', 'chiefJudge', 'encryptionOfficer', 'scorekeeper', 'judge', 'display'];

const C = '/api/competitions/{competitionId}';
const R = `${C}/rounds/{roundId}`;

const expected: Record<string, Caller[]> = {
  // Open to everyone: the demo, templates, results verification, signing in, pairing.
  'GET /api/health': everyone,
  'GET /api/templates': everyone,
  'GET /api/templates/{name}': everyone,
  'GET /api/demo/results': everyone,
  'GET /api/demo/marks.csv': everyone,
  'POST /api/results': everyone,
  'POST /api/auth/login': everyone,
  'POST /api/devices/pair': everyone,
  // A judge whose token lapsed: the token travels in the body, with the PIN (the empty body is a 400).
  'POST /api/devices/judge-resume': everyone,
  // Any token.
  // Anyone may ask who they are (the public is told it is public); each caller lists its own competitions.
  'GET /api/auth/me': everyone,
  'GET /api/competitions': members,
  // Any token renews itself, account or device.
  'POST /api/auth/refresh': members,
  // Devices about themselves.
  'GET /api/devices/judges': ['judge'],
  // A paired tablet (not among these callers); a judge's own token is told to sign out first (409).
  'POST /api/devices/judge-sign-in': ['judge'],
  'POST /api/devices/judge-sign-out': ['judge'],
  // Creating a competition: an organizer account of the union.
  'POST /api/competitions': ['organizer'],
  // People and devices.
  [`GET ${C}/members`]: ['organizer'],
  [`POST ${C}/members`]: ['organizer'],
  [`GET ${C}/devices`]: ['organizer', 'chiefJudge'],
  [`POST ${C}/devices`]: ['organizer'],
  [`POST ${C}/devices/{deviceId}/pairing-code`]: ['organizer'],
  [`POST ${C}/devices/{deviceId}/revoke`]: ['organizer', 'chiefJudge'],
  [`POST ${C}/judges/{judgeId}/pin`]: ['organizer', 'chiefJudge'],
  // Setup.
  [`GET ${C}`]: members,
  [`POST ${C}/events`]: ['organizer'],
  [`GET ${C}/events`]: members,
  [`GET ${C}/events/{eventId}`]: members,
  [`POST ${C}/events/{eventId}/competitors`]: ['organizer'],
  [`GET ${C}/events/{eventId}/competitors`]: ['organizer', 'chiefJudge', 'encryptionOfficer'],
  [`POST ${C}/events/{eventId}/competitors/import`]: ['organizer'],
  [`POST ${C}/events/{eventId}/competitors/import/preview`]: ['organizer'],
  [`GET ${C}/competitors/{competitorId}`]: ['organizer', 'chiefJudge', 'encryptionOfficer'],
  [`PATCH ${C}/competitors/{competitorId}`]: ['organizer'],
  [`PATCH ${C}/competitors/{competitorId}/members/{memberId}`]: ['organizer'],
  [`POST ${C}/competitors/{competitorId}/members`]: ['organizer'],
  [`DELETE ${C}/competitors/{competitorId}/members/{memberId}`]: ['organizer'],
  [`POST ${C}/judges`]: ['organizer'],
  [`GET ${C}/judges`]: ['organizer', 'chiefJudge', 'encryptionOfficer'],
  [`POST ${C}/judges/import`]: ['organizer'],
  [`POST ${C}/judges/import/preview`]: ['organizer'],
  [`PUT ${R}/competitors/{competitorId}/attempts`]: ['organizer', 'chiefJudge'],
  [`GET ${R}/competitors/{competitorId}/attempts`]: ['organizer', 'chiefJudge', 'encryptionOfficer'],
  [`POST ${C}/events/{eventId}/panels`]: ['organizer', 'chiefJudge'],
  [`GET ${C}/events/{eventId}/panels`]: ['organizer', 'chiefJudge'],
  [`GET ${C}/panels/{panelId}`]: ['organizer', 'chiefJudge'],
  [`PUT ${C}/panels/{panelId}/coverage`]: ['organizer', 'chiefJudge'],
  [`POST ${R}/panel-draw`]: ['organizer', 'chiefJudge'],
  [`PUT ${C}/panels/{panelId}/seats/{seat}`]: ['organizer', 'chiefJudge'],
  [`DELETE ${C}/panels/{panelId}/seats/{seat}`]: ['organizer', 'chiefJudge'],
  // Draw and encryption: the mapping is sealed from the organizer until decryption.
  [`POST ${C}/events/{eventId}/draw`]: ['organizer', 'encryptionOfficer'],
  [`POST ${R}/check-in`]: ['encryptionOfficer', 'chiefJudge'],
  [`GET ${R}/mapping`]: ['encryptionOfficer', 'chiefJudge'],
  [`GET ${R}/workstations`]: ['organizer', 'chiefJudge', 'encryptionOfficer', 'scorekeeper', 'judge'],
  // Marks.
  [`POST ${R}/marks`]: ['judge'],
  [`GET ${R}/my-marks`]: ['judge'],
  [`POST ${R}/paper-marks`]: ['scorekeeper'],
  [`GET ${R}/paper-marks`]: ['scorekeeper', 'chiefJudge'],
  [`POST ${R}/paper-marks/{markId}/confirm`]: ['scorekeeper', 'chiefJudge'],
  // A judge asks for a correction of their own seat (the service finds it), an account names the seat.
  [`POST ${R}/corrections`]: ['chiefJudge', 'scorekeeper', 'judge'],
  [`GET ${R}/corrections`]: ['chiefJudge', 'scorekeeper'],
  [`POST ${R}/corrections/{correctionId}/approve`]: ['chiefJudge'],
  [`POST ${R}/corrections/{correctionId}/reject`]: ['chiefJudge'],
  // The chief judge's review and the round's lifecycle.
  [`GET ${R}/review`]: ['chiefJudge'],
  [`POST ${R}/remarks`]: ['chiefJudge'],
  [`POST ${R}/missing-marks`]: ['chiefJudge'],
  [`POST ${R}/sign-off`]: ['chiefJudge'],
  [`POST ${R}/decrypt`]: ['encryptionOfficer'],
  [`POST ${R}/publish`]: ['chiefJudge', 'organizer'],
  [`POST ${R}/close`]: ['chiefJudge', 'organizer'],
  [`POST ${R}/open`]: ['chiefJudge', 'organizer'],
  [`POST ${R}/freeze`]: ['chiefJudge', 'organizer'],
  [`POST ${R}/reveal`]: ['chiefJudge', 'organizer'],
  // Results of a round not yet published: only the chief judge and the organizer.
  [`GET ${R}/results`]: ['chiefJudge', 'organizer'],
  // The live snapshot (cacheable) follows the same rule; the seeded round is not published.
  [`GET ${R}/live`]: ['chiefJudge', 'organizer'],
  // The rounds a phone may follow, over HTTP when its socket cannot connect: anyone (staff are listed more).
  [`GET ${C}/live`]: everyone,
  [`GET ${C}/audit/verify`]: ['chiefJudge', 'organizer'],
  // Honours: the list carries the competitors' records, so before the organizer publishes it only the
  // organizer and the chief judge read it (the seeded list is not published).
  'GET /api/honour-templates': everyone,
  [`GET ${C}/honours/rules`]: ['organizer', 'chiefJudge'],
  [`PUT ${C}/honours/rules`]: ['organizer'],
  [`GET ${C}/honours`]: ['organizer', 'chiefJudge'],
  [`POST ${C}/honours/overrides`]: ['organizer'],
  [`POST ${C}/honours/publish`]: ['organizer'],
  // Exports follow the results' rule: the seeded round is not published, so only the chief judge and the
  // organizer (as a draft); everyone else 403.
  [`GET ${C}/exports/results.xlsx`]: ['chiefJudge', 'organizer'],
  [`GET ${C}/exports/results.csv`]: ['chiefJudge', 'organizer'],
  [`GET ${C}/exports/results.pdf`]: ['chiefJudge', 'organizer'],
  [`GET ${C}/events/{eventId}/exports/results.xlsx`]: ['chiefJudge', 'organizer'],
  [`GET ${C}/events/{eventId}/exports/results.csv`]: ['chiefJudge', 'organizer'],
  [`GET ${C}/events/{eventId}/exports/results.pdf`]: ['chiefJudge', 'organizer'],
  [`GET ${C}/events/{eventId}/exports/marks.csv`]: ['chiefJudge', 'organizer'],
  [`GET ${C}/events/{eventId}/exports/scheme.json`]: ['chiefJudge', 'organizer'],
  [`GET ${C}/exports/honours.xlsx`]: ['chiefJudge', 'organizer'],
  [`GET ${C}/exports/honours.pdf`]: ['chiefJudge', 'organizer'],
};

describe('role × route matrix', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let routes: string[];
  let params: Record<string, string>;

  beforeAll(async () => {
    ({ app } = await testApp('pglite'));
    seed = await seedCompetition(app);
    // A device of its own for the device routes, so revoking it leaves the callers' tokens alone.
    const [spare] = await app.db
      .insert(devices)
      .values({ competitionId: seed.competition.id, kind: 'display', label: '备用屏' })
      .returning();
    params = {
      competitionId: seed.competition.id,
      roundId: seed.round.id,
      eventId: seed.event.id,
      competitorId: seed.competitors[0]?.id ?? '',
      judgeId: seed.judges[0]?.id ?? '',
      panelId: seed.panel.id,
      deviceId: spare?.id ?? '',
      seat: 'J5',
      name: 'diving',
      markId: randomUUID(),
      correctionId: randomUUID(),
      memberId: randomUUID(),
    };
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
  });
  afterAll(() => app.close());

  it('lists every route, and only routes that exist', () => {
    expect([...routes].sort()).toEqual(Object.keys(expected).sort());
  });

  const tokenOf = (caller: Caller, route: string): Record<string, string> => {
    switch (caller) {
      case 'public':
        return {};
      case 'judge':
        // Signing out ends the tablet's tokens: that route gets a judge of its own.
        return bearer(seed.tokens.judge(route.endsWith('judge-sign-out') ? 4 : 0));
      case 'display':
        return bearer(seed.tokens.display);
      default:
        return bearer(seed.tokens[caller]);
    }
  };
  const urlOf = (template: string) =>
    template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? name);

  it('allows exactly the expected roles on every route', async () => {
    const wrong: string[] = [];
    for (const route of Object.keys(expected)) {
      const [method = 'GET', template = ''] = route.split(' ');
      const url = urlOf(template);
      const allowed = new Set(expected[route]);
      // The roles that may call it go last, so a state change they make cannot hide a denial.
      const callers = [...everyone].sort((a, b) => Number(allowed.has(a)) - Number(allowed.has(b)));
      for (const caller of callers) {
        const res = await app.inject({
          method: method as 'GET',
          url,
          headers: tokenOf(caller, route),
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        });
        const denied = res.statusCode === 401 || res.statusCode === 403;
        const hidden = res.statusCode === 404 && !allowed.has(caller);
        if (res.statusCode >= 500) wrong.push(`${route} as ${caller}: ${res.statusCode}`);
        else if (allowed.has(caller) && denied)
          wrong.push(`${route} as ${caller}: denied (${res.statusCode})`);
        else if (!allowed.has(caller) && !(denied || hidden)) {
          wrong.push(`${route} as ${caller}: allowed (${res.statusCode})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers hostile bodies on every route with a 4xx naming the problem, and writes nothing', async () => {
    const written = async () => ({
      audit: (await app.db.select({ n: count() }).from(auditLog))[0]?.n,
      marks: (await app.db.select({ n: count() }).from(marks))[0]?.n,
    });
    const before = await written();
    const hostile: { name: string; payload: string; type?: string }[] = [
      { name: 'an array', payload: '[]' },
      {
        name: 'wrong types and unknown fields',
        payload: JSON.stringify({ id: 7, value: { $gt: '' }, admin: true }),
      },
      { name: 'not JSON', payload: '{"id": ', type: 'application/json' },
      { name: 'a 5 MB body', payload: JSON.stringify({ content: 'x'.repeat(5 * 1024 * 1024) }) },
    ];
    const wrong: string[] = [];
    // Every caller a route allows: a route may read the body differently per caller (corrections).
    const sweep = Object.entries(expected).flatMap(([route, allowed]) =>
      (allowed.length > 0 ? allowed : (['public'] as const)).map((caller) => [route, caller] as const),
    );
    for (const [route, caller] of sweep) {
      const [method = 'GET', template = ''] = route.split(' ');
      if (method === 'GET' || method === 'DELETE') continue;
      for (const { name, payload, type } of hostile) {
        const res = await app.inject({
          method: method as 'POST',
          url: urlOf(template),
          headers: { ...tokenOf(caller, route), 'content-type': type ?? 'application/json' },
          payload,
        });
        const body = res.json() as { error?: { code?: string; message?: string } };
        if (res.statusCode < 400 || res.statusCode >= 500 || !body.error?.code || !body.error.message) {
          wrong.push(`${route} as ${caller} with ${name}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
        // Too large (for a caller who may send it: a token that stopped working is refused first): the
        // advice fits the route (only the verify tool takes a marks file).
        const advice =
          route === 'POST /api/results'
            ? '成绩文件'
            : /\/import(\/preview)?$/.test(route)
              ? '分批导入'
              : null;
        const message = body.error?.message ?? '';
        if (
          name === 'a 5 MB body' &&
          res.statusCode !== 401 &&
          (res.statusCode !== 413 ||
            !message.startsWith('请求体过大：上限为') ||
            (advice ? !message.includes(advice) : /成绩文件|拆分|分批/.test(message)))
        ) {
          wrong.push(`${route} with ${name}: ${res.statusCode} ${message}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(await written()).toEqual(before);
  });

  it('refuses control characters and lone surrogates in every text field of every route, naming the field, and writes nothing', async () => {
    const written = async () => ({
      audit: (await app.db.select({ n: count() }).from(auditLog))[0]?.n,
      accounts: (await app.db.select({ n: count() }).from(accounts))[0]?.n,
      competitors: (await app.db.select({ n: count() }).from(competitors))[0]?.n,
    });
    const before = await written();
    type Property = {
      type?: string;
      format?: string;
      pattern?: string;
      enum?: unknown[];
      items?: Property;
      anyOf?: Property[];
    };
    const doc = app.swagger() as {
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties?: Record<string, Property> } }> } }
        >
      >;
    };
    // Secrets and files take any text (a password is only hashed, a file is checked row by row), an ID
    // number is checked as one by the service: refused, never a 5xx. A reason may run over several lines.
    const anyText = new Set(['password', 'content', 'marksCsv', 'idNumber']);
    const multiline = new Set(['reason']);
    const hostile = {
      NUL: 'ab\u0000c',
      'a control character': 'ab\u0007c',
      'a C1 control character': 'ab\u0085c',
      'a line break in a name': 'ab\ncd',
      'a lone surrogate': 'ab\ud800c',
    };
    const textFields = (properties: Record<string, Property>) =>
      Object.entries(properties).flatMap(([name, p]) => {
        const string = (q?: Property) => q?.type === 'string' || q?.anyOf?.some((a) => a.type === 'string');
        // A uuid, a date, a PIN, one of a list: refused by their format, which the issue names instead.
        // (A pairing code is checked after it is normalised, so its pattern is not in the input's schema.)
        const formatted = (q?: Property) => Boolean(q?.format || q?.pattern || q?.enum || name === 'code');
        if (string(p)) return [{ name, formatted: formatted(p), wrap: (v: string): unknown => v }];
        if (p.type === 'array' && string(p.items))
          return [{ name: `${name}.0`, formatted: formatted(p.items), wrap: (v: string): unknown => [v] }];
        return [];
      });
    const wrong: string[] = [];
    let checked = 0;
    for (const [route, allowed] of Object.entries(expected)) {
      const [method = 'GET', template = ''] = route.split(' ');
      if (method === 'GET' || method === 'DELETE') continue;
      const schema =
        doc.paths[template]?.[method.toLowerCase()]?.requestBody?.content['application/json']?.schema;
      const caller = allowed[0] ?? 'public';
      for (const field of textFields(schema?.properties ?? {})) {
        for (const [what, value] of Object.entries(hostile)) {
          if (what === 'a line break in a name' && multiline.has(field.name)) continue;
          checked++;
          const res = await app.inject({
            method: method as 'POST',
            url: urlOf(template),
            headers: { ...tokenOf(caller, route), 'accept-language': 'en' },
            payload: { [field.name.split('.')[0] ?? '']: field.wrap(value) },
          });
          const body = res.json() as { error?: { issues?: { field: string; message: string }[] } };
          const issue = body.error?.issues?.find((i) => i.field === field.name);
          const named = field.formatted
            ? issue !== undefined
            : /contains (the control character U\+|a broken character)/.test(issue?.message ?? '');
          const refused = anyText.has(field.name) ? res.statusCode >= 400 && res.statusCode < 500 : named;
          if (res.statusCode >= 500 || !refused)
            wrong.push(`${route} ${field.name} with ${what}: ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(100);
    expect(await written()).toEqual(before);
  });

  it('sends security headers', async () => {
    const res = await app.inject('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

/**
 * Every socket event × every role, through real Socket.IO clients: who may follow what. Written by hand as
 * the route table above is, and checked against the documented events (live-events.ts, which
 * live-events.test.ts checks against the handlers), so a new event without an entry here fails.
 * "Allowed" is a `{ data }` acknowledgement, with the audience the role should get; "refused" is the
 * `{ error }` code given. The competition's round is unpublished, then published.
 */
type SocketOutcome = 'staff' | 'public' | 'judge' | 'left' | 'round_unpublished';
const socketExpected: Record<
  keyof LiveClientEvents,
  Record<'unpublished' | 'published', Record<Caller, SocketOutcome>>
> = (() => {
  const staffOrRefused: Record<Caller, SocketOutcome> = {
    organizer: 'staff',
    chiefJudge: 'staff',
    encryptionOfficer: 'round_unpublished',
    scorekeeper: 'round_unpublished',
    judge: 'round_unpublished',
    display: 'round_unpublished',
    public: 'round_unpublished',
  };
  const byAudience: Record<Caller, SocketOutcome> = {
    organizer: 'staff',
    chiefJudge: 'staff',
    encryptionOfficer: 'public',
    scorekeeper: 'public',
    // A judge's device is an audience of its own: the public's view, never a name (decision 014).
    judge: 'judge',
    display: 'public',
    public: 'public',
  };
  const left = Object.fromEntries(everyone.map((c) => [c, 'left'])) as Record<Caller, SocketOutcome>;
  return {
    // An unpublished round: only the chief judge and the organizer (staff); once published, everyone.
    'round:join': { unpublished: staffOrRefused, published: byAudience },
    'round:leave': { unpublished: left, published: left },
    // Everyone may follow the list; staff are listed the unpublished round, the public is not.
    'competition:join': { unpublished: byAudience, published: byAudience },
    'competition:leave': { unpublished: left, published: left },
  };
})();

describe('role × socket event matrix', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let origin: string;
  const sockets = socketPool();

  beforeAll(async () => {
    ({ app } = await testApp('pglite'));
    seed = await seedCompetition(app);
    origin = await listen(app);
  });
  afterAll(async () => {
    sockets.close();
    await app.close();
  });

  it('has an entry for every documented event, and only for those', () => {
    expect(Object.keys(socketExpected).sort()).toEqual(Object.keys(clientEvents).sort());
  });

  const tokenOf = (caller: Caller) => tokenOfRole(seed, caller);
  /** Each event's request for the seeded round or competition. */
  const requestOf = (event: keyof LiveClientEvents) =>
    event.startsWith('round:')
      ? { competitionId: seed.competition.id, roundId: seed.round.id }
      : { competitionId: seed.competition.id };
  const outcomeOf = (event: keyof LiveClientEvents, answer: unknown): string => {
    const reply = answer as {
      data?: { audience?: string; rounds?: { roundId: string }[] };
      error?: { code: string };
    };
    if (reply.error) return reply.error.code;
    if (event.endsWith(':leave')) return 'left';
    const audience = reply.data?.audience ?? '?';
    // The list shows the round exactly when the audience may watch it (staff always, the public once published).
    if (event === 'competition:join') {
      const listed = reply.data?.rounds?.some((r) => r.roundId === seed.round.id) ?? false;
      if (listed !== (audience === 'staff' || published))
        return `${audience} (the round ${listed ? 'listed' : 'missing'})`;
    }
    return audience;
  };
  let published = false;

  const sweep = async (state: 'unpublished' | 'published') => {
    const wrong: string[] = [];
    for (const caller of everyone) {
      const socket = await sockets.connect(origin, tokenOf(caller));
      for (const event of Object.keys(clientEvents) as (keyof LiveClientEvents)[]) {
        const request = requestOf(event);
        const answer = await (
          socket as unknown as {
            emitWithAck(event: string, request: unknown): Promise<unknown>;
          }
        ).emitWithAck(event, event === 'round:leave' ? { roundId: seed.round.id } : request);
        const outcome = outcomeOf(event, answer);
        const expected = socketExpected[event][state][caller];
        if (outcome !== expected)
          wrong.push(`${event} as ${caller} (${state}): ${outcome}, expected ${expected}`);
      }
      socket.close();
    }
    return wrong;
  };

  it('lets each role follow exactly what it may, before and after publication', async () => {
    expect(await sweep('unpublished')).toEqual([]);
    const round = `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}`;
    const signed = await app.inject({
      method: 'POST',
      url: `${round}/sign-off`,
      headers: bearer(seed.tokens.chiefJudge),
      payload: { confirm: true, force: true, reason: '矩阵测试：强制签字' },
    });
    expect(signed.statusCode).toBe(200);
    const publication = await app.inject({
      method: 'POST',
      url: `${round}/publish`,
      headers: bearer(seed.tokens.chiefJudge),
    });
    expect(publication.statusCode).toBe(200);
    await app.live.settle();
    published = true;
    expect(await sweep('published')).toEqual([]);
  });

  it('refuses a socket whose token is forged, expired or of a revoked device before any event', async () => {
    const expired = app.tokens.issue({ typ: 'account', sub: seed.accounts.organizer.id }, -60);
    await app.inject({
      method: 'POST',
      url: `/api/competitions/${seed.competition.id}/devices/${seed.display.id}/revoke`,
      headers: bearer(seed.tokens.organizer),
    });
    for (const token of [`${seed.tokens.organizer}x`, expired, seed.tokens.display, 'not-a-token']) {
      await expect(sockets.connect(origin, token)).rejects.toThrow('unauthenticated');
    }
  });
});
