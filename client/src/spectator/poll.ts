import type { RoundSnapshot } from '@jiangxin/shared';

/**
 * Following a round without a socket: the cacheable snapshot endpoint
 * (`GET /api/competitions/:cid/rounds/:rid/live`), asked again every few seconds with `If-None-Match`, so an
 * unchanged round costs a 304 and no body. Plain `fetch` only (no AbortSignal.any/timeout: in-app browsers).
 */

export const livePath = (competitionId: string, roundId: string) =>
  `/api/competitions/${encodeURIComponent(competitionId)}/rounds/${encodeURIComponent(roundId)}/live`;

export interface Polled {
  snapshot: RoundSnapshot | null;
  etag: string | null;
  /** Why the round cannot be shown (`round_unpublished` …), or null. */
  error: string | null;
}

export interface PollAnswer {
  status: number;
  etag: string | null;
  body: unknown;
}

/** The state after one answer: 304 keeps it, 200 takes the new snapshot and tag, an error answer names it. */
export function afterPoll(held: Polled, answer: PollAnswer): Polled {
  if (answer.status === 304) return held;
  if (answer.status === 200 && answer.body && typeof answer.body === 'object') {
    return { snapshot: answer.body as RoundSnapshot, etag: answer.etag, error: null };
  }
  const code = (answer.body as { error?: { code?: string } } | null)?.error?.code ?? `http_${answer.status}`;
  return { ...held, error: code };
}

export type Fetch = (
  url: string,
  init: { headers: Record<string, string> },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** Asks once, with the tag held. A network failure keeps what is held (the next poll tries again). */
export async function pollOnce(fetcher: Fetch, path: string, held: Polled): Promise<Polled> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (held.etag) headers['if-none-match'] = held.etag;
  try {
    const response = await fetcher(path, { headers });
    const text = response.status === 304 ? '' : await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return afterPoll(held, { status: response.status, etag: response.headers.get('etag'), body });
  } catch {
    return held;
  }
}

/**
 * Polls a round every `everyMs` (the endpoint may be cached for 2 s) until stopped; `onChange` hears each new
 * state (a 304 is not a change). Returns the stop function.
 */
export function startPolling(
  fetcher: Fetch,
  path: string,
  onChange: (state: Polled) => void,
  everyMs = 3_000,
): () => void {
  let held: Polled = { snapshot: null, etag: null, error: null };
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    const next = await pollOnce(fetcher, path, held);
    if (stopped) return;
    if (next !== held) {
      held = next;
      onChange(next);
    }
    timer = setTimeout(() => void tick(), everyMs);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
