import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { operations } from './operations';

describe('OpenAPI', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ clientDist: '/nonexistent' });
  });
  afterAll(() => app.close());

  it('documents every API route with the request schema the route validates with', async () => {
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const verify = doc.paths['/api/results']?.post?.requestBody?.content['application/json']?.schema;
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

  it('describes every operation once: a group, a summary in zh-CN and English, and the token it needs', async () => {
    const doc = (await app.inject('/docs/json')).json() as {
      paths: Record<string, Record<string, { tags?: string[]; summary?: string; security?: unknown[] }>>;
      tags: { name: string }[];
    };
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(
      documented.filter((d) => !(d.key in operations)).map((d) => d.key),
      'routes without an entry',
    ).toEqual([]);
    const keys = new Set(documented.map((d) => d.key));
    expect(
      Object.keys(operations).filter((k) => !keys.has(k)),
      'entries without a route',
    ).toEqual([]);
    for (const { key, op } of documented) {
      expect(op.summary, key).toMatch(/\p{Script=Han}.* · [A-Za-z]/u);
      expect(
        doc.tags.map((t) => t.name),
        key,
      ).toContain(op.tags?.[0]);
      expect(op.security, key).toBeDefined();
    }
    const security = (key: string) => documented.find((d) => d.key === key)?.op.security;
    expect(security('POST /api/auth/login')).toEqual([]);
    expect(security('POST /api/competitions/{competitionId}/rounds/{roundId}/marks')).toEqual([
      { bearer: [] },
    ]);
    // A public route behind allowRoles (results once published) needs no token.
    expect(security('GET /api/competitions/{competitionId}/rounds/{roundId}/results')).toEqual([]);
    expect(Object.keys(doc.paths).some((p) => !p.startsWith('/api/'))).toBe(false);
  });
});
