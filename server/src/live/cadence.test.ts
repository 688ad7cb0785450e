import { describe, expect, it } from 'vitest';
import { CADENCE, nextInterval } from './cadence';

describe('the live view’s cadence', () => {
  it('stays at the push interval while the server is under its target', () => {
    for (const load of [0, 0.3, 0.69]) expect(nextInterval(CADENCE.minMs, load)).toBe(CADENCE.minMs);
  });

  it('spaces recomputations out while the server is busier, within a bound, and comes back as it calms', () => {
    let interval = CADENCE.minMs;
    const seen: number[] = [];
    for (let second = 0; second < 5; second++) {
      interval = nextInterval(interval, 0.95);
      seen.push(interval);
    }
    // Rising each second, never past the bound.
    expect(seen[0]).toBeGreaterThan(CADENCE.minMs);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] as number);
    expect(seen.at(-1)).toBe(CADENCE.maxMs);
    expect(nextInterval(interval, 1)).toBe(CADENCE.maxMs);
    // Back to the push interval within a few quiet seconds.
    for (let second = 0; second < 3; second++) interval = nextInterval(interval, 0.2);
    expect(interval).toBe(CADENCE.minMs);
  });
});
