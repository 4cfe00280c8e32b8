// resource.Quantity: parsing ("100m", "1Gi", "0.5", "1e3"), comparison and the canonical form
// kube-apiserver writes back ("0.5" → "500m", "1024Mi" → "1Gi", "1000" → "1k"). Values are kept
// exactly as bigint mantissa × 10^scale, rounded up to nano precision like upstream.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value = mantissa × 10^scale, scale >= -9. */
  mantissa: bigint;
  scale: number;
  format: QuantityFormat;
}

export const QUANTITY_REGEX_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MIN_SCALE = -9;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Round up (away from zero for positives, toward +inf) to nano precision. */
function normalize(mantissa: bigint, scale: number): { mantissa: bigint; scale: number } {
  if (scale < MIN_SCALE) {
    const div = pow10(MIN_SCALE - scale);
    let q = mantissa / div;
    if (mantissa % div !== 0n && mantissa > 0n) q += 1n;
    return { mantissa: q, scale: MIN_SCALE };
  }
  return { mantissa, scale };
}

/**
 * Parsed quantities by their text. A cluster uses few distinct quantities ("100m", "128Mi") and
 * every pod write parses each of them several times (defaults, validation, QoS, quota); bounded so
 * that arbitrary input cannot grow it without end.
 */
const parsed = new Map<string, Quantity | null>();
const PARSED_CACHE_SIZE = 1024;

/** Parse a quantity string; undefined when it does not match kube's grammar. */
export function parseQuantity(input: string | number): Quantity | undefined {
  const str = typeof input === 'number' ? String(input) : input.trim();
  let q = parsed.get(str);
  if (q === undefined) {
    q = parseQuantityText(str) ?? null;
    if (parsed.size >= PARSED_CACHE_SIZE) parsed.clear();
    parsed.set(str, q);
  }
  // A copy: callers own what they get.
  return q === null ? undefined : { ...q };
}

function parseQuantityText(str: string): Quantity | undefined {
  const m = /^([+-]?)(\d+\.?\d*|\.\d+)(.*)$/.exec(str);
  if (!m) return undefined;
  const [, sign, num, suffix] = m;
  const [intPart, fracPart = ''] = num.split('.');
  let mantissa = BigInt((intPart || '0') + fracPart);
  let scale = -fracPart.length;
  if (sign === '-') mantissa = -mantissa;
  let format: QuantityFormat;
  if (suffix in BINARY_SUFFIX) {
    format = 'BinarySI';
    mantissa *= 2n ** BigInt(BINARY_SUFFIX[suffix]);
  } else if (suffix in DECIMAL_SUFFIX) {
    format = 'DecimalSI';
    scale += DECIMAL_SUFFIX[suffix];
  } else {
    const e = /^[eE]([+-]?\d+)$/.exec(suffix);
    if (!e) return undefined;
    format = 'DecimalExponent';
    scale += Number(e[1]);
  }
  if (scale > 0) {
    mantissa *= pow10(scale);
    scale = 0;
  }
  const n = normalize(mantissa, scale);
  return { ...n, format };
}

export function isQuantity(input: unknown): boolean {
  return (typeof input === 'string' || typeof input === 'number') && parseQuantity(input) !== undefined;
}

/** -1, 0, 1. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  const scale = Math.min(a.scale, b.scale);
  const av = a.mantissa * pow10(a.scale - scale);
  const bv = b.mantissa * pow10(b.scale - scale);
  return av < bv ? -1 : av > bv ? 1 : 0;
}

export function isNegative(q: Quantity): boolean {
  return q.mantissa < 0n;
}

/** The value in base units as a float (for display and arithmetic that tolerates rounding). */
export function quantityToNumber(q: Quantity): number {
  return Number(q.mantissa) * 10 ** q.scale;
}

/** MilliValue rounded up, as resource.Quantity.MilliValue. */
export function milliValue(q: Quantity): bigint {
  const shift = q.scale + 3;
  if (shift >= 0) return q.mantissa * pow10(shift);
  const div = pow10(-shift);
  const r = q.mantissa / div;
  return q.mantissa % div !== 0n && q.mantissa > 0n ? r + 1n : r;
}

function stripZeros(mantissa: bigint, scale: number): { mantissa: bigint; scale: number } {
  if (mantissa === 0n) return { mantissa, scale: 0 };
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    scale++;
  }
  return { mantissa, scale };
}

function formatDecimal(mantissa: bigint, scale: number, exponentForm: boolean): string {
  if (mantissa === 0n) return '0';
  let { mantissa: m, scale: s } = stripZeros(mantissa, scale);
  // Exponents are multiples of three so the suffixes line up with SI prefixes.
  const floor3 = Math.floor(s / 3) * 3;
  const capped = Math.min(Math.max(floor3, MIN_SCALE), 18);
  m *= pow10(s - capped);
  s = capped;
  if (exponentForm) return s === 0 ? `${m}` : `${m}e${s}`;
  const suffix = Object.keys(DECIMAL_SUFFIX).find((k) => DECIMAL_SUFFIX[k] === s) ?? '';
  return `${m}${suffix}`;
}

/** Canonical string as resource.Quantity.String(). */
export function formatQuantity(q: Quantity): string {
  const n = stripZeros(q.mantissa, q.scale);
  if (q.format === 'BinarySI' && n.scale >= 0) {
    let value = n.mantissa * pow10(n.scale);
    const abs = value < 0n ? -value : value;
    if (abs >= 1024n) {
      const suffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
      let i = 0;
      while (i < suffixes.length - 1 && value % 1024n === 0n) {
        value /= 1024n;
        i++;
      }
      return `${value}${suffixes[i]}`;
    }
  }
  return formatDecimal(q.mantissa, q.scale, q.format === 'DecimalExponent');
}

/** Canonicalize a quantity value as kube-apiserver stores it; unparsable values are returned unchanged. */
export function canonicalQuantity(input: unknown): unknown {
  if (typeof input !== 'string' && typeof input !== 'number') return input;
  const q = parseQuantity(input);
  return q ? formatQuantity(q) : input;
}

/** Canonicalize every value of a ResourceList (map of resource name to quantity) in place. */
export function canonicalizeResourceList(list: unknown): void {
  if (typeof list !== 'object' || list === null || Array.isArray(list)) return;
  const record = list as Record<string, unknown>;
  for (const [k, v] of Object.entries(record)) record[k] = canonicalQuantity(v);
}
