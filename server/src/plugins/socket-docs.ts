import {
  competitionJoinRequest,
  type LiveClientEvents,
  type LiveServerEvents,
  roundJoinRequest,
  roundLeaveRequest,
} from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/**
 * The live push documented from the typed event maps of shared/src/api/live.ts: every client → server event
 * with its request schema (the one the server validates with) and its acknowledgement, every server → client
 * event with its payload. The maps below must name every event (`satisfies Record<keyof …>`), so a new event
 * does not typecheck until it is documented. Served as AsyncAPI 3.0 at /docs/asyncapi.json and as a page at
 * /docs/socket. The payload schemas of server → client events are checked against real payloads by a test.
 */

const status = z.strictObject({ signedOff: z.boolean(), decrypted: z.boolean(), published: z.boolean() });

/** A line of the standings: the fields screens key on; the breakdown (components, marks by seat) besides. */
const standing = z.looseObject({
  competitor: z.string().describe('workstation code, or the name once decrypted (see labels)'),
  workstation: z.string(),
  rank: z.number().int().nullable(),
  total: z.string().nullable().describe('a decimal string; null without a mark yet'),
});

export const roundSnapshot = z.strictObject({
  roundId: z.string(),
  competitionId: z.string(),
  version: z.number().int(),
  audience: z.enum(['staff', 'public']),
  status,
  labels: z.enum(['workstation', 'name']),
  event: z.string(),
  round: z.string(),
  standings: z.array(standing),
  frozen: z.strictObject({ revealed: z.number().int(), hidden: z.number().int() }).nullable(),
});

const roundDelta = z.strictObject({
  base: z.number().int().describe('the version this delta applies to'),
  changed: z.array(z.looseObject({ workstation: z.string() })),
  order: z.array(z.string()).optional(),
});

export const roundUpdate = z.union([
  z.strictObject({ roundId: z.string(), version: z.number().int(), snapshot: roundSnapshot }),
  z.strictObject({ roundId: z.string(), version: z.number().int(), delta: roundDelta }),
]);

const roundSummary = z.strictObject({
  roundId: z.string(),
  version: z.number().int(),
  event: z.string(),
  round: z.string(),
  status,
  open: z.boolean(),
  frozen: z.boolean(),
});

export const competitionSnapshot = z.strictObject({
  competitionId: z.string(),
  audience: z.enum(['staff', 'public']),
  rounds: z.array(roundSummary),
});

export const competitionUpdate = z.union([
  z.strictObject({ competitionId: z.string(), round: roundSummary }),
  z.strictObject({ competitionId: z.string(), gone: z.strictObject({ roundId: z.string() }) }),
]);

const ack = (data: z.ZodType) =>
  z.union([
    z.strictObject({ data }),
    z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) }),
  ]);

interface ClientEventDoc {
  summary: string;
  who: string;
  request: z.ZodType;
  ack: z.ZodType;
}

interface ServerEventDoc {
  summary: string;
  payload: z.ZodType;
}

export const clientEvents = {
  'round:join': {
    summary: '加入场次，得到快照，随后接收更新 · Join a round: a snapshot, then its updates',
    who: 'chief judge and organizer at any time; judges, screens and the public once published or open',
    request: roundJoinRequest,
    ack: ack(roundSnapshot),
  },
  'round:leave': {
    summary: '离开场次 · Leave a round',
    who: 'any socket',
    request: roundLeaveRequest,
    ack: ack(z.strictObject({ roundId: z.string() })),
  },
  'competition:join': {
    summary: '加入竞赛，得到可观看的场次列表 · Join a competition: the rounds the audience may watch',
    who: 'anyone (the list is cut to what the socket’s audience may see)',
    request: competitionJoinRequest,
    ack: ack(competitionSnapshot),
  },
  'competition:leave': {
    summary: '离开竞赛 · Leave a competition',
    who: 'any socket',
    request: competitionJoinRequest,
    ack: ack(z.strictObject({ competitionId: z.string() })),
  },
} satisfies Record<keyof LiveClientEvents, ClientEventDoc>;

