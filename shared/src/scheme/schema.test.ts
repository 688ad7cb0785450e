import { describe, expect, it } from 'vitest';
import { parseScheme, type SchemeInput } from './schema';

const judged = (id: string, panel = 5, drop = 1) => ({
  kind: 'judgement' as const,
  id,
  name: id,
  panel,
  range: { min: '0', max: '10' },
  step: '0.1',
  aggregation: { method: 'mean' as const, dropHighest: drop, dropLowest: drop },
});

const base: SchemeInput = {
  name: 'test',
  components: [
    { id: 'theory', name: '理论', weight: '30', normaliseTo: '100', aspects: [judged('paper', 1, 0)] },
    { id: 'practical', name: '实操', weight: '70', normaliseTo: '100', aspects: [judged('dish')] },
  ],
};

function errorsOf(input: unknown) {
  const result = parseScheme(input);
  if (result.ok) throw new Error('expected the scheme to be rejected');
  return result.errors;
}

describe('scheme schema', () => {
  it('accepts a theory 30 / practical 70 scheme and fills in defaults', () => {
    const result = parseScheme(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scheme.precision).toBe(2);
    expect(result.scheme.rounding).toEqual({ at: 'total', mode: 'halfUp' });
    expect(result.scheme.rounds).toEqual([{ id: 'Final', carryOver: [] }]);
  });

  it('rejects weights that do not add up to 100%', () => {
    const bad = structuredClone(base);
    if (bad.components[1]) bad.components[1].weight = '60';
    expect(errorsOf(bad)).toContainEqual({
      path: 'components',
      message: 'weights must add up to 100 (%), they add up to 90',
    });
  });

  it('rejects a panel of 4 that is asked to drop 2 + 2', () => {
    const bad = structuredClone(base);
    bad.components[1]?.aspects.splice(0, 1, judged('dish', 4, 2));
    expect(errorsOf(bad)).toContainEqual({
      path: 'components.1.aspects.0.aggregation',
      message: 'a panel of 4 cannot drop 2 highest and 2 lowest: at least one mark must remain',
    });
  });

  it('rejects a tie-break on an unknown aspect', () => {
    expect(
      errorsOf({ ...base, ranking: { tieBreaks: [{ by: 'aspect:taste', prefer: 'higher' }] } }),
    ).toContainEqual({
      path: 'ranking.tieBreaks.0.by',
      message: 'unknown aspect "taste"',
    });
    expect(errorsOf({ ...base, ranking: { tieBreaks: [{ by: 'time', prefer: 'lower' }] } })[0]?.path).toBe(
      'ranking.tieBreaks.0.by',
    );
  });

  it('names the path of every problem at once', () => {
    const errors = errorsOf({
      name: '',
      precision: 9,
      components: [
        {
          id: '1bad',
          name: 'x',
          aspects: [{ ...judged('a'), range: { min: '10', max: '0' }, step: '0.3' }],
        },
      ],
      rounds: [{ id: 'Final', carryOver: ['Semi'] }],
    });
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['name', 'precision', 'components.0.id', 'components.0.aspects.0.range.max']),
    );
  });

  it('rejects carry-over from a round that does not come earlier, and duplicate ids', () => {
    expect(
      errorsOf({ ...base, rounds: [{ id: 'Semi', carryOver: ['Final'] }, { id: 'Final' }] }),
    ).toContainEqual({
      path: 'rounds.0.carryOver.0',
      message: '"Final" is not an earlier round (earlier: none)',
    });
    const dup = structuredClone(base);
    dup.components[0]?.aspects.push(judged('dish'));
    expect(errorsOf(dup).map((e) => e.message)).toContain(
      'id "dish" is already used at components.0.aspects.1.id',
    );
  });

  it('rejects unknown fields, wrong types and bad decimals without throwing', () => {
    const messages = errorsOf({ ...base, colour: 'red', factor: '1,5', precision: '2' }).map(
      (e) => `${e.path}: ${e.message}`,
    );
    expect(messages.some((m) => m.includes('colour'))).toBe(true);
    expect(messages).toContain('factor: must be a decimal number such as "8.5"');
    expect(messages.some((m) => m.startsWith('precision: '))).toBe(true);
  });

  it('rejects a step that does not divide the range', () => {
    const bad = structuredClone(base);
    bad.components[1]?.aspects.splice(0, 1, { ...judged('dish'), step: '0.3' });
    expect(errorsOf(bad)).toContainEqual({
      path: 'components.1.aspects.0.step',
      message: 'the range 0–10 is not a whole number of steps of 0.3',
    });
  });

  it('rejects a veto aimed at nothing and a deduction with neither rate nor bands', () => {
    const bad = structuredClone(base);
    bad.components[1]?.aspects.push(
      { kind: 'veto', id: 'safety', name: '安全', effect: 'zero', targets: ['nowhere'] },
      { kind: 'deduction', id: 'late', name: '超时' },
    );
    const messages = errorsOf(bad).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toContain('components.1.aspects.1.targets.0: unknown component or aspect "nowhere"');
    expect(messages).toContain('components.1.aspects.2: give either "per" or "bands"');
  });

  it('requires a full mark to normalise a component whose maximum cannot be derived', () => {
    const errors = errorsOf({
      name: 'dives',
      components: [
        {
          id: 'dives',
          name: 'dives',
          normaliseTo: '100',
          attempts: { label: 'dive', count: 5, difficulty: true },
          aspects: [judged('award', 7, 2)],
        },
      ],
    });
    expect(errors).toContainEqual({
      path: 'components.0.max',
      message: 'normaliseTo needs the component\'s full mark: give "max"',
    });
  });
});

describe('scheme schema: normalisation', () => {
  it('refuses to normalise a component that can earn nothing (only deductions and vetoes)', () => {
    const parsed = parseScheme({
      name: 'x',
      components: [
        {
          id: 'c',
          name: 'c',
          normaliseTo: '100',
          aspects: [{ kind: 'deduction', id: 'd', name: 'd', per: '1' }],
        },
      ],
    });
    expect(parsed.ok ? [] : parsed.errors).toContainEqual({
      path: 'components.0.max',
      message: 'normaliseTo needs the component\'s full mark: give "max"',
    });
  });
});
