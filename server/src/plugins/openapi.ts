import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { allowedRolesOf } from './auth';
import { operations, tags } from './operations';
import { socketDocs } from './socket-docs';

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

const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';

/** Fills a route's group, summary and security from the catalogue and its allowRoles guard. */
function describeRoute(route: RouteOptions) {
  const path = openApiPath(route.url);
  if (!path.startsWith('/api/')) {
    route.schema = { ...route.schema, hide: true };
    return;
  }
  for (const method of [route.method].flat()) {
    if (method === 'HEAD') continue;
    const entry = operations[`${method} ${path}`];
    // Undescribed routes stay visible: the test of the catalogue names them.
    if (!entry) continue;
    const [tag, zh, en, access] = entry;
    const roles = allowedRolesOf(route.preValidation);
    const open = roles ? roles.includes('public') : access === 'anyone';
    const who = roles
      ? `Roles: ${roles.join(', ')}${open ? ' (public: no token needed)' : ''}.`
      : access === 'anyone' || access === undefined
        ? 'Anyone: no token needed.'
        : `Token: ${access.token}.`;
    route.schema = {
      ...route.schema,
      tags: [tags[tag].name],
      summary: `${zh} · ${en}`,
      description: who,
      security: open ? [] : [{ bearer: [] }],
    };
  }
}

async function openapi(app: FastifyInstance) {
  app.addHook('onRoute', describeRoute);
  await app.register(swagger, {
    openapi: {
      info: {
        title: '匠心 Jiangxin API',
        description:
          'Judging and live scoring for workers’ skills competitions. Errors are `{ error: { code, message } }` ' +
          'with the message in zh-CN, or English with `Accept-Language: en`. Send `Authorization: Bearer <token>`. ' +
          'The live push (Socket.IO events, payloads, acks, who may join what): [/docs/socket](/docs/socket), ' +
          'as AsyncAPI at [/docs/asyncapi.json](/docs/asyncapi.json).',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      tags: Object.values(tags),
    },
    transform: ({ schema, url }) => ({ schema: schema ? transformSchema(schema) : schema, url }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  socketDocs(app);
}

export default fp(openapi, { name: 'openapi' });
