import {
  describeTextProblem,
  issuePath,
  type Locale,
  type Localized,
  type TextIssueParams,
} from '@jiangxin/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { z } from 'zod';

/**
 * The one error handler of the API. Every 4xx answer is `{ error: { code, message, ...details } }`, the
 * message in Chinese (zh-CN) unless the request's Accept-Language prefers English; a 5xx answer never shows
 * internals (the error goes to the log instead).
 */

export type { Locale, Localized } from '@jiangxin/shared';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What to do about a body over the route's limit (a route that takes a file: split it), said after it. */
    bodyTooLarge?: Localized;
  }
}

/** The client's preferred supported language from an Accept-Language header; Chinese by default. */
export function pickLocale(header: string | string[] | undefined): Locale {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranges = value
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.tag !== '' && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return 'zh-CN';
}

/** An error the client caused, with its message in every supported language and optional details. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly messages: Localized,
    readonly details: Record<string, unknown> | ((locale: Locale) => Record<string, unknown>) = {},
  ) {
    super(messages.en);
    this.name = 'AppError';
  }
}

/** A request part (body, params, querystring, headers) that its zod schema rejected. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly part: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`invalid ${part}`);
    this.name = 'RequestValidationError';
  }
}

const PARTS: Record<string, Localized> = {
  body: { 'zh-CN': '请求体', en: 'the request body' },
  params: { 'zh-CN': '路径参数', en: 'the path' },
  querystring: { 'zh-CN': '查询参数', en: 'the query string' },
  headers: { 'zh-CN': '请求头', en: 'the request headers' },
  payload: { 'zh-CN': '事件数据', en: "the event's payload" },
};

const TYPES: Record<string, Localized> = {
  string: { 'zh-CN': '字符串', en: 'a string' },
  number: { 'zh-CN': '数字', en: 'a number' },
  boolean: { 'zh-CN': '布尔值', en: 'a boolean' },
  object: { 'zh-CN': 'JSON 对象', en: 'a JSON object' },
  array: { 'zh-CN': '数组', en: 'an array' },
  null: { 'zh-CN': '空值 null', en: 'null' },
  undefined: { 'zh-CN': '空', en: 'nothing' },
};

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const typeName = (type: string, locale: Locale) => TYPES[type]?.[locale] ?? type;

/** One zod issue as a sentence that names the field and the problem. */
export function describeIssue(part: string, issue: z.core.$ZodIssue, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const field = issuePath(issue);
  const where = field ? (zh ? `字段 ${field} ` : `field "${field}"`) : (PARTS[part]?.[locale] ?? part);
  switch (issue.code) {
    case 'invalid_type': {
      const received = typeOf(issue.input);
      if (received === 'undefined' && field) return zh ? `缺少字段 ${field}` : `${where} is missing`;
      return zh
        ? `${where}应为${typeName(issue.expected, locale)}，收到的是${typeName(received, locale)}`
        : `${where} must be ${typeName(issue.expected, locale)}, not ${typeName(received, locale)}`;
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.join(zh ? '、' : ', ');
      return zh
        ? `${where}含有未知字段：${keys}`
        : `${where} has unknown field${issue.keys.length > 1 ? 's' : ''}: ${keys}`;
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1)
        return zh ? `${where}不能为空` : `${where} must not be empty`;
      return zh
        ? `${where}过小（至少 ${String(issue.minimum)}）`
        : `${where} is too small (at least ${String(issue.minimum)})`;
    case 'too_big':
      return zh
        ? `${where}过大（至多 ${String(issue.maximum)}）`
        : `${where} is too big (at most ${String(issue.maximum)})`;
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v)).join(zh ? '、' : ', ');
      return zh ? `${where}应为以下之一：${values}` : `${where} must be one of ${values}`;
    }
    case 'custom': {
      const text = (issue.params as Partial<TextIssueParams> | undefined)?.textProblem;
      if (text) return `${where}${zh ? '' : ' '}${describeTextProblem(text)[locale]}`;
      return zh ? `${where}无效（${issue.message}）` : `${where} is invalid: ${issue.message}`;
    }
    default:
      return zh ? `${where}无效（${issue.message}）` : `${where} is invalid: ${issue.message}`;
  }
}

