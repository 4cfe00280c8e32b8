import { describe, expect, it } from 'vitest';
import { canonicalJson, safeEncodeString, scaledValue } from './common.js';

describe('hashing', () => {
  it('SafeEncodeString maps each character into the vowel-free alphabet', () => {
    // Decimal digits only ever occur: '0' (48 % 27 = 21) → '4', '9' (57 % 27 = 3) → 'f'.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
  it('canonicalJson sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 0 } })).toBe('{"a":{"c":0,"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('scaledValue', () => {
  it('rounds percentages up for surge and down for unavailability, as intstr does', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(2, 10, true)).toBe(2);
    expect(scaledValue('5', 10, true)).toBe(5);
  });
});
