import { describe, expect, it } from 'vitest';
import { marksInJudgeOrder } from './marks';

describe('marksInJudgeOrder', () => {
  it('puts used and dropped marks back in judge order', () => {
    const shown = marksInJudgeOrder(
      [
        { judge: 'J3', mark: '9' },
        { judge: 'J10', mark: '8.5' },
      ],
      [
        { judge: 'J2', mark: '10' },
        { judge: 'J1', mark: '7' },
      ],
    );
    expect(shown.map((m) => `${m.judge}${m.dropped ? '-' : '+'}`)).toEqual(['J1-', 'J2-', 'J3+', 'J10+']);
  });
});