/** A request part (or a socket event's payload) that its zod schema refused: a 400 naming each field. */
export function requestInvalid(part: string, issues: readonly z.core.$ZodIssue[]): AppError {
  return new AppError(
    400,
    'request_invalid',
    {
      'zh-CN': issues.map((i) => describeIssue(part, i, 'zh-CN')).join('；'),
      en: issues.map((i) => describeIssue(part, i, 'en')).join('; '),
    },
    (locale) => ({
      issues: issues.map((i) => ({
        field: issuePath(i),
        message: describeIssue(part, i, locale),
      })),
    }),
  );
}

const KB = 1024;
const formatBytes = (bytes: number) =>
  bytes >= KB * KB ? `${Number((bytes / (KB * KB)).toFixed(1))} MB` : `${Math.ceil(bytes / KB)} KB`;

/** How long a client waits before retrying a 503 (Retry-After): the tablet's outbox retries by itself. */
export const RETRY_AFTER_SECONDS = 5;

/** Postgres cannot be reached (down, restarting, refusing connections): the request may be sent again. */
export const storageUnavailable = () =>
  new AppError(503, 'storage_unavailable', {
    'zh-CN': '数据库暂时不可用：请稍后重试，已提交的评分不会丢失',
    en: 'the database is unavailable for a moment: try again shortly; nothing already acknowledged is lost',
  });

/** The process is shutting down: another process (or this one, restarted) takes the request. */
export const serverClosing = () =>
  new AppError(503, 'server_closing', {
    'zh-CN': '服务器正在重启：请稍后重试',
    en: 'the server is restarting: try again shortly',
  });

// postgres.js connection failures, and the SQLSTATE classes of a server that is gone or refusing work.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);
const UNAVAILABLE_STATES = ['08', '57P01', '57P02', '57P03', '53300'];

/** Whether an error (or one of its causes: drizzle wraps the driver's) says Postgres is unreachable. */
export function isStorageUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (UNREACHABLE.has(code) || UNAVAILABLE_STATES.some((state) => code.startsWith(state))) return true;
  }
  return false;
}

/** The client-facing form of an error, or null for a server fault. */
function clientError(error: FastifyError | Error, request: FastifyRequest): AppError | null {
  if (error instanceof AppError) return error;
  if (isStorageUnavailable(error)) return storageUnavailable();
  if (error instanceof RequestValidationError) return requestInvalid(error.part, error.issues);
  const code = 'code' in error ? error.code : undefined;
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = formatBytes(request.routeOptions.bodyLimit ?? 1024 * 1024);
      const hint = request.routeOptions.config?.bodyTooLarge;
      return new AppError(413, 'body_too_large', {
        'zh-CN': `请求体过大：上限为 ${limit}。${hint?.['zh-CN'] ?? ''}`,
        en: `The request body is too large: the limit is ${limit}.${hint ? ` ${hint.en}` : ''}`,
      });
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'unsupported_media_type', {
        'zh-CN': `不支持的内容类型 ${request.headers['content-type'] ?? ''}；请求体须为 JSON（Content-Type: application/json）`,
        en: `unsupported content type ${request.headers['content-type'] ?? ''}; send JSON (Content-Type: application/json)`,
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'body_empty', {
        'zh-CN': '请求体为空，应为 JSON 对象',
        en: 'the request body is empty; it must be a JSON object',
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError(400, 'body_malformed', {
        'zh-CN': '请求体不是有效的 JSON',
        en: 'the request body is not valid JSON',
      });
    // The router refuses these before any route runs (frameworkErrors below brings them here).
    case 'FST_ERR_BAD_URL':
      return new AppError(400, 'path_invalid', {
        'zh-CN': '路径含有无效的编码（如 %FF 或残缺的字符）',
        en: 'the path is not validly encoded (such as %FF or a broken character)',
      });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError(414, 'path_too_long', {
        'zh-CN': '路径中的某一段过长（至多 100 个字符）',
        en: 'a segment of the path is too long (at most 100 characters)',
      });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(400, 'body_incomplete', {
        'zh-CN': '请求体长度与 Content-Length 不符',
        en: 'the request body does not match its Content-Length',
      });
  }
  if (status >= 400 && status < 500) {
    return new AppError(status, 'bad_request', {
      'zh-CN': `请求无效：${error.message}`,
      en: `invalid request: ${error.message}`,
    });
  }
  return null;
}

/** A database error's fields that say what failed without quoting data (not `detail`, which quotes values). */
const SAFE_FIELDS = ['code', 'severity', 'routine', 'schema', 'table', 'column', 'constraint'] as const;
const PARAMETER_FIELDS = ['params', 'parameters'] as const;

/** The values a failed query was sent with, as text, longest first (a short one may be part of a longer). */
function parametersIn(chain: readonly Error[]): string[] {
  const values = new Set<string>();
  const add = (value: unknown) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) for (const v of value) add(v);
    else if (typeof value === 'string') values.add(value);
    else if (typeof value === 'object' && !ArrayBuffer.isView(value)) values.add(JSON.stringify(value));
    else values.add(String(value));
  };
  for (const error of chain) for (const field of PARAMETER_FIELDS) add((error as never)[field]);
  // Shorter ones would match ordinary words of a message (and are no secret).
  return [...values].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

