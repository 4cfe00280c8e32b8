import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantity, milliValue, parseQuantity } from './quantity.js';

describe('Quantity', () => {
  it.each([
    ['100m', '100m'],
    ['0.5', '500m'],
    ['1', '1'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1e3', '1e3'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['128974848', '128974848'],
    ['129e6', '129e6'],
    ['123Mi', '123Mi'],
    ['0', '0'],
    ['0.1', '100m'],
    [2, '2'],
  ])('canonicalizes %s as %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it('rejects what kube rejects', () => {
    for (const bad of ['', 'abc', '1Gb', '1.2.3', '--1', '1 Gi']) expect(parseQuantity(bad)).toBeUndefined();
  });

  it('compares across formats', () => {
    const cmp = (a: string, b: string) => compareQuantity(parseQuantity(a)!, parseQuantity(b)!);
    expect(cmp('500m', '0.5')).toBe(0);
    expect(cmp('1Gi', '1G')).toBe(1);
    expect(cmp('100m', '1')).toBe(-1);
    expect(cmp('1e3', '1k')).toBe(0);
  });

  it('computes milli values rounding up', () => {
    expect(milliValue(parseQuantity('250m')!)).toBe(250n);
    expect(milliValue(parseQuantity('2')!)).toBe(2000n);
    expect(milliValue(parseQuantity('1n')!)).toBe(1n);
  });
});
