import type { EventJson } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import type { LiveRound } from '../live/store';
import { roundSnapshot } from './snapshot';

const standing = (competitor: string, rank: number) => ({ competitor, rank, total: String(90 - rank) });

const entryAt = (version: number): LiveRound => ({
  roundId: 'r',
  competitionId: 'c',
  round: 'Final',
  version,
  sourceVersion: version,
  status: { signedOff: false, decrypted: true, published: true, markingClosed: false },
  open: false,
  names: { A01: '李娜', A02: '王强' },
  freeze: null,
  event: {
    event: 'E',
    standings: [standing('A02', 1), standing('A01', 2)],
  } as unknown as EventJson,
});

describe('a round’s snapshot for each audience', () => {
  it('is made once per entry and audience, and anew for the next version', () => {
    const entry = entryAt(7);
    const shown = roundSnapshot(entry, 'public');
    expect(roundSnapshot(entry, 'public')).toBe(shown);
    expect(shown.standings.map((s) => [s.competitor, s.workstation])).toEqual([
      ['王强', 'A02'],
      ['李娜', 'A01'],
    ]);
    // A judge's device never gets a name, from the same entry.
    const judge = roundSnapshot(entry, 'judge');
    expect(judge).not.toBe(shown);
    expect(judge.standings.map((s) => s.competitor)).toEqual(['A02', 'A01']);
    const next = roundSnapshot(entryAt(8), 'public');
    expect(next).not.toBe(shown);
    expect([next.version, shown.version]).toEqual([8, 7]);
  });
});
