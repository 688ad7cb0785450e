import type { LiveStanding, RoundSnapshot, RoundSummary } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import {
  distribution,
  holdMoves,
  lastMarked,
  markKeys,
  pickRound,
  progress,
  rankMoves,
  stageRows,
  tickerAfter,
} from './model';

const summary = (
  roundId: string,
  frozen = false,
  state: 'published' | 'marking' | 'unmarked' = 'published',
): RoundSummary => ({
  roundId,
  version: 1,
  event: roundId,
  round: 'Final',
  status: {
    signedOff: state === 'published',
    decrypted: false,
    published: state === 'published',
    markingClosed: false,
  },
  open: state !== 'published',
  marked: state !== 'unmarked',
  frozen,
});

type Mark = { judge: string; mark: string };
const line = (
  workstation: string,
  total: string | null,
  rank: number,
  marks: { used?: Mark[]; dropped?: Mark[]; awaiting?: Mark[] } = {},
  complete = false,
): LiveStanding =>
  ({
    workstation,
    competitor: workstation,
    total,
    rank,
    complete,
    components: [
      {
        component: 'practical',
        aspects: [
          {
            aspect: 'quality',
            value: null,
            points: null,
            used: marks.used ?? [],
            dropped: marks.dropped ?? [],
            awaiting: marks.awaiting ?? [],
            flags: [],
          },
        ],
      },
    ],
  }) as unknown as LiveStanding;

const round = (standings: LiveStanding[], version = 1): RoundSnapshot => ({
  roundId: 'r',
  competitionId: 'c',
  version,
  audience: 'public',
  status: { signedOff: false, decrypted: false, published: true, markingClosed: false },
  labels: 'workstation',
  event: '焊工',
  round: 'Final',
  standings,
  frozen: null,
});

describe('rotation', () => {
  const rounds = [summary('a'), summary('b'), summary('c')];
  it('stays until the timer advances, then moves to the next round and wraps around', () => {
    expect(pickRound(rounds, 'b', false)).toBe('b');
    expect(pickRound(rounds, 'b', true)).toBe('c');
    expect(pickRound(rounds, 'c', true)).toBe('a');
  });
  it('starts on the first round, and replaces a round that went away with the first', () => {
    expect(pickRound(rounds, null, false)).toBe('a');
    expect(pickRound(rounds, 'gone', true)).toBe('a');
    expect(pickRound([], 'a', true)).toBeNull();
  });
  it('a round frozen for the ceremony holds the screen', () => {
    const withFrozen = [summary('a'), summary('b', true), summary('c')];
    expect(pickRound(withFrozen, 'a', true)).toBe('b');
    expect(pickRound(withFrozen, 'b', true)).toBe('b');
  });
  // A demo or a rehearsal: heats never marked, finished rounds, and rounds whose marks are arriving.
  const day = [
    summary('heat', false, 'unmarked'),
    summary('done1'),
    summary('live', false, 'marking'),
    summary('next', false, 'unmarked'),
    summary('done2'),
  ];
  it('goes to the round in progress at start, from a round that went away, and from a finished one', () => {
    expect(pickRound(day, null, false)).toBe('live');
    expect(pickRound(day, 'gone', true)).toBe('live');
    expect(pickRound(day, 'done2', false)).toBe('live');
    expect(pickRound(day, 'heat', false)).toBe('live');
  });
  /** Where the screen goes on six turns of the timer from `start`. */
  const turns = (rounds: RoundSummary[], start: string) => {
    const seen: (string | null)[] = [];
    let at: string | null = start;
    for (let i = 0; i < 6; i++) {
      at = pickRound(rounds, at, true);
      seen.push(at);
    }
    return seen;
  };
  it('while marks arrive, rotates through the rounds in progress only', () => {
    expect(turns(day, 'live')).toEqual(['live', 'live', 'live', 'live', 'live', 'live']);
    const two = [...day, summary('live2', false, 'marking')];
    expect(turns(two, 'live')).toEqual(['live2', 'live', 'live2', 'live', 'live2', 'live']);
  });
  it('between sessions, rotates through the rounds with standings, skipping those never marked', () => {
    const finished = day.map((r) =>
      r.roundId === 'live' ? { ...r, status: { ...r.status, signedOff: true } } : r,
    );
    expect(pickRound(finished, 'live', false)).toBe('live');
    expect(turns(finished, 'live')).toEqual(['done2', 'done1', 'live', 'done2', 'done1', 'live']);
  });
  it('with no round marked yet, keeps the round it shows, else shows the first', () => {
    const unmarked = [summary('x', false, 'unmarked'), summary('y', false, 'unmarked')];
    expect(pickRound(unmarked, 'y', true)).toBe('y');
    expect(pickRound(unmarked, null, false)).toBe('x');
  });
});

describe('rank changes', () => {
  it('lists how many places each line moved, up positive', () => {
    const moves = rankMoves(
      [{ workstation: 'A' }, { workstation: 'B' }, { workstation: 'C' }],
      [{ workstation: 'C' }, { workstation: 'A' }, { workstation: 'B' }, { workstation: 'D' }],
    );
    expect([...moves]).toEqual([
      ['C', 2],
      ['A', -1],
      ['B', -1],
    ]);
  });
  it('keeps a move on screen for a while, then drops it; a new move replaces the old one', () => {
    let held = holdMoves({}, new Map([['A', 1]]), 1000, 4000);
    held = holdMoves(held, new Map([['B', -2]]), 3000, 4000);
    expect(held).toEqual({ A: { by: 1, at: 1000 }, B: { by: -2, at: 3000 } });
    held = holdMoves(held, new Map([['B', 1]]), 5500, 4000);
    expect(held).toEqual({ B: { by: 1, at: 5500 } });
  });
});

