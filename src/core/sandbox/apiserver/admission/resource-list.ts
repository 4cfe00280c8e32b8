// corev1.ResourceList arithmetic as pkg/quota/v1 does it, over the registry's exact Quantity.
import { compareQuantity, formatQuantity, parseQuantity, type Quantity } from '../../registry/kinds/quantity.js';
import { strMap } from './util.js';

export type ResourceList = Record<string, Quantity>;

export const ZERO: Quantity = { mantissa: 0n, scale: 0, format: 'DecimalSI' };

export function quantity(value: string | number): Quantity | undefined {
  return parseQuantity(value);
}

/** Parse `obj[key]` as a ResourceList; values that are not quantities are skipped (validation rejects them). */
export function resourceList(obj: unknown, key: string): ResourceList {
  const out: ResourceList = {};
  for (const [name, value] of Object.entries(strMap(obj, key))) {
    const q = parseQuantity(value);
    if (q) out[name] = q;
  }
  return out;
}

function align(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const scale = Math.min(a.scale, b.scale);
  return [a.mantissa * 10n ** BigInt(a.scale - scale), b.mantissa * 10n ** BigInt(b.scale - scale), scale];
}

/** Quantity.Add: the result keeps the left operand's format unless the left one is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  const [am, bm, scale] = align(a, b);
  return { mantissa: am + bm, scale, format: a.mantissa === 0n ? b.format : a.format };
}

export function subQuantity(a: Quantity, b: Quantity): Quantity {
  const [am, bm, scale] = align(a, b);
  return { mantissa: am - bm, scale, format: a.mantissa === 0n ? b.format : a.format };
}

export function maxQuantity(a: Quantity, b: Quantity): Quantity {
  return compareQuantity(a, b) >= 0 ? a : b;
}

export function isZero(q: Quantity): boolean {
  return q.mantissa === 0n;
}

/** Round up to a whole number of base units (Quantity.RoundUp(0)). */
export function roundUp(q: Quantity): Quantity {
  if (q.scale >= 0) return q;
  const div = 10n ** BigInt(-q.scale);
  let whole = q.mantissa / div;
  if (q.mantissa % div !== 0n && q.mantissa > 0n) whole += 1n;
  return { mantissa: whole, scale: 0, format: q.format };
}

export function format(q: Quantity): string {
  return formatQuantity(q);
}

export function add(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? addQuantity(out[k], v) : v;
  return out;
}

/** SubtractWithNonNegativeResult. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(a)) {
    const diff = k in b ? subQuantity(v, b[k]) : v;
    out[k] = diff.mantissa < 0n ? { ...ZERO, format: v.format } : diff;
  }
  return out;
}

export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const name of names) if (name in list) out[name] = list[name];
  return out;
}

export function removeZeros(list: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(list)) if (!isZero(v)) out[k] = v;
  return out;
}

/** The names whose value in `a` exceeds the one in `b` (names absent from `a` never do). */
export function exceeded(a: ResourceList, b: ResourceList): string[] {
  return Object.keys(b).filter((k) => k in a && compareQuantity(a[k], b[k]) > 0);
}

/** quota's prettyPrint: sorted `name=value` joined by commas. */
export function prettyPrint(list: ResourceList): string {
  return Object.keys(list)
    .sort()
    .map((k) => `${k}=${formatQuantity(list[k])}`)
    .join(',');
}

export function toStrings(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(list).sort()) out[k] = formatQuantity(list[k]);
  return out;
}
