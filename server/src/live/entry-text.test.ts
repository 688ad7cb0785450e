import { describe, expect, it } from 'vitest';
import { entryText } from './entry-text';
import type { LiveRoundInput } from './store';

type Body = Omit<LiveRoundInput, 'sourceVersion'>;

const breakdown = (points: string) => [
  { component: 'flight', raw: points, score: points, aspects: [{ aspect: 'A', used: [], flags: [] }] },
];

function body(names: Record<string, string> | null, standings: object[]): Body {
  return {
    roundId: 'r1',
    competitionId: 'c1',
    round: 'final',
    status: { signedOff: false, decrypted: false, published: true, markingClosed: false },
    open: false,
    names,
    freeze: null,
    event: { event: 'x"\u0000standings\u0000', scheme: 'drone', standings, rounds: [] },
  } as unknown as Body;
}

describe('entryText', () => {
  it('writes what JSON.stringify writes, field for field, with breakdowns shared between entries', () => {
    const kept = breakdown('8.50');
    const first = body({ A1: '"}]张三' }, [
      { rank: 1, competitor: 'A1', total: '8.50', shared: undefined, components: kept },
      { rank: 2, competitor: 'A2', total: null, components: breakdown('0') },
    ]);
    // The next version: A1's breakdown is the same object, A2's is new.
    const second = body(null, [
      { rank: 1, competitor: 'A2', total: '9.00', components: breakdown('9.00') },
      { rank: 2, competitor: 'A1', total: '8.50', components: kept },
      { components: kept },
      { rank: 4, competitor: 'A4' },
    ]);
    for (const entry of [first, second, first])
      expect(JSON.parse(entryText(entry))).toEqual(JSON.parse(JSON.stringify(entry)));
  });
});
