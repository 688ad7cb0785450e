import { Agent, fetch } from 'undici';
import type { z } from 'zod';

/** The rehearsal cannot go on: the server refused a step, or a request it built does not fit the API. */
export class RehearsalError extends Error {}

/** A request body as the shared contract types it, checked with the schema the server validates it with. */
export function checked<S extends z.ZodType>(schema: S, body: z.input<S>): z.input<S> {
  const result = schema.safeParse(body);
  if (result.success) return body;
  throw new RehearsalError(
    `a request the rehearsal built does not fit the API: ${result.error.issues
      .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
      .join('; ')}`,
  );
}

/** One client of the API, as one tablet or one person's browser: its own connection (an undici Agent), its token. */
export class ApiClient {
  private readonly agent = new Agent({ connections: 1, pipelining: 1 });
  token: string | null = null;

  /** `userAgent` names the client in the request's user-agent header (the server's log may leave it out). */
  constructor(
    private readonly base: string,
    private readonly userAgent?: string,
  ) {}

  /** The answer whatever its status; throws when none came (the connection failed). */
  async send<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      dispatcher: this.agent,
      headers: {
        accept: 'application/json',
        'accept-language': 'en',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(this.userAgent ? { 'user-agent': this.userAgent } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
  }

  /** A file the server sends (an export): its bytes and headers; anything but 200 stops the rehearsal. */
  async download(path: string): Promise<{ bytes: Buffer; headers: Record<string, string> }> {
    const res = await fetch(`${this.base}${path}`, {
      dispatcher: this.agent,
      headers: {
        'accept-language': 'en',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200)
      throw new RehearsalError(`GET ${path} → ${res.status}: ${bytes.toString('utf8').slice(0, 300)}`);
    return { bytes, headers: Object.fromEntries(res.headers) };
  }

  /** A call that must succeed; otherwise the rehearsal stops, saying what the server answered. */
  async must<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, json } = await this.send<T>(method, path, body);
    if (status >= 300) throw new RehearsalError(`${method} ${path} → ${status}: ${JSON.stringify(json)}`);
    return json;
  }

  close() {
    return this.agent.close();
  }
}

/** Waits `ms`, or less when the signal aborts (the caller then stops). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
