import { Decimal, getTemplate, type MarkView, type Scheme, templateNames } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../common/outbox/outbox';
import {
  describeItem,
  formatClock,
  inputSpec,
  itemStatus,
  padValues,
  parseClock,
  valueProblem,
} from './marking';

const D = Decimal.of;

describe('mark inputs from the scheme', () => {
  it('offers half points from 0 to 10 as 21 buttons, and a keypad for a range too large for buttons', () => {
    expect(padValues(D('0'), D('10'), D('0.5'))).toHaveLength(21);
    expect(padValues(D('0'), D('10'), D('0.5'))?.slice(0, 3)).toEqual(['0', '0.5', '1']);
    expect(padValues(D('0'), D('100'), D('1'))).toBeNull();
    expect(padValues(D('0'), undefined, D('1'))).toBeNull();
  });

  it('picks a pad, levels, a counter, a clock, yes/no or a veto as each aspect kind asks', () => {
    const kinds = new Map<string, string>();
    for (const scheme of templateNames.map((name) => getTemplate(name) as Scheme)) {
      for (const component of scheme.components)
        for (const aspect of component.aspects) {
          const spec = inputSpec(aspect);
          kinds.set(spec.kind, `${scheme.id}:${aspect.id}`);
          if (aspect.kind === 'veto') expect(spec.kind).toBe('veto');
          if (aspect.kind === 'measurement' && aspect.mapping.type === 'binary')
            expect(spec.kind).toBe('yesNo');
          if (aspect.kind === 'deduction' && aspect.per !== undefined) expect(spec.kind).toBe('counter');
          if (spec.kind === 'pad' && spec.levels) expect(spec.values).toEqual(['0', '1', '2', '3']);
        }
    }
    // The shipped templates exercise every kind of input but the free keypad.
    expect([...kinds.keys()].sort()).toEqual(
      expect.arrayContaining(['clock', 'counter', 'pad', 'veto', 'yesNo']),
    );
  });

  it('reads a time as mm:ss and sends seconds', () => {
    expect(parseClock('4:35')).toBe('275');
    expect(parseClock('0:05.5')).toBe('5.5');
    expect(parseClock('125')).toBe('125');
    expect(parseClock('4:75')).toBeNull();
    expect(parseClock('abc')).toBeNull();
    expect(formatClock('275')).toBe('4:35');
    expect(formatClock('65.5')).toBe('1:05.5');
  });

  it('refuses a value the engine would refuse, in both languages', () => {
    const aspect = {
      kind: 'judgement' as const,
      id: 'q',
      name: 'q',
      panel: 5,
      range: { min: '0', max: '10' },
      step: '0.5',
      aggregation: { method: 'mean' as const, dropHighest: 0, dropLowest: 0 },
    };
    expect(valueProblem(aspect, '8.5')).toBeNull();
    expect(valueProblem(aspect, '8.3')?.en).toContain('steps of 0.5');
    expect(valueProblem(aspect, '11')?.['zh-CN']).toContain('不能大于 10');
    expect(valueProblem(aspect, 'x')?.en).toBe('is not a number');
  });
});

describe('an item’s name on the tablet', () => {
  it('names the attempt and its declared degree of difficulty (a dive list)', () => {
    const diving = getTemplate('diving') as Scheme;
    const declared = [
      { attempt: 1, difficulty: '3.2' },
      { attempt: 3, difficulty: '3.6' },
    ];
    expect(describeItem(diving, 'dive-3', declared)).toMatchObject({ attempt: 3, difficulty: '3.6' });
    expect(describeItem(diving, 'dive-2', declared)).toMatchObject({ attempt: 2, difficulty: null });
    expect(describeItem(diving, 'nope', declared)).toBeNull();
    const drone = getTemplate('drone') as Scheme;
    expect(describeItem(drone, 'assemblyQuality', [])).toMatchObject({ attempt: null, difficulty: null });
  });
});

describe('an item’s status on the tablet', () => {
  const entry = (value: string, state: OutboxEntry['state'], seq?: number): OutboxEntry => ({
    id: `${value}-${state}`,
    scope: 's',
    competitionId: 'c',
    roundId: 'r',
    body: { id: `${value}-${state}`, workstation: 'A01', item: 'q', value },
    createdAt: 0,
    state,
    attempts: 0,
    nextAttemptAt: 0,
    seq,
  });
  const server = (value: string, seq: number, id = 'srv'): MarkView => ({
    id,
    workstation: 'A01',
    item: 'q',
    value,
    seat: 'J1',
    seq,
    source: 'tablet',
    createdAt: '',
  });

  it('shows a mark on its way before anything else', () => {
    expect(itemStatus([entry('7', 'accepted', 3), entry('8', 'saved')], server('7', 3))).toMatchObject({
      state: 'saved',
      value: '8',
    });
  });

  it('shows the server’s mark, or offline the tablet’s newer accepted one', () => {
    expect(itemStatus([], server('6', 2))).toEqual({ state: 'accepted', value: '6' });
    expect(itemStatus([entry('9', 'accepted', 5)], server('6', 2))).toEqual({
      state: 'accepted',
      value: '9',
    });
    expect(itemStatus([], undefined)).toEqual({ state: 'empty' });
  });

  it('shows a refusal with the value still in force', () => {
    const status = itemStatus([entry('7', 'accepted', 3), entry('9', 'refused')], server('7', 3));
    expect(status).toMatchObject({ state: 'refused', value: '9', inForce: '7' });
  });

  it('shows the refused value as accepted once it is in force through an approved correction', () => {
    const corrected = { ...server('9.0', 8, 'corr'), source: 'correction' as const };
    expect(itemStatus([entry('7', 'accepted', 3), entry('9', 'refused')], corrected)).toEqual({
      state: 'accepted',
      value: '9.0',
    });
  });
});
