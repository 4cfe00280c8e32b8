// resource.ParseQuantity's branches, which decide the fields go-spew prints for a Quantity.
import { describe, expect, it } from 'vitest';
import { parseGoQuantity } from './go-quantity.js';

describe('parseGoQuantity', () => {
  it('keeps the text only when it is already canonical', () => {
    expect(parseGoQuantity('0')).toEqual({ i: { value: 0n, scale: 0 }, s: '0', format: 'DecimalSI' });
    expect(parseGoQuantity('100m')).toEqual({ i: { value: 100n, scale: -3 }, s: '100m', format: 'DecimalSI' });
    expect(parseGoQuantity('1k')).toEqual({ i: { value: 1n, scale: 3 }, s: '1k', format: 'DecimalSI' });
    expect(parseGoQuantity('1e3')).toEqual({ i: { value: 1n, scale: 3 }, s: '1e3', format: 'DecimalExponent' });
    // Binary: kept when the mantissa is not a multiple of 8 (upstream's `value&0x07 != 0`).
    expect(parseGoQuantity('1Gi')).toEqual({ i: { value: 1073741824n, scale: 0 }, s: '1Gi', format: 'BinarySI' });
    expect(parseGoQuantity('128Mi')).toEqual({ i: { value: 134217728n, scale: 0 }, s: '', format: 'BinarySI' });
    expect(parseGoQuantity('1500m')).toMatchObject({ i: { value: 1500n, scale: -3 }, s: '1500m' });
    expect(parseGoQuantity('-2')).toMatchObject({ i: { value: -2n, scale: 0 }, s: '-2' });
  });

  it('falls back to inf.Dec at nano scale beyond int64 precision, capping BinarySI at 2^63-1', () => {
    expect(parseGoQuantity('8Ei')).toEqual({ i: { value: 0n, scale: 0 }, dec: { unscaled: 2n ** 63n - 1n, scale: 0 }, s: '', format: 'BinarySI' });
    expect(parseGoQuantity('123456789012345678901')).toMatchObject({ dec: { unscaled: 123456789012345678901n * 10n ** 9n, scale: 9 }, format: 'DecimalSI' });
  });

  it('rejects what ParseQuantity rejects', () => {
    expect(parseGoQuantity('12x')).toBeUndefined();
  });
});
