import type { RoundSummary } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { applyCompetitionUpdate, mergeCompetitionSnapshot } from './competition';

const summary = (roundId: string, version: number, frozen = false): RoundSummary => ({
  roundId,
  version,
  event: `event ${roundId}`,
  round: 'Final',
  status: { signedOff: false, decrypted: false, published: true, markingClosed: false },
  open: false,
  marked: true,
  frozen,
});

describe('a competition’s rounds', () => {
  it('adds a round that appears, last', () => {
    const rounds = applyCompetitionUpdate([summary('a', 1)], { competitionId: 'c', round: summary('b', 1) });
    expect(rounds.map((r) => r.roundId)).toEqual(['a', 'b']);
  });

  it('replaces a round with a newer summary, keeps it against an older one', () => {
    const held = [summary('a', 3), summary('b', 1)];
    expect(
      applyCompetitionUpdate(held, { competitionId: 'c', round: summary('a', 4, true) })[0]?.frozen,
    ).toBe(true);
    expect(
      applyCompetitionUpdate(held, { competitionId: 'c', round: summary('a', 2, true) })[0]?.frozen,
    ).toBe(false);
  });

  it('drops a round that may no longer be watched', () => {
    const rounds = applyCompetitionUpdate([summary('a', 1), summary('b', 1)], {
      competitionId: 'c',
      gone: { roundId: 'a' },
    });
    expect(rounds.map((r) => r.roundId)).toEqual(['b']);
  });

  it('a snapshot answered late does not undo a newer summary held', () => {
    const merged = mergeCompetitionSnapshot([summary('a', 5, true)], {
      competitionId: 'c',
      audience: 'public',
      rounds: [summary('a', 4), summary('b', 1)],
    });
    expect(merged.map((r) => [r.roundId, r.version])).toEqual([
      ['a', 5],
      ['b', 1],
    ]);
  });
});
