import { describe, expect, it } from 'vitest';
import { divesByRound, liveLines, testScheme } from './fixtures';
import { gridItems, gridRows, isOutlier, missingFromReview, panelResult } from './grid';

const scheme = testScheme();

describe('gridItems', () => {
  it('lists the scheme’s items with the seats of their panel', () => {
    const items = gridItems(scheme, 'Final');
    expect(items.map((i) => i.item)).toEqual(['quality', 'technique']);
    expect(items[0]?.seats).toEqual(['J1', 'J2', 'J3', 'J4', 'J5']);
  });

  it('adds a reserve’s seat once a reserve has marked', () => {
    const lines = liveLines(scheme, { A01: { quality: { J1: '8', J2: '8', R1: '8.5' } } });
    expect(gridItems(scheme, 'Final', lines)[0]?.seats).toEqual(['J1', 'J2', 'J3', 'J4', 'J5', 'R1']);
  });

  it('shows every panel’s seats from the seating before any of them marks', () => {
    const seated = {
      quality: ['J1', 'J2', 'J3', 'J4', 'J5', 'J8', 'J9', 'J10', 'J11', 'J12'],
      technique: ['J1', 'J2', 'J3', 'J4', 'J5'],
    };
    const items = gridItems(scheme, 'Final', [], seated);
    expect(items[0]?.seats).toEqual(['J1', 'J2', 'J3', 'J4', 'J5', 'J8', 'J9', 'J10', 'J11', 'J12']);
    expect(items[1]?.seats).toEqual(['J1', 'J2', 'J3', 'J4', 'J5']);
    const lines = liveLines(scheme, { A01: { quality: { J1: '8', R1: '8.5' } } });
    expect(gridItems(scheme, 'Final', lines, seated)[0]?.seats).toContain('R1');
  });
});

describe('gridItems of a round of its own size', () => {
  const dives = divesByRound();
  it('shows the round’s own count of attempts, not the component’s', () => {
    expect(gridItems(dives, 'Preliminary').map((i) => i.item)).toEqual(['dive-1', 'dive-2', 'dive-3']);
    expect(gridItems(dives, 'Semifinal').map((i) => i.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(gridItems(dives, 'Final').map((i) => i.item)).toEqual([
      'dive-1',
      'dive-2',
      'dive-3',
      'dive-4',
      'dive-5',
      'dive-6',
    ]);
  });

  it('gives every row as many item cells as the round has attempts', () => {
    const [row] = gridRows(gridItems(dives, 'Semifinal'), [], ['A01']);
    expect(row?.items.map((i) => i.item)).toEqual(['dive-1', 'dive-2', 'dive-3', 'dive-4', 'dive-5']);
    expect(row?.items.every((i) => i.expected === 3 && i.cells.length === 3)).toBe(true);
  });
});

describe('gridRows', () => {
  it('shows a seat replaced under the missing-mark rule with the others’ average, not as missing', () => {
    const fig = { ...scheme, missingMark: 'averageOfOthers' as const };
    const lines = liveLines(fig, { A01: { quality: { J1: '8', J2: '8.5', J3: '7', J4: '9' } } }, [
      { competitor: 'A01', item: 'quality', judge: 'J5' },
    ]);
    const cells = gridRows(gridItems(fig, 'Final', lines), lines, ['A01'])[0]?.items[0]?.cells ?? [];
    const j5 = cells.find((c) => c.seat === 'J5');
    expect(j5).toMatchObject({ value: '8.125', replaced: true, missing: false, outlier: false });
    expect(cells.filter((c) => c.replaced).map((c) => c.seat)).toEqual(['J5']);
  });

  it('fills cells from the engine’s breakdown: used, dropped, missing', () => {
    const lines = liveLines(scheme, {
      A01: { quality: { J1: '8', J2: '8.5', J3: '9', J4: '7.5', J5: '8' }, technique: { J2: '6' } },
    });
    const [row, empty] = gridRows(gridItems(scheme, 'Final', lines), lines, ['A01', 'A02']);
    const quality = row?.items[0];
    expect(quality?.result).toBe('8.1667');
    expect(quality?.cells.map((c) => [c.seat, c.value, c.dropped, c.missing])).toEqual([
      ['J1', '8', false, false],
      ['J2', '8.5', false, false],
      ['J3', '9', true, false],
      ['J4', '7.5', true, false],
      ['J5', '8', false, false],
    ]);
    const technique = row?.items[1];
    // One mark of five: the panel cannot drop the highest and lowest yet; the mark shows as awaiting.
    expect(technique?.result).toBeNull();
    expect(technique?.cells.map((c) => [c.seat, c.value, c.missing])).toEqual([
      ['J1', null, true],
      ['J2', '6', false],
      ['J3', null, true],
      ['J4', null, true],
      ['J5', null, true],
    ]);
    // A workstation without a line yet: every seat missing.
    expect(empty?.workstation).toBe('A02');
    expect(empty?.items[0]?.cells.every((c) => c.missing && c.value === null)).toBe(true);
  });

  it('shows the marks of a panel that cannot aggregate yet, and the seats still missing', () => {
    const lines = liveLines(scheme, { A01: { technique: { J2: '6', J4: '7' } } });
    const review = {
      competitors: [
        {
          workstation: 'A01',
          missing: [
            { workstation: 'A01', item: 'technique', expected: 5, received: 2, seats: ['J1', 'J3', 'J5'] },
            {
              workstation: 'A01',
              item: 'quality',
              expected: 5,
              received: 0,
              seats: ['J1', 'J2', 'J3', 'J4', 'J5'],
            },
          ].map((m) => ({ ...m, unassigned: false })),
        },
      ],
    };
    const row = gridRows(gridItems(scheme, 'Final'), lines, [], missingFromReview(review))[0];
    const technique = row?.items[1]?.cells ?? [];
    expect(technique.filter((c) => c.value !== null).map((c) => [c.seat, c.value])).toEqual([
      ['J2', '6'],
      ['J4', '7'],
    ]);
    expect(technique.filter((c) => c.missing).map((c) => c.seat)).toEqual(['J1', 'J3', 'J5']);
    expect(row?.items[1]?.received).toBe(2);
  });

  it('marks a mark two points or more from the panel’s result as an outlier', () => {
    const lines = liveLines(scheme, { A01: { quality: { J1: '8', J2: '8', J3: '8', J4: '8', J5: '4' } } });
    const cells = gridRows(gridItems(scheme, 'Final'), lines)[0]?.items[0]?.cells ?? [];
    expect(cells.filter((c) => c.outlier).map((c) => c.seat)).toEqual(['J5']);
    const aspect = gridItems(scheme, 'Final')[0]?.aspect;
    if (!aspect) throw new Error('no aspect');
    expect(isOutlier(aspect, '9.5', 8)).toBe(false);
    expect(isOutlier(aspect, '10', 8)).toBe(true);
  });
});

describe('panelResult', () => {
  it('is the aggregate of the marks used, per mark when the panel sums', () => {
    const sum = testScheme('sum');
    const lines = liveLines(sum, { A01: { quality: { J1: '6', J2: '7', J3: '8', J4: '9', J5: '10' } } });
    const item = gridItems(sum, 'Final')[0];
    if (!item) throw new Error('no item');
    const json = lines[0]?.components[0]?.aspects?.[0];
    expect(json?.value).toBe('24');
    expect(panelResult(item.aspect, json)).toBe(8);
  });
});
