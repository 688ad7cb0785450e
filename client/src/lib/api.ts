import type {
  DemoResults,
  EventJson,
  LineReport,
  Scheme,
  TemplateSummary,
  VerifyRequest,
  VerifyResponse,
} from '@jiangxin/shared';
import type { Locale } from '../i18n/messages';

/**
 * The server's API, typed by the shared results and scheme types. Every call sends the interface language,
 * so error messages come back in it.
 */

export type { DemoResults, EventJson, LineReport, Scheme, TemplateSummary, VerifyRequest, VerifyResponse };
export type Standing = EventJson['standings'][number];
export type ComponentJson = Standing['components'][number];

/** An error answer of the API: `{ error: { code, message, ... } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The bad lines of a marks file (code `marks_invalid`). */
    readonly lines: LineReport[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface CallOptions {
  locale?: Locale;
  signal?: AbortSignal;
}

async function call<T>(
  path: string,
  options: CallOptions & { method?: string; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.locale) headers['accept-language'] = options.locale === 'en' ? 'en' : 'zh-CN';
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; lines?: LineReport[] } } | undefined)
      ?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `HTTP ${response.status} ${response.statusText}`,
      error?.lines ?? [],
    );
  }
  if (json === undefined) throw new ApiError(response.status, 'bad_response', `${path}: not JSON`);
  return json as T;
}

export const api = {
  templates: (options?: CallOptions) => call<TemplateSummary[]>('/api/templates', options),
  template: (name: string, options?: CallOptions) =>
    call<Scheme>(`/api/templates/${encodeURIComponent(name)}`, options),
  demoResults: (options?: CallOptions) => call<DemoResults>('/api/demo/results', options),
  async demoMarks(options?: CallOptions): Promise<string> {
    const response = await fetch('/api/demo/marks.csv', { signal: options?.signal });
    if (!response.ok) throw new ApiError(response.status, 'http_error', `HTTP ${response.status}`);
    return response.text();
  },
  verify: (body: VerifyRequest, options?: CallOptions) =>
    call<VerifyResponse>('/api/results', { ...options, method: 'POST', body }),
};