describe('the competitor on stage', () => {
  const j = (judge: string, mark: string) => ({ judge, mark });
  it('is the line that gained marks, else the one held, else one being marked, else the leader', () => {
    const before = round([line('A01', '0', 1), line('A02', '0', 2)]);
    const after = round([line('A01', '0', 1), line('A02', '0', 2, { awaiting: [j('J1', '8')] })], 2);
    expect(lastMarked(before, after, 'A01')).toBe('A02');
    expect(lastMarked(after, after, 'A01')).toBe('A01');
    expect(lastMarked(null, after, null)).toBe('A02');
    expect(lastMarked(null, before, null)).toBe('A01');
  });

  it('shows the marks by seat, awaiting until the panel is complete, then used and dropped', () => {
    const awaiting = line('A01', '0', 1, { awaiting: [j('J2', '7'), j('J1', '8')] });
    expect(stageRows(awaiting)[0]?.marks).toEqual([
      { judge: 'J1', mark: '8', dropped: false, awaiting: true },
      { judge: 'J2', mark: '7', dropped: false, awaiting: true },
    ]);
    const done = line('A01', '8', 1, {
      used: [j('J1', '8'), j('J3', '8'), j('J4', '8.5')],
      dropped: [j('J2', '7'), j('J5', '9')],
    });
    expect(stageRows(done)[0]?.marks.map((m) => `${m.judge}${m.dropped ? '×' : ''}`)).toEqual([
      'J1',
      'J2×',
      'J3',
      'J4',
      'J5×',
    ]);
  });

  it('tells the marks that are new', () => {
    const a = line('A01', '0', 1, { awaiting: [j('J1', '8')] });
    const b = line('A01', '0', 1, { awaiting: [j('J1', '8'), j('J2', '7')] });
    const before = markKeys(a);
    expect([...markKeys(b)].filter((k) => !before.has(k))).toEqual(['practical//quality|J2|7']);
  });
});

describe('progress, distribution and ticker', () => {
  it('counts the lines whose marks are all in', () => {
    expect(progress(round([line('A', '1', 1, {}, true), line('B', '0', 2)]))).toEqual({ done: 1, of: 2 });
  });

  it('bins totals in round widths, from below the lowest to the highest', () => {
    const bins = distribution(['7.5', '8', '8.25', '9.5', '10'], 3);
    expect(bins.map((b) => [b.from, b.to, b.count])).toEqual([
      [7, 8, 1],
      [8, 9, 2],
      [9, 10, 1],
      [10, 11, 1],
    ]);
    expect(distribution(['6.5', '14', '14.5'], 8).map((b) => b.from)).toEqual([
      6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
    expect(distribution([], 4)).toEqual([]);
    expect(distribution([null, '8'], 4).map((b) => b.count)).toEqual([1]);
    expect(distribution(['5', '5'], 2).map((b) => [b.from, b.count])).toEqual([[5, 2]]);
  });

  it('strikes out dropped marks only once a row has the panel’s number of marks', async () => {
    const { panelSizes, rowComplete, markRows } = await import('./model');
    const j = (judge: string, mark: string) => ({ judge, mark });
    const done = line(
      'A',
      '8',
      1,
      { used: [j('J1', '8'), j('J2', '8'), j('J3', '8')], dropped: [j('J4', '1'), j('J5', '9')] },
      true,
    );
    const three = line('B', '6', 2, { used: [j('J1', '6')], dropped: [j('J2', '7'), j('J3', '5')] });
    const sizes = panelSizes(round([done, three]));
    expect(sizes.get('quality')).toBe(5);
    const [row] = markRows(three);
    expect(row && rowComplete(three, row, sizes)).toBe(false);
    expect(row && rowComplete(three, row, new Map())).toBe(false);
    const [full] = markRows(done);
    expect(full && rowComplete(done, full, new Map())).toBe(true);
  });

  it('puts changed totals in front, once per competitor, at most max entries', () => {
    const before = round([line('A', null, 1), line('B', null, 1)]);
    const after = round([line('B', '8', 1), line('A', null, 2)], 2);
    const first = tickerAfter([], before, after);
    expect(first.map((e) => [e.competitor, e.total, e.rank])).toEqual([['B', '8', 1]]);
    const later = round([line('A', '9', 1), line('B', '8.5', 2)], 3);
    expect(tickerAfter(first, after, later, 8).map((e) => `${e.competitor}:${e.total}`)).toEqual([
      'A:9',
      'B:8.5',
    ]);
    expect(tickerAfter(first, after, later, 1)).toHaveLength(1);
  });
});

describe('the screen stepped by snapshots', () => {
  const j = (judge: string, mark: string) => ({ judge, mark });
  it('follows the competitor marked last, with the marks that are new, the moves and the ticker', async () => {
    const { emptyScreen, stepScreen } = await import('./model');
    const first = round([line('A01', '5', 1, { awaiting: [j('J1', '8')] }), line('A02', '0', 2)]);
    let model = stepScreen(emptyScreen, first, 0);
    expect(model.focus).toBe('A01');
    expect(model.fresh).toEqual([]);
    const second = round(
      [line('A02', '7', 1, { awaiting: [j('J1', '7'), j('J2', '7.5')] }), line('A01', '5', 2)],
      2,
    );
    model = stepScreen(model, second, 1000);
    expect(model.focus).toBe('A02');
    expect(model.fresh).toEqual(['practical//quality|J1|7', 'practical//quality|J2|7.5']);
    expect(model.moves).toEqual({ A02: { by: 1, at: 1000 }, A01: { by: -1, at: 1000 } });
    expect(model.ticker.map((e) => e.competitor)).toEqual(['A02']);
    expect(stepScreen(model, second, 2000)).toBe(model);
  });
});
