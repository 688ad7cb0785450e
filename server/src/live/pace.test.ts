import { describe, expect, it } from 'vitest';
import { NOT_PACED, PACE_BURST, PACE_GAP, type Paced, PUSH_INTERVAL_MS, pace, pushInterval } from './pace';

/** Takes a turn at each of `asks` (ms), waiting as the pace says; returns when each went. */
function turns(asks: number[], intervalMs: number): number[] {
  let paced: Paced = NOT_PACED;
  let free = 0;
  return asks.map((ask) => {
    const turn = pace(paced, Math.max(ask, free), intervalMs);
    paced = turn.next;
    free = paced.last;
    return paced.last;
  });
}

describe('the pace of a round’s recomputations and pushes', () => {
  it('lets a steady stream at the rate through at once, however its phase falls', () => {
    // Ten changes a second with jitter: a minimum gap of a whole interval would hold many of them back.
    const asks = Array.from({ length: 50 }, (_, i) => 1000 + i * 100 + (i % 3 === 0 ? 20 : -20));
    const went = turns(asks, 100);
    expect(went.map((at, i) => at - (asks[i] as number))).toEqual(asks.map(() => 0));
  });

  it('lets a burst go twice within an interval, a gap apart, then holds it to the rate', () => {
    const went = turns(
      Array.from({ length: 8 }, () => 5000),
      100,
    );
    expect(PACE_BURST).toBe(2);
    expect(went).toEqual([5000, 5000 + 100 * PACE_GAP, 5100, 5200, 5300, 5400, 5500, 5600]);
  });

  it('never lets more than the burst plus one per interval through in any window, nor two closer than the gap', () => {
    const asks = Array.from({ length: 400 }, (_, i) => Math.floor(i * 7.3 + ((i * 7919) % 37)));
    const went = turns(asks, 100);
    for (const [i, start] of went.entries()) {
      if (i > 0) expect(start - (went[i - 1] as number)).toBeGreaterThanOrEqual(100 * PACE_GAP);
      for (const span of [50, 100, 250, 1000]) {
        const inside = went.filter((at) => at >= start && at < start + span).length;
        expect(inside).toBeLessThanOrEqual(PACE_BURST + Math.floor(span / 100));
      }
    }
  });

  it('forgets turns long past: a quiet round goes at once', () => {
    expect(pace({ due: 1000, last: 900 }, 60_000, 100)).toEqual({
      waitMs: 0,
      next: { due: 60_100, last: 60_000 },
    });
    expect(pace(NOT_PACED, 60_000, 100).waitMs).toBe(0);
  });

  it('pushes a round less often as its audience on the process grows, never more often than the interval', () => {
    expect(pushInterval(0)).toBe(PUSH_INTERVAL_MS);
    expect(pushInterval(1_000)).toBe(PUSH_INTERVAL_MS);
    expect(pushInterval(10_000)).toBe(500);
    expect(pushInterval(40_000)).toBe(2_000);
  });
});
