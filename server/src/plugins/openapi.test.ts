import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app as application } from '../app';
import { openDatabase } from '../db/client';
import { allowedRolesOf } from './auth';
import { clientEvents, serverEvents } from './live-events';
import { operationKey, operations, tags } from './operations';

interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: unknown }> };
}

describe('OpenAPI', () => {
  let app: FastifyInstance;
  /** Every route the application registers, as the onRoute hook sees it. */
  const routes: RouteOptions[] = [];
  let doc: {
    openapi: string;
    info: { description: string };
    tags: { name: string; description: string }[];
    paths: Record<string, Record<string, Operation>>;
  };
  const operation = (key: string) => {
    const [method = '', path = ''] = key.split(' ');
    return doc.paths[path]?.[method.toLowerCase()];
  };

  beforeAll(async () => {
    app = Fastify();
    app.addHook('onRoute', (route) => {
      routes.push(route);
    });
    await application(app, {
      database: await openDatabase({ dataDir: null }),
      secret: randomBytes(32).toString('hex'),
      clientDist: '/nonexistent',
    });
    await app.ready();
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => app.close());

  /** The API's routes (Fastify adds a HEAD beside each GET by itself). */
  const apiRoutes = () =>
    routes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && typeof r.method === 'string');

  it('has a catalogue entry for every API route, and none for a route that does not exist', () => {
    const registered = apiRoutes().map((r) => operationKey(String(r.method), r.url));
    expect(registered.filter((key) => !operations[key])).toEqual([]);
    expect(Object.keys(operations).filter((key) => !registered.includes(key))).toEqual([]);
  });

  it('takes the token from the route’s allowRoles, or from the catalogue for a route without one', () => {
    const wrong = apiRoutes().flatMap((route) => {
      const key = operationKey(String(route.method), route.url);
      const roles = allowedRolesOf(route.preValidation);
      const access = operations[key]?.access;
      if (roles && access) return [`${key}: allowRoles and a catalogued access`];
      if (!roles && !access) return [`${key}: neither allowRoles nor a catalogued access`];
      const described = operation(key)?.description ?? '';
      return (roles ?? []).filter((role) => !described.includes(role)).map((role) => `${key}: ${role}`);
    });
    expect(wrong).toEqual([]);
  });

  it('groups, summarises and secures every operation, and documents nothing outside /api', () => {
    expect(doc.tags.map((t) => t.name)).toEqual(Object.keys(tags));
    const used = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\//);
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method} ${path}`;
        expect(op.tags, where).toHaveLength(1);
        for (const tag of op.tags ?? []) used.add(tag);
        // zh-CN, then English: "提交评分 · Submit a mark".
        expect(op.summary, where).toMatch(/^\p{Script=Han}.* · [A-Z]/u);
        expect(op.security, where).toBeInstanceOf(Array);
      }
    }
    expect([...used].sort()).toEqual(Object.keys(tags).sort());
    expect(operation('POST /api/competitions/{competitionId}/rounds/{roundId}/marks')).toMatchObject({
      summary: '提交评分 · Submit a mark',
      tags: ['marks'],
      security: [{ bearer: [] }],
    });
    expect(operation('GET /api/health')?.security).toEqual([]);
    // Anyone reads a published round's snapshot; a staff token also reads an unpublished one.
    expect(operation('GET /api/competitions/{competitionId}/rounds/{roundId}/live')?.security).toEqual([
      {},
      { bearer: [] },
    ]);
    expect(operation('POST /api/devices/judge-sign-in')).toMatchObject({ security: [{ bearer: [] }] });
    expect(operation('POST /api/devices/judge-sign-in')?.description).toContain('tablet');
  });

  it('documents every API route with the request schema the route validates with', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const verify = operation('POST /api/results')?.requestBody?.content['application/json']?.schema;
    expect(verify).toMatchObject({
      type: 'object',
      required: ['scheme', 'marksCsv'],
      properties: { scheme: { type: 'string' }, marksCsv: { type: 'string' } },
      additionalProperties: false,
    });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/templates/{name}']));
  });

  it('serves the UI from the server itself', async () => {
    const page = await app.inject('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger');
    expect(page.body).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });

  it('links a page of the Socket.IO events, every one of them, with nothing from elsewhere', async () => {
    expect(doc.info.description).toContain('(/docs/socket)');
    const page = await app.inject('/docs/socket');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).not.toMatch(/<script|(src|href)="https?:/);
    for (const name of [...Object.keys(clientEvents), ...Object.keys(serverEvents)])
      expect(page.body).toContain(`<code>${name}</code>`);
    const asyncApi = await app.inject('/docs/asyncapi.json');
    expect(asyncApi.json()).toMatchObject({ asyncapi: '3.0.0' });
  });
});
