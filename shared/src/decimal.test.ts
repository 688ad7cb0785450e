import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal';

const d = Decimal.of;

describe('Decimal', () => {
  it('multiplies marks by a difficulty without binary drift', () => {
    expect(d('8.5').times(d('3.2')).toString()).toBe('27.2');
    expect(0.1 + 0.2).not.toBe(0.3); // the drift this type exists to avoid
    expect(d('0.1').plus(d('0.2')).eq(d('0.3'))).toBe(true);
    expect(d('24.5').times(d('3.3')).toFixed(2)).toBe('80.85');
  });

  it('keeps a mean of three marks exact until it is rounded', () => {
    const mean = d('8').plus(d('8.5')).plus(d('8.5')).div(d('3'));
    expect(mean.toFixed(2)).toBe('8.33');
    expect(mean.times(d('3')).toString()).toBe('25');
  });

  it('rounds half up (away from zero), half even and down', () => {
    expect(d('2.345').toFixed(2, 'halfUp')).toBe('2.35');
    expect(d('-2.345').toFixed(2, 'halfUp')).toBe('-2.35');
    expect(d('2.345').toFixed(2, 'halfEven')).toBe('2.34');
    expect(d('2.355').toFixed(2, 'halfEven')).toBe('2.36');
    expect(d('2.349').toFixed(2, 'down')).toBe('2.34');
    expect(d('-2.349').toFixed(2, 'down')).toBe('-2.34');
    expect(d('7').toFixed(0)).toBe('7');
    expect(d('0.5').toFixed(0)).toBe('1');
    expect(d('0.005').toFixed(2)).toBe('0.01');
  });

  it('parses decimal text and shortest-form numbers only', () => {
    expect(d(' 8.50 ').toString()).toBe('8.5');
    expect(d(3.2).toString()).toBe('3.2');
    expect(d(1e-7).toString()).toBe('0.0000001');
    expect(d(-0.25).toFixed(2)).toBe('-0.25');
    expect(() => d('8,5')).toThrow('not a decimal number: "8,5"');
    expect(() => d('1e3')).toThrow(SyntaxError);
    expect(() => d(Number.NaN)).toThrow('not a finite number');
  });

  it('prints a non-terminating value rounded to the given places', () => {
    expect(d('1').div(d('3')).toString(4)).toBe('0.3333');
    expect(JSON.stringify({ v: d('2.50') })).toBe('{"v":"2.5"}');
  });

  it('compares and finds extremes', () => {
    expect(d('8.5').cmp(d('8.50'))).toBe(0);
    expect(Decimal.max([d('1'), d('3'), d('2')])?.toString()).toBe('3');
    expect(Decimal.min([d('1'), d('-3'), d('2')])?.toString()).toBe('-3');
    expect(Decimal.max([])).toBeUndefined();
    expect(() => d('1').div(Decimal.ZERO)).toThrow('division by zero');
  });
});
