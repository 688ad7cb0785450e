import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescePerRound } from './coalesce';

type Entry = { roundId: string; sourceVersion: number; version: number };
const at = (roundId: string, sourceVersion: number, version = sourceVersion): Entry => ({
  roundId,
  sourceVersion,
  version,
});

describe('coalescePerRound', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first change at once and at most one per interval after, always the newest', () => {
    const sent: string[] = [];
    const push = coalescePerRound<Entry>(100, (e) => sent.push(`${e.roundId}@${e.version}`));
    push.push(at('r', 1));
    expect(sent).toEqual(['r@1']);
    for (let v = 2; v <= 50; v++) push.push(at('r', v));
    push.push(at('r', 7)); // late and older: never sent
    push.push(at('other', 3)); // another round is not held back
    expect(sent).toEqual(['r@1', 'other@3']);
    vi.advanceTimersByTime(99);
    expect(sent).toEqual(['r@1', 'other@3']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['r@1', 'other@3', 'r@50']);
    push.push(at('r', 50));
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['r@1', 'other@3', 'r@50']);
    push.push(at('r', 51));
    expect(sent).toEqual(['r@1', 'other@3', 'r@50', 'r@51']);
  });

  it('follows a rebuilt live view whose versions start again, by the Postgres position', () => {
    const sent: string[] = [];
    const push = coalescePerRound<Entry>(100, (e) => sent.push(`${e.sourceVersion}/${e.version}`));
    push.push(at('r', 40, 12));
    push.push(at('r', 40, 1)); // the rebuild: same content, nothing to send
    vi.advanceTimersByTime(1000);
    push.push(at('r', 41, 2)); // the next change after it goes out although its version is lower
    expect(sent).toEqual(['40/12', '41/2']);
  });

  it('drops what waits when closed', () => {
    const sent: number[] = [];
    const push = coalescePerRound<Entry>(100, (e) => sent.push(e.version));
    push.push(at('r', 1));
    push.push(at('r', 2));
    push.close();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1]);
  });
});