/**
 * An error as the log may keep it: type, message, code, stack frames and its causes, with every query
 * parameter taken out. A failed query carries its parameters (drizzle puts them in the message, a driver in
 * `params` / `parameters`, Postgres may quote one), and they can be a password's hash or a person's data.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const chain: Error[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 8; e = e.cause) chain.push(e);
  const secrets = parametersIn(chain);
  const scrub = (text: string) =>
    secrets.reduce(
      (t, secret) => t.replaceAll(secret, '[parameter]'),
      text.replace(/\nparams: [\s\S]*$/, ''),
    );
  const one = (e: Error): Record<string, unknown> => ({
    type: e.name === 'Error' ? e.constructor.name : e.name,
    message: scrub(e.message),
    ...Object.fromEntries(
      SAFE_FIELDS.flatMap((f) => {
        const value = (e as never)[f];
        return typeof value === 'string' || typeof value === 'number' ? [[f, scrub(String(value))]] : [];
      }),
    ),
    // Frames only: the stack's first line repeats the message.
    stack: (e.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n'),
  });
  const [first, ...causes] = chain.map(one);
  return causes.length > 0 ? { ...first, causes } : { ...(first ?? {}) };
}

/** The one answer to an unexpected failure, over HTTP (500) and over the live sockets alike. */
export const INTERNAL_ERROR = 'internal_error';
export const internalError: Localized = {
  'zh-CN': '服务器内部错误，已记入日志；请联系技术支持。',
  en: 'Internal server error; it has been logged. Please contact technical support.',
};

/** Sends an AppError in the request's language. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const locale = pickLocale(request.headers['accept-language']);
  const details = typeof error.details === 'function' ? error.details(locale) : error.details;
  if (error.statusCode === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply
    .code(error.statusCode)
    .header('vary', 'Accept-Language')
    .type('application/json; charset=utf-8')
    .send({ error: { code: error.code, message: error.messages[locale], ...details } });
}

/** The one answer to any error: a client's as its 4xx, anything else logged and answered 500. */
function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const known = clientError(error, request);
  if (known) {
    request.log.info({ code: known.code, status: known.statusCode }, known.messages.en);
    return sendError(request, reply, known);
  }
  // The route and the path, never the body, the query string or the headers (the request's data).
  request.log.error(
    { error: loggableError(error), method: request.method, path: request.url.split('?')[0] },
    'unhandled error',
  );
  const locale = pickLocale(request.headers['accept-language']);
  return reply
    .code(500)
    .header('vary', 'Accept-Language')
    .send({ error: { code: INTERNAL_ERROR, message: internalError[locale] } });
}

/**
 * Fastify's `frameworkErrors` option: the errors its router answers before any route or error handler runs
 * (a path that is not valid percent-encoding, a path segment over the router's limit) get the same answer
 * as every other error. Passed where the Fastify instance is created (app.ts `fastifyOptions`).
 */
export const frameworkErrors = handleError;

async function errors(app: FastifyInstance) {
  // A request reaching a closing process (server.ts on SIGTERM) is refused retryably in our words; the
  // requests already running finish (Fastify's own 503 says neither the code nor when to retry).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    return sendError(request, reply, serverClosing());
  });
  app.setErrorHandler(handleError);
}

export default fp(errors, { name: 'errors' });

export const localized = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });
