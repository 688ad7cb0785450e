import type { SignOffBlockers } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { blockerCounts, blockerTotal, signOffBody } from './signoff';

const none: SignOffBlockers = { missing: [], unconfirmedPaper: [], flagged: [], openRemarks: [] };
const missing: SignOffBlockers = {
  ...none,
  missing: [
    { workstation: 'A01', item: 'quality', expected: 5, received: 4, seats: ['J2'], unassigned: false },
  ],
  flagged: [
    {
      workstation: 'A01',
      item: 'quality',
      flag: { code: 'missingMarks', expected: 5, received: 4 },
      blocking: true,
    },
    { workstation: 'A02', item: null, flag: { code: 'vetoed', by: 'safety' }, blocking: false },
  ],
};

describe('sign-off', () => {
  it('counts what blocks, leaving out flags that are results', () => {
    expect(blockerCounts(missing)).toEqual({ missing: 1, unconfirmedPaper: 0, flagged: 1, openRemarks: 0 });
    expect(blockerTotal(none)).toBe(0);
  });

  it('signs off a clean round once confirmed', () => {
    expect(signOffBody(none, { confirmed: false, force: false, reason: '' })).toBeNull();
    expect(signOffBody(none, { confirmed: true, force: false, reason: '' })).toEqual({ confirm: true });
  });

  it('needs force and a reason when anything blocks', () => {
    expect(signOffBody(missing, { confirmed: true, force: false, reason: 'x' })).toBeNull();
    expect(signOffBody(missing, { confirmed: true, force: true, reason: '  ' })).toBeNull();
    expect(signOffBody(missing, { confirmed: true, force: true, reason: ' J2 缺席 ' })).toEqual({
      confirm: true,
      force: true,
      reason: 'J2 缺席',
    });
  });
});
