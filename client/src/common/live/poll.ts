/**
 * Following the live view without a socket: its HTTP endpoints (`GET /api/competitions/:cid/live`, the
 * rounds; `GET /api/competitions/:cid/rounds/:rid/live`, a round's snapshot), asked again every few seconds
 * with `If-None-Match`, so an unchanged answer costs a 304 and no body. Plain `fetch` only (no
 * AbortSignal.any/timeout: in-app browsers).
 */

export const competitionLivePath = (competitionId: string) =>
  `/api/competitions/${encodeURIComponent(competitionId)}/live`;

export const roundLivePath = (competitionId: string, roundId: string) =>
  `/api/competitions/${encodeURIComponent(competitionId)}/rounds/${encodeURIComponent(roundId)}/live`;

/** How often a page without a socket asks again (the answers may be cached for 2 s). */
export const POLL_EVERY_MS = 3_000;

export interface Polled<T> {
  /** The last answer (null until the first). */
  answer: T | null;
  etag: string | null;
  /** Why the answer cannot be shown (`round_unpublished` …), or null. */
  error: string | null;
}

export const nothingPolled: Polled<never> = { answer: null, etag: null, error: null };

export interface PollAnswer {
  status: number;
  etag: string | null;
  body: unknown;
}

/** The state after one answer: 304 keeps it, 200 takes the new answer and tag, an error answer names it. */
export function afterPoll<T>(held: Polled<T>, answer: PollAnswer): Polled<T> {
  if (answer.status === 304) return held;
  if (answer.status === 200 && answer.body && typeof answer.body === 'object') {
    return { answer: answer.body as T, etag: answer.etag, error: null };
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
export async function pollOnce<T>(fetcher: Fetch, path: string, held: Polled<T>): Promise<Polled<T>> {
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
 * Polls `path` every `everyMs` until stopped; `onChange` hears each new state (a 304 is not a change).
 * Returns the stop function.
 */
export function startPolling<T>(
  fetcher: Fetch,
  path: string,
  onChange: (state: Polled<T>) => void,
  everyMs = POLL_EVERY_MS,
): () => void {
  let held: Polled<T> = nothingPolled;
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
