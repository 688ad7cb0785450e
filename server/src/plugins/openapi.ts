import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';

/**
 * OpenAPI generated from the same zod schemas the routes validate with (the single source of request
 * types, from shared/), served at /docs (UI) and /docs/json. The UI's assets come from the package, not a
 * CDN: venues are offline.
 */
const toJson = (schema: unknown) =>
  schema instanceof z.ZodType
    ? z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' })
    : schema;

function transformSchema(schema: FastifySchema): FastifySchema {
  const out: Record<string, unknown> = { ...schema };
  for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
    if (schema[part] !== undefined) out[part] = toJson(schema[part]);
  }
  if (schema.response && typeof schema.response === 'object') {
    out.response = Object.fromEntries(Object.entries(schema.response).map(([code, s]) => [code, toJson(s)]));
  }
  return out;
}

async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: '匠心 Jiangxin API',
        description:
          'Judging and live scoring for workers’ skills competitions. Errors are `{ error: { code, message } }` ' +
          'with the message in zh-CN, or English with `Accept-Language: en`. Send `Authorization: Bearer <token>`.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: ({ schema, url }) => ({ schema: schema ? transformSchema(schema) : schema, url }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}

export default fp(openapi, { name: 'openapi' });