export const serverEvents = {
  'round:update': {
    summary: '场次更新：整张快照或增量（按版本）· A round changed: a whole snapshot or a delta (by version)',
    payload: roundUpdate,
  },
  'round:gone': {
    summary: '场次不再可见 · The round is no longer visible to you',
    payload: z.strictObject({ roundId: z.string(), reason: z.enum(['unpublished']) }),
  },
  'competition:update': {
    summary: '竞赛的场次出现、变化或消失 · A round of the competition appeared, changed or went',
    payload: competitionUpdate,
  },
  'session:ended': {
    summary: '会话结束（令牌过期或设备被吊销），随后断开 · The session ended (token expired, device revoked)',
    payload: z.strictObject({ reason: z.enum(['expired', 'revoked']) }),
  },
} satisfies Record<keyof LiveServerEvents, ServerEventDoc>;

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** The AsyncAPI 3.0 document of the live push. */
export function asyncApiDocument() {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const [event, doc] of Object.entries(clientEvents)) {
    const id = event.replace(':', '_');
    channels[id] = {
      address: event,
      messages: {
        request: { name: event, summary: doc.summary, payload: json(doc.request) },
        ack: { name: `${event} (ack)`, payload: json(doc.ack) },
      },
    };
    operations[id] = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      summary: doc.summary,
      description: `Who may: ${doc.who}.`,
      messages: [{ $ref: `#/channels/${id}/messages/request` }],
      reply: { messages: [{ $ref: `#/channels/${id}/messages/ack` }] },
    };
  }
  for (const [event, doc] of Object.entries(serverEvents)) {
    const id = event.replace(':', '_');
    channels[id] = {
      address: event,
      messages: { event: { name: event, summary: doc.summary, payload: json(doc.payload) } },
    };
    operations[id] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      summary: doc.summary,
      messages: [{ $ref: `#/channels/${id}/messages/event` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: '匠心 Jiangxin live push (Socket.IO)',
      version: '0.1.0',
      description:
        'Socket.IO at path /socket.io/ on the API’s origin, WebSocket first. Connect with `auth: { token }` ' +
        '(an account, judge or display token; none: public). Every client event is acknowledged with ' +
        '`{ data }` or `{ error: { code, message } }`. Versions: see shared/src/api/live.ts.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** The same document as a page people read. */
function page(): string {
  const section = (title: string, rows: [string, string, string, unknown][]) =>
    `<h2>${title}</h2>${rows
      .map(
        ([event, summary, who, schema]) =>
          `<h3><code>${escapeHtml(event)}</code></h3><p>${escapeHtml(summary)}</p>${who ? `<p>${escapeHtml(who)}</p>` : ''}` +
          `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`,
      )
      .join('')}`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>匠心 实时推送 · Live push</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:.75rem;overflow:auto;font-size:.8rem}</style>
</head><body><h1>匠心 实时推送 · Live push (Socket.IO)</h1>
<p>Path <code>/socket.io/</code>, WebSocket first; <code>io(origin, { auth: { token } })</code>. AsyncAPI: <a href="/docs/asyncapi.json">/docs/asyncapi.json</a>. HTTP API: <a href="/docs">/docs</a>.</p>
${section(
  '客户端 → 服务器 · Client to server (with acknowledgement)',
  Object.entries(clientEvents).map(([e, d]) => [
    e,
    d.summary,
    `Who may: ${d.who}.`,
    { request: json(d.request), ack: json(d.ack) },
  ]),
)}
${section(
  '服务器 → 客户端 · Server to client',
  Object.entries(serverEvents).map(([e, d]) => [e, d.summary, '', json(d.payload)]),
)}
</body></html>`;
}

export function socketDocs(app: FastifyInstance) {
  const document = asyncApiDocument();
  const html = page();
  app.get('/docs/asyncapi.json', { schema: { hide: true } }, async () => document);
  app.get('/docs/socket', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(html),
  );
}
