import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';

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
});
