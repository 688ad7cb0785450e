import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { allowedRolesOf } from './auth';
import { asyncApiDocument } from './live-events';
import { documentOperation, operationKey, tags } from './operations';

/**
 * OpenAPI generated from the same zod schemas the routes validate with (the single source of request
 * types, from shared/), served at /docs (UI) and /docs/json; each operation's group, summary and token come
 * from the catalogue in operations.ts and the route's allowRoles hook. The Socket.IO events are described
 * at /docs/socket and /docs/asyncapi.json. No asset comes from a CDN: venues are offline.
 */
const API_VERSION = '0.1.0';

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

const isApi = (url: string) => url === '/api' || url.startsWith('/api/');

/** A route's schema as the document shows it; routes outside /api (the client, /docs) are left out. */
function documented(
  schema: FastifySchema | undefined,
  route: { method: string | string[]; url: string; preValidation?: unknown },
): FastifySchema {
  if (!isApi(route.url)) return { ...schema, hide: true };
  const method = Array.isArray(route.method) ? (route.method[0] ?? '') : route.method;
  const doc = documentOperation(operationKey(method, route.url), allowedRolesOf(route.preValidation) ?? null);
  return { ...(schema ? transformSchema(schema) : {}), ...doc };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** The little Markdown the descriptions use: `code`. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** The AsyncAPI document as one readable page: no script, no external asset (the CSP allows inline style). */
function socketPage(doc: ReturnType<typeof asyncApiDocument>): string {
  const messages = doc.channels.live.messages;
  const payloadOf = (ref: { $ref: string } | undefined) => {
    const message = messages[ref?.$ref.split('/').at(-1) ?? ''];
    return escapeHtml(JSON.stringify(message?.payload, null, 2));
  };
  const section = (action: 'receive' | 'send', heading: string) => {
    const items = Object.values(doc.operations)
      .filter((operation) => operation.action === action)
      .map(
        (operation) => `<section>
<h3><code>${escapeHtml(operation.title)}</code> ${escapeHtml(operation.summary)}</h3>
<p>${inline(operation.description)}</p>
<details><summary>Payload schema</summary><pre>${payloadOf(operation.messages[0])}</pre></details>
${operation.reply ? `<details><summary>Acknowledgement schema</summary><pre>${payloadOf(operation.reply.messages[0])}</pre></details>` : ''}
</section>`,
      );
    return `<h2>${heading}</h2>\n${items.join('\n')}`;
  };
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}section{border-top:1px solid #ddd;padding:.5rem 0}
pre{background:#f7f7f7;padding:.75rem;overflow:auto;font-size:.85rem}h3 code{font-size:1.1rem}</style></head>
<body>
<h1>${escapeHtml(doc.info.title)}</h1>
<p>${inline(doc.info.description)}</p>
<p><a href="/docs/asyncapi.json">AsyncAPI 3.0 (JSON)</a> · <a href="/docs">HTTP API (OpenAPI)</a></p>
${section('receive', '客户端发送 · Client → server (acknowledged)')}
${section('send', '服务器推送 · Server → client')}
</body>
</html>
`;
}

async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: '匠心 Jiangxin API',
        description:
          'Judging and live scoring for workers’ skills competitions. Errors are `{ error: { code, message } }` ' +
          'with the message in zh-CN, or English with `Accept-Language: en`. Send `Authorization: Bearer <token>`; ' +
          'each operation names the roles (in the competition of its path) or the token it needs.\n\n' +
          'The live push over Socket.IO: [events 事件](/docs/socket) · [AsyncAPI](/docs/asyncapi.json).',
        version: API_VERSION,
      },
      tags: Object.entries(tags).map(([name, description]) => ({ name, description })),
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: ({ schema, url, route }) => ({ schema: documented(schema, route), url }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  const asyncApi = asyncApiDocument({ version: API_VERSION });
  const page = socketPage(asyncApi);
  app.get('/docs/asyncapi.json', { schema: { hide: true } }, async () => asyncApi);
  app.get('/docs/socket', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page),
  );
}

export default fp(openapi, { name: 'openapi' });
