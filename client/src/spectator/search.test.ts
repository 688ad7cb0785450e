import type { LiveStanding } from '@jiangxin/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { Follows, normalise, search } from './search';

const line = (workstation: string, competitor = workstation) => ({ workstation, competitor }) as LiveStanding;

describe('search', () => {
  const coded = [line('A01'), line('A02'), line('B10')];
  const named = [line('A01', '王建国'), line('A02', '李秀英'), line('B10', '王小明')];

  it('finds by workstation code from its start, ignoring case, spaces and full-width digits', () => {
    expect(search(coded, 'a0').map((s) => s.workstation)).toEqual(['A01', 'A02']);
    expect(search(coded, ' ｂ１ ').map((s) => s.workstation)).toEqual(['B10']);
    expect(search(coded, '01').map((s) => s.workstation)).toEqual([]);
    expect(search(coded, '')).toHaveLength(3);
  });

  it('finds by name anywhere in it after decryption, and still by code', () => {
    expect(search(named, '王').map((s) => s.competitor)).toEqual(['王建国', '王小明']);
    expect(search(named, '秀英').map((s) => s.workstation)).toEqual(['A02']);
    expect(search(named, 'B1').map((s) => s.competitor)).toEqual(['王小明']);
  });

  it('normalises what people type on phones', () => {
    expect(normalise('Ａ-0 1')).toBe('a01');
  });
});

describe('follows', () => {
  beforeEach(() => globalThis.localStorage?.clear());
  it('toggles a workstation in and out of the list', () => {
    const follows = new Follows('test.follow');
    expect(follows.toggle('A01')).toEqual(['A01']);
    expect(follows.toggle('B02')).toEqual(['A01', 'B02']);
    expect(follows.toggle('A01')).toEqual(['B02']);
    expect(follows.list()).toEqual(['B02']);
  });
});
