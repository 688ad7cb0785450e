import { describe, expect, it } from 'vitest';
import { nextStep } from './live';

describe('nextStep: what a screen does with a round:update', () => {
  it('applies a newer snapshot whatever the gap, ignores the same version, and joins again on a lower one', () => {
    expect(nextStep(null, { version: 4 })).toBe('apply');
    expect(nextStep(4, { version: 9 })).toBe('apply');
    expect(nextStep(9, { version: 9 })).toBe('ignore');
    // After a rebuild versions start again (or a message from another process came late).
    expect(nextStep(9, { version: 2 })).toBe('rejoin');
  });

  it('applies a delta only on top of the version it was made from, else joins again', () => {
    expect(nextStep(4, { version: 5, delta: { base: 4 } })).toBe('apply');
    expect(nextStep(4, { version: 7, delta: { base: 6 } })).toBe('rejoin');
    expect(nextStep(null, { version: 7, delta: { base: 6 } })).toBe('rejoin');
  });
});
