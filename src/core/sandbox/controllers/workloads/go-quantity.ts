// resource.Quantity as the controller holds it after resource.ParseQuantity of the API's canonical
// string (apimachinery pkg/api/resource/quantity.go): its unexported fields (i: int64 mantissa and
// scale, d: *inf.Dec for values int64 cannot hold, s: the text, kept only when it is already
// canonical) are part of go-spew's printout, so they follow ParseQuantity's exact branches.
import type { GoDecoder, GoValue } from './go-types.js';

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_INT64_FACTORS = 18;
const NANO = -9;
const INT64_MAX = (1n << 63n) - 1n;
// resource.maxAllowed: 2^63-1, the cap for BinarySI values.
const MAX_ALLOWED = INT64_MAX;

interface Parsed {
  i: { value: bigint; scale: number };
  dec?: { unscaled: bigint; scale: number };
  s: string;
  format: Format;
}

function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: Format } | undefined {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: 'BinarySI' };
  const m = /^[eE]([-+]?\d+)$/.exec(suffix);
  return m ? { base: 10, exponent: Number(m[1]), format: 'DecimalExponent' } : undefined;
}

/** parseQuantityString: sign, the numeric text, numerator digits (no leading zeros), fraction digits, suffix. */
function split(str: string): { positive: boolean; value: string; num: string; denom: string; suffix: string } | undefined {
  const m = /^([+-]?)(0*)(\d*)(?:\.(\d*))?(.*)$/.exec(str);
  if (!m) return undefined;
  const [, sign, , digits, denom = '', suffix] = m;
  const value = str.slice(0, str.length - suffix.length);
  return { positive: sign !== '-', value, num: digits === '' ? '0' : digits, denom, suffix };
}

/** ParseQuantity's result for a canonical quantity string. */
export function parseGoQuantity(str: string): Parsed | undefined {
  if (str === '0') return { i: { value: 0n, scale: 0 }, s: str, format: 'DecimalSI' };
  const parts = split(str);
  const interpreted = parts && interpretSuffix(parts.suffix);
  if (!parts || !interpreted) return undefined;
  const { positive, value, num, denom } = parts;
  const { base, exponent, format } = interpreted;
  let precision = 0;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc(Math.fround(Math.fround(exponent * 3) / 10)) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = MAX_INT64_FACTORS - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= NANO) {
      const shifted = num + denom;
      const parsed = BigInt(shifted);
      const product = parsed * mantissa;
      if (parsed <= INT64_MAX && product <= INT64_MAX) {
        const result = positive ? product : -product;
        const canonical = format === 'BinarySI' ? exponent % 10 === 0 && (parsed & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return { i: { value: result, scale }, s: canonical ? str : '', format };
      }
    }
  }
  return slowPath(value, base, exponent, format);
}

/** The inf.Dec branch: the value rounded up to nano precision, always at scale 9 (inf's Round rescales). */
function slowPath(value: string, base: 2 | 10, exponent: number, format: Format): Parsed {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
  const negative = m?.[1] === '-';
  const fraction = m?.[3] ?? '';
  let unscaled = BigInt(`${m?.[2] || '0'}${fraction}` || '0');
  let scale = fraction.length;
  if (base === 10) scale -= exponent;
  else unscaled *= 1n << BigInt(exponent);
  if (unscaled !== 0n) {
    if (scale > 9) {
      const div = 10n ** BigInt(scale - 9);
      unscaled = unscaled / div + (unscaled % div === 0n ? 0n : 1n);
    } else {
      unscaled *= 10n ** BigInt(9 - scale);
    }
    scale = 9;
  }
  const nano = 10n ** BigInt(scale);
  if (format === 'BinarySI' && unscaled > MAX_ALLOWED * nano) {
    unscaled = MAX_ALLOWED;
    scale = 0;
  }
  if (format === 'BinarySI' && unscaled > 0n && unscaled < 10n ** BigInt(scale)) format = 'DecimalSI';
  return { i: { value: 0n, scale: 0 }, dec: { unscaled: negative ? -unscaled : unscaled, scale }, s: '', format };
}

/** big.nat: the magnitude as 64-bit words, least significant first. */
function natWords(n: bigint): bigint[] {
  const words: bigint[] = [];
  for (let v = n < 0n ? -n : n; v > 0n; v >>= 64n) words.push(v & 0xffffffffffffffffn);
  return words;
}

/** The Go value of a Quantity decoded from `text` (undefined: the zero Quantity). */
export function quantityValue(decoder: GoDecoder, text: string | undefined): GoValue {
  const parsed = text === undefined ? undefined : parseGoQuantity(text);
  if (text !== undefined && !parsed) throw new Error(`"${text}" is not a quantity resource.ParseQuantity accepts`);
  const i = decoder.struct('resource.int64Amount', { value: { kind: 'int', type: 'int64', value: parsed?.i.value ?? 0n }, scale: parsed?.i.scale ?? 0 });
  let dec: GoValue | undefined;
  if (parsed?.dec) {
    const words = natWords(parsed.dec.unscaled);
    const unscaled = decoder.struct('big.Int', {
      neg: parsed.dec.unscaled < 0n,
      abs: { kind: 'slice', type: 'big.nat', items: words.map((w) => ({ kind: 'uint', type: 'big.Word', value: w })) },
    });
    dec = decoder.struct('inf.Dec', { unscaled, scale: parsed.dec.scale });
  }
  const d = decoder.struct('resource.infDecAmount', { Dec: { kind: 'ptr', type: '*inf.Dec', elem: dec ?? null } });
  return decoder.struct('resource.Quantity', { i, d, s: parsed?.s ?? '', Format: parsed?.format ?? '' }, text ?? '0');
}
