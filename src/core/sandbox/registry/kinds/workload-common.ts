// Pieces shared by apps/v1 workloads: replica/selector validation and the selector-immutability rule.
import { required, validateNonnegative, type Cause } from './field.js';
import { goLabelSelector, invalidRendered } from './go-format.js';
import { selectorIsEmpty, validateLabelSelector } from './selectors.js';
import { isObj, peek, type Obj } from './util.js';

/** spec.selector: required, valid and non-empty ("empty selector is invalid for <word>"). */
export function validateWorkloadSelector(spec: Obj, word: string, requireSelector = true): Cause[] {
  const causes: Cause[] = [];
  const selector = spec.selector;
  if (!isObj(selector)) {
    if (requireSelector) causes.push(required('spec.selector', ''));
    return causes;
  }
  causes.push(...validateLabelSelector(selector, 'spec.selector'));
  if (selectorIsEmpty(selector)) causes.push(invalidRendered('spec.selector', goLabelSelector(selector), `empty selector is invalid for ${word}`));
  return causes;
}

export function validateReplicas(spec: Obj): Cause[] {
  return [...validateNonnegative('spec.replicas', spec.replicas), ...validateNonnegative('spec.minReadySeconds', spec.minReadySeconds)];
}

export function validateSelectorImmutable(newSpec: Obj | undefined, oldSpec: Obj | undefined): Cause[] {
  const a = JSON.stringify(sortKeys(newSpec?.selector));
  const b = JSON.stringify(sortKeys(oldSpec?.selector));
  return a === b ? [] : [invalidRendered('spec.selector', goLabelSelector(newSpec?.selector), 'field is immutable')];
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObj(value)) {
    const out: Obj = {};
    for (const k of Object.keys(value).sort()) if (value[k] !== undefined) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

/** Go's %#v of an intstr.IntOrString, which is how upstream prints these bad values. */
export function goIntOrString(value: unknown): string {
  if (typeof value === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(value)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof value === 'number' ? value : 0}, StrVal:""}`;
}

const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** ValidatePositiveIntOrPercent. */
export function validateIntOrPercent(value: unknown, path: string): Cause[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'number') return validateNonnegative(path, value);
  if (typeof value === 'string') return /^[0-9]+%$/.test(value) ? [] : [invalidRendered(path, goIntOrString(value), PERCENT_MSG)];
  return [invalidRendered(path, goIntOrString(value), "must be an integer or percentage (e.g '5%%')")];
}

/** IsNotMoreThan100Percent. */
export function validateNotMoreThan100Percent(value: unknown, path: string): Cause[] {
  if (typeof value !== 'string') return [];
  const m = /^([0-9]+)%$/.exec(value);
  return m && Number(m[1]) > 100 ? [invalidRendered(path, goIntOrString(value), 'must not be greater than 100%')] : [];
}

/** getIntOrPercentValue: the number of an int, or of a valid percentage. */
export function intOrPercentValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const m = /^([0-9]+)%$/.exec(value);
    if (m) return Number(m[1]);
    const n = Number(value);
    return Number.isInteger(n) ? n : 0;
  }
  return 0;
}

export function specOf(obj: { [k: string]: unknown }): Obj | undefined {
  return peek(obj, 'spec');
}
