import type { RoundSnapshot } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import {
  afterPoll,
  competitionLivePath,
  type Fetch,
  nothingPolled,
  type Polled,
  pollOnce,
  roundLivePath,
  startPolling,
} from './poll';

const snapshot = (version: number) => ({ roundId: 'r', version, standings: [] }) as unknown as RoundSnapshot;

/** A fake server: the snapshot it holds, answered 304 when the tag matches. */
function server(state: { version: number; fail?: boolean }) {
  const seen: (string | undefined)[] = [];
  const fetcher: Fetch = async (_url, init) => {
    seen.push(init.headers['if-none-match']);
    if (state.fail) throw new TypeError('Failed to fetch');
    const etag = `"1.${state.version}"`;
    const same = init.headers['if-none-match'] === etag;
    return {
      status: same ? 304 : 200,
      headers: { get: (name: string) => (name === 'etag' ? etag : null) },
      text: async () => (same ? '' : JSON.stringify(snapshot(state.version))),
    };
  };
  return { fetcher, seen };
}

describe('polling the live view with ETag', () => {
  it('asks the endpoints of a competition’s rounds and of a round’s snapshot', () => {
    expect(competitionLivePath('c 1')).toBe('/api/competitions/c%201/live');
    expect(roundLivePath('c', 'r/1')).toBe('/api/competitions/c/rounds/r%2F1/live');
  });

  it('takes a 200 with its tag, keeps the state on 304, names an error answer', () => {
    const first = afterPoll<RoundSnapshot>(nothingPolled, { status: 200, etag: '"1.1"', body: snapshot(1) });
    expect(first.etag).toBe('"1.1"');
    expect(afterPoll(first, { status: 304, etag: '"1.1"', body: null })).toBe(first);
    const refused = afterPoll(first, {
      status: 404,
      etag: null,
      body: { error: { code: 'round_unpublished', message: '…' } },
    });
    expect(refused.error).toBe('round_unpublished');
    expect(refused.answer).toBe(first.answer);
  });

  it('sends If-None-Match with the tag held; a network failure keeps what is held', async () => {
    const state = { version: 1, fail: false };
    const { fetcher, seen } = server(state);
    const first = await pollOnce<RoundSnapshot>(fetcher, '/live', nothingPolled);
    expect(first.answer?.version).toBe(1);
    const again = await pollOnce(fetcher, '/live', first);
    expect(again).toBe(first);
    state.version = 2;
    const second = await pollOnce(fetcher, '/live', again);
    expect(second.answer?.version).toBe(2);
    state.fail = true;
    expect(await pollOnce(fetcher, '/live', second)).toBe(second);
    expect(seen).toEqual([undefined, '"1.1"', '"1.1"', '"1.2"']);
  });

  it('polls until stopped, telling only changes', async () => {
    const state = { version: 1 };
    const { fetcher } = server(state);
    const versions: number[] = [];
    const stop = startPolling(
      fetcher,
      '/live',
      (s: Polled<RoundSnapshot>) => versions.push(s.answer?.version ?? 0),
      5,
    );
    await new Promise((r) => setTimeout(r, 30));
    state.version = 3;
    await new Promise((r) => setTimeout(r, 30));
    stop();
    expect(versions).toEqual([1, 3]);
  });
});
