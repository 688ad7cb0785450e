import type { LineReport } from '@jiangxin/shared';
import type { z } from 'zod';
import { currentLocale } from '../i18n';

/**
 * The one way the client talks HTTP to the server. Every call sends the interface language, so refusals come
 * back in it, and the bearer token of the surface's session when there is one. Request bodies are checked
 * against the same zod schema the server validates with before anything is sent.
 */

/** An error answer of the API (`{ error: { code, message, … } }`), or a request refused before sending. */
export class ApiError extends Error {
  constructor(
    /** The HTTP status; 0 when the request was refused here, before sending. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** The bad lines of a marks file (code `marks_invalid`). */
    readonly lines: LineReport[] = [],
    /** Seconds to wait, from Retry-After (sign-in lock-outs, rate limits). */
    readonly retryAfter: number | null = null,
    /** How many bad lines the marks file has in all; `lines` lists the first of them. */
    readonly errorCount: number = lines.length,
    /** The field the refusal is about (`endsOn`, `components.0.name`), when the server named one. */
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The network failed (offline, connection refused, timed out): nothing is known of the server's answer. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NetworkError';
  }
}

export interface CallOptions {
  token?: string | null;
  signal?: AbortSignal;
}

export interface Answer {
  status: number;
  json: unknown;
  retryAfter: number | null;
}

/** Sends a request and returns the answer whatever its status; throws NetworkError when none came. */
export async function send(
  method: string,
  path: string,
  options: CallOptions & { body?: unknown; timeoutMs?: number } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': currentLocale() === 'en' ? 'en' : 'zh-CN',
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined];
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined)),
      cache: 'no-store',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new NetworkError(error);
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const retryAfterHeader = Number(response.headers.get('retry-after'));
  return {
    status: response.status,
    json,
    retryAfter: Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : null,
  };
}

/** The ApiError an error answer stands for. */
export function errorOf(answer: Answer, path: string): ApiError {
  const error = (
    answer.json as
      | {
          error?: {
            code?: string;
            message?: string;
            lines?: LineReport[];
            errorCount?: number;
            field?: unknown;
            issues?: { field?: unknown }[];
          };
        }
      | undefined
  )?.error;
  const field = error?.field ?? error?.issues?.[0]?.field;
  return new ApiError(
    answer.status,
    error?.code ?? 'http_error',
    error?.message ?? `${path}: HTTP ${answer.status}`,
    error?.lines ?? [],
    answer.retryAfter,
    error?.errorCount ?? error?.lines?.length ?? 0,
    typeof field === 'string' ? field : null,
  );
}

/** Checks a body against the shared schema; a problem is an ApiError naming the field, as the server would. */
export function checked<S extends z.ZodType>(schema: S, body: z.input<S>): z.input<S> {
  const result = schema.safeParse(body);
  if (result.success) return body;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  throw new ApiError(0, 'request_invalid', `${field}: ${issue?.message ?? 'invalid'}`, [], null, 0, field);
}

/** Downloads a file of the API with the bearer token (a plain link cannot send it): its bytes and name. */
export async function download(
  path: string,
  options: CallOptions = {},
): Promise<{ blob: Blob; name: string }> {
  const headers: Record<string, string> = {
    'accept-language': currentLocale() === 'en' ? 'en' : 'zh-CN',
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, { headers, signal: options.signal, cache: 'no-store' });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    throw errorOf({ status: response.status, json, retryAfter: null }, path);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : (plain ?? path.split('/').pop() ?? 'download');
  return { blob: await response.blob(), name };
}

/** Calls the API and returns its JSON, or throws ApiError / NetworkError. */
export async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: CallOptions & { body?: unknown } = {},
): Promise<T> {
  const answer = await send(method, path, options);
  if (answer.status < 200 || answer.status >= 300) throw errorOf(answer, path);
  if (answer.json === undefined) throw new ApiError(answer.status, 'bad_response', `${path}: not JSON`);
  return answer.json as T;
}
