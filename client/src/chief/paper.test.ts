import type { PaperMarkView } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { divesByRound, testScheme } from '../common/live/fixtures';
import { paperEntryProblem, paperRows } from './paper';

const scheme = testScheme();
const entry = { workstation: 'A01', item: 'quality', seat: 'J1', value: '8.5' };

describe('paperEntryProblem', () => {
  it('accepts a mark in range and step', () => {
    expect(paperEntryProblem(scheme, 'Final', entry)).toBeNull();
    expect(paperEntryProblem(scheme, 'Final', { ...entry, value: ' 10 ' })).toBeNull();
  });

  it('refuses what the server would: not a number, out of range, off the step, no such item', () => {
    expect(paperEntryProblem(scheme, 'Final', { ...entry, value: '八' })).toEqual({ key: 'paper.notNumber' });
    expect(paperEntryProblem(scheme, 'Final', { ...entry, value: '10.5' })).toEqual({
      key: 'paper.outOfScale',
      text: { 'zh-CN': '不能大于 10', en: 'must be at most 10' },
    });
    const offStep = paperEntryProblem(scheme, 'Final', { ...entry, value: '8.3' });
    expect(offStep?.key === 'paper.outOfScale' && offStep.text.en).toBe('must be in steps of 0.5');
    expect(paperEntryProblem(scheme, 'Final', { ...entry, item: 'speed' })).toEqual({
      key: 'paper.unknownItem',
      item: 'speed',
    });
    expect(paperEntryProblem(scheme, 'Final', { ...entry, seat: '' })).toEqual({ key: 'paper.incomplete' });
    // An attempt the round does not have: a semifinal of 5 dives where the component has 6.
    const dives = divesByRound();
    const dive6 = { ...entry, item: 'dive-6', value: '8' };
    expect(paperEntryProblem(dives, 'Final', dive6)).toBeNull();
    expect(paperEntryProblem(dives, 'Semifinal', dive6)).toEqual({
      key: 'paper.unknownItem',
      item: 'dive-6',
    });
    expect(paperEntryProblem(scheme, 'Final', { ...entry, value: '' })).toEqual({ key: 'paper.incomplete' });
  });
});

describe('paperRows', () => {
  const view = (id: string, createdAt: string, superseded = false): PaperMarkView => ({
    id,
    workstation: 'A01',
    item: 'quality',
    seat: 'J1',
    value: '8',
    seq: 1,
    source: 'paper',
    createdAt,
    confirmedAt: null,
    enteredBy: 'acc-1',
    superseded,
  });

  it('shows pending marks, and those entered here that left the list as confirmed, newest first', () => {
    const listAskedAt = Date.parse('2026-06-01T10:05:00Z');
    const rows = paperRows(
      [view('p1', '2026-06-01T10:00:00Z'), view('p2', '2026-06-01T10:02:00Z', true)],
      [
        {
          id: 'p1',
          workstation: 'A01',
          item: 'quality',
          seat: 'J1',
          value: '8',
          createdAt: '2026-06-01T10:00:00Z',
        },
        {
          id: 'c1',
          workstation: 'A02',
          item: 'quality',
          seat: 'J2',
          value: '7',
          createdAt: '2026-06-01T10:01:00Z',
          enteredAt: Date.parse('2026-06-01T10:01:00Z'),
        },
      ],
      listAskedAt,
    );
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['p2', 'superseded'],
      ['c1', 'confirmed'],
      ['p1', 'pending'],
    ]);
  });

  it('a mark entered after the list was asked for is pending, not confirmed, until a later list leaves it out', () => {
    const entered = {
      id: 'n1',
      workstation: 'A01',
      item: 'quality',
      seat: 'J2',
      value: '7.5',
      createdAt: '2026-06-01T10:03:00Z',
      enteredAt: 2_000,
    };
    // The list on screen was read before the entry: the entry is not in it, and is still waiting.
    expect(paperRows([], [entered], 1_000).map((r) => r.status)).toEqual(['pending']);
    // A list read after the entry that still holds it: pending, shown once.
    const listed = paperRows([view('n1', entered.createdAt)], [entered], 3_000);
    expect(listed.map((r) => [r.id, r.status])).toEqual([['n1', 'pending']]);
    // A list read after the entry without it: confirmed by a second person.
    expect(paperRows([], [entered], 3_000).map((r) => r.status)).toEqual(['confirmed']);
  });
});
