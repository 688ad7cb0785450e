import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventJson } from '@jiangxin/shared';
import { parseCsv } from '@jiangxin/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, app as plugin } from './app';
import { openDatabase } from './db/client';

const fixtures = join(import.meta.dirname, '../../tests/fixtures');
const marksCsv = readFileSync(join(fixtures, 'paris2024-men-10m-platform-final.marks.csv'), 'utf8');
const official = parseCsv(
  readFileSync(join(fixtures, 'paris2024-men-10m-platform-final.official.csv'), 'utf8'),
)
  .records.slice(1)
  .map(({ fields: [rank, competitor, total] }) => ({ rank: Number(rank), competitor, total }));

// A client build stand-in, so these tests do not depend on `vite build`.
const dist = mkdtempSync(join(tmpdir(), 'jiangxin-dist-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>匠心 test client</title>');
writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ clientDist: dist });
});
afterAll(async () => {
  await app.close();
});

const en = { 'accept-language': 'en-GB,en;q=0.9,zh-CN;q=0.5' };
const zh = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' };

type ErrorBody = { error: { code: string; message: string; [key: string]: unknown } };

function post(payload: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/results', payload: payload as object, headers });
}

describe('API', () => {
  it('GET /api/health', async () => {
    const res = await app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /api/templates lists the shipped templates with titles and sources', async () => {
    const res = await app.inject('/api/templates');
    expect(res.statusCode).toBe(200);
    const list = res.json() as {
      name: string;
      title: string;
      titleEn: string | null;
      source: string | null;
    }[];
    const names = list.map((t) => t.name);
    expect(names).toContain('diving');
    expect(names).toContain('national-workers');
    expect(names.length).toBeGreaterThan(3);
    const diving = list.find((t) => t.name === 'diving');
    expect(diving?.title).toMatch(/跳水/);
    expect(diving?.titleEn).toMatch(/Diving/);
    expect(diving?.source).toMatch(/World Aquatics/);
  });

  it('GET /api/templates/:name returns the parsed scheme', async () => {
    const res = await app.inject('/api/templates/diving');
    expect(res.statusCode).toBe(200);
    const scheme = res.json();
    expect(scheme.id).toBe('diving');
    expect(scheme.components[0].attempts).toMatchObject({ label: 'dive', count: 6, difficulty: true });
    expect(scheme.rounds.map((r: { id: string }) => r.id)).toEqual(['Prelim', 'Semi', 'Final']);
  });

  it('an unknown template is a 404 that lists the known ones', async () => {
    const res = await app.inject('/api/templates/no-such');
    expect(res.statusCode).toBe(404);
    const body = res.json() as ErrorBody;
    expect(body.error.code).toBe('template_unknown');
    expect(body.error.message).toContain('no-such');
    expect(body.error.message).toContain('diving');
    expect(body.error.templates).toContain('tea');
  });

  it('GET /api/demo/results: the Paris 2024 final computed by the engine', async () => {
    const res = await app.inject('/api/demo/results');
    expect(res.statusCode).toBe(200);
    const { demo, events } = res.json() as { demo: { scheme: string }; events: EventJson[] };
    expect(demo.scheme).toBe('diving');
    const [event] = events;
    expect(event?.standings).toHaveLength(12);
    expect(event?.standings[0]).toMatchObject({ rank: 1, competitor: 'Cao Yuan', total: '547.50' });
    const dive = event?.standings[0]?.components[0];
    expect(dive?.attempts).toHaveLength(6);
  });

  it('GET /api/demo/marks.csv serves the demo marks file', async () => {
    const res = await app.inject('/api/demo/marks.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.body.split(/\r?\n/)[0]).toBe('event,round,competitor,item,judge,mark,difficulty');
  });
});

describe('POST /api/results', () => {
  it('recomputes the official standings from the marks', async () => {
    const res = await post({ scheme: 'diving', marksCsv });
    expect(res.statusCode).toBe(200);
    const { events } = res.json() as { events: EventJson[] };
    expect(events).toHaveLength(1);
    expect(
      events[0]?.standings.map((s) => ({ rank: s.rank, competitor: s.competitor, total: s.total })),
    ).toEqual(official);
    expect(official).toHaveLength(12);
  });

  it('a malformed marks file is a 400 listing every bad line', async () => {
    const bad = [
      'event,round,competitor,item,judge,mark,difficulty',
      'M10,Final,A,dive-1,J1,8,3.2',
      'M10,Final,A,dive-1,J2,eleven,3.2',
      'M10,Final,A,dive-9,J3,8,3.2',
      'M10,Final,A,dive-1,J4,8',
    ].join('\n');
    const res = await post({ scheme: 'diving', marksCsv: bad }, en);
    expect(res.statusCode).toBe(400);
    const body = res.json() as ErrorBody & { error: { lines: { line: number; message: string }[] } };
    expect(body.error.code).toBe('marks_invalid');
    expect(body.error.message).toMatch(/marksCsv/);
    expect(body.error.lines.map((l) => l.line)).toEqual([3, 4, 5]);
    expect(body.error.lines[0]?.message).toMatch(/not a number/);
    // The same lines in the default language, Chinese.
    const zh = (await post({ scheme: 'diving', marksCsv: bad })).json() as typeof body;
    expect(zh.error.lines[0]?.message).toMatch(/不是数字/);
  });

  it('an unknown template is a 400 naming the field and the templates', async () => {
    const res = await post({ scheme: 'curling', marksCsv }, en);
    expect(res.statusCode).toBe(400);
    const body = res.json() as ErrorBody;
    expect(body.error.code).toBe('template_unknown');
    expect(body.error.message).toMatch(/"scheme".*curling.*diving/);
  });

  it('a field of the wrong type is a 400 naming the field', async () => {
    const res = await post({ scheme: 42, marksCsv }, en);
    expect(res.statusCode).toBe(400);
    const body = res.json() as ErrorBody;
    expect(body.error.code).toBe('request_invalid');
    expect(body.error.message).toBe('field "scheme" must be a string, not a number');
    expect(body.error.issues).toEqual([{ field: 'scheme', message: body.error.message }]);
  });

  it('a missing field is a 400 naming it', async () => {
    const res = await post({ scheme: 'diving' }, zh);
    expect(res.statusCode).toBe(400);
    expect((res.json() as ErrorBody).error.message).toBe('缺少字段 marksCsv');
  });

  it('unknown fields are a 400 naming them', async () => {
    const res = await post({ scheme: 'diving', marksCsv, round: 'Final', judge: 'J1' }, en);
    expect(res.statusCode).toBe(400);
    const body = res.json() as ErrorBody;
    expect(body.error.code).toBe('request_invalid');
    expect(body.error.message).toMatch(/unknown fields: round, judge/);
  });

  it('a body over 1.5 MB is a 413 with a clear message', async () => {
    const huge = `${marksCsv}${'x'.repeat(1.5 * 1024 * 1024)}`;
    const res = await post({ scheme: 'diving', marksCsv: huge }, en);
    expect(res.statusCode).toBe(413);
    const body = res.json() as ErrorBody;
    expect(body.error.code).toBe('body_too_large');
    expect(body.error.message).toMatch(/1\.5 MB.*20,000 marks/);
  });

  it('malformed, empty or non-JSON bodies are 4xx, never 500', async () => {
    const cases = [
      { payload: '{"scheme": "diving",', headers: { 'content-type': 'application/json' } },
      { payload: '', headers: { 'content-type': 'application/json' } },
      { payload: 'scheme=diving', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { payload: 'hello', headers: { 'content-type': 'text/plain' } },
      { payload: '[]', headers: { 'content-type': 'application/json' } },
      { payload: 'null', headers: { 'content-type': 'application/json' } },
    ];
    for (const { payload, headers } of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/results', payload, headers });
      expect(res.statusCode, payload).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, payload).toBeLessThan(500);
      expect((res.json() as ErrorBody).error.message, payload).toBeTruthy();
    }
  });

  it('odd but well-formed marks files never cause a 500', async () => {
    const header = 'event,round,competitor,item,judge,mark,difficulty';
    const files = [
      '',
      header,
      `${header}\nM10,Final,A,dive-1,J1,8,3.2`,
      `${header}\nM10,Prelim,A,dive-1,J1,8,3.2\nM10,Final,B,dive-2,J1,9,2.0`,
      `${header}\n"M10,Final,A,dive-1,J1,8,3.2`,
      'a,b\n1,2',
      `${header}\nM10,Final,A,dive-1,J1,8,3.2\nM10,Final,A,dive-1,J1,8,3.2`,
      `${header}\nM10,Final,A,dive-1,J1,8,3.3\nM10,Final,A,dive-1,J2,8,3.2`,
    ];
    for (const file of files) {
      const res = await post({ scheme: 'diving', marksCsv: file });
      expect(res.statusCode, file).toBeLessThan(500);
    }
  });
});

describe('errors', () => {
  it('are in Chinese by default and in English when Accept-Language prefers it', async () => {
    const byDefault = (await post({ scheme: 42, marksCsv })).json() as ErrorBody;
    const chinese = (await post({ scheme: 42, marksCsv }, zh)).json() as ErrorBody;
    const english = (await post({ scheme: 42, marksCsv }, en)).json() as ErrorBody;
    expect(chinese.error.message).toBe('字段 scheme 应为字符串，收到的是数字');
    expect(byDefault.error.message).toBe(chinese.error.message);
    expect(english.error.message).not.toBe(chinese.error.message);
    expect(english.error.code).toBe(chinese.error.code);
    const frenchThenEnglish = await post({ scheme: 42, marksCsv }, { 'accept-language': 'fr-FR, en;q=0.5' });
    expect((frenchThenEnglish.json() as ErrorBody).error.message).toBe(english.error.message);
  });

  it('an unknown API path is a JSON 404', async () => {
    const res = await app.inject({ url: '/api/nothing-here', headers: en });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'not found: GET /api/nothing-here' } });
    const posted = await app.inject({ method: 'POST', url: '/api/nothing', payload: {} });
    expect(posted.statusCode).toBe(404);
    expect((posted.json() as ErrorBody).error.code).toBe('not_found');
  });

  it('a server fault is a 500 that does not leak its details', async () => {
    // A route that fails the way a bug would, on an instance of its own.
    const instance = Fastify();
    await plugin(instance, {
      clientDist: dist,
      database: await openDatabase({ dataDir: null }),
      secret: 'x'.repeat(32),
    });
    instance.get('/api/boom', async () => {
      throw new Error('secret database password in a stack trace');
    });
    const res = await instance.inject({ url: '/api/boom', headers: en });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/secret|stack/);
    expect((res.json() as ErrorBody).error.code).toBe('internal_error');
    await instance.close();
  });
});

describe('client', () => {
  it('serves the built client, with index.html for page paths', async () => {
    const root = await app.inject('/');
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('匠心 test client');
    expect(root.headers['cache-control']).toBe('no-cache');
    const page = await app.inject('/results/verify');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('匠心 test client');
    const asset = await app.inject('/assets/app-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    const missing = await app.inject('/assets/missing.js');
    expect(missing.statusCode).toBe(404);
  });

  it('still starts without a client build, and / says how to build it', async () => {
    const bare = await buildApp({ clientDist: join(dist, 'not-built') });
    const res = await bare.inject('/');
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('pnpm start');
    expect((await bare.inject('/api/health')).statusCode).toBe(200);
    await bare.close();
  });
});
