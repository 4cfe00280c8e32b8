// Pieces shared by apps/v1 workloads: replica/selector validation and the selector-immutability rule.
import { invalid, required, validateNonnegative, type Cause } from './field.js';
import { goLabelSelector, invalidRendered } from './go-format.js';
import { validateReplicatedTemplate } from './pod-template.js';
import { selectorIsEmpty, validateLabelSelector } from './selectors.js';
import { isObj, peek, type Obj } from './util.js';

/** Selector present, valid, non-empty and matching the template (ValidateDeploymentSpec etc.). */
export function validateSelectorAndTemplate(spec: Obj, kindLower: string): Cause[] {
  const causes: Cause[] = [];
  const selector = spec.selector;
  if (!isObj(selector)) causes.push(required('spec.selector', ''));
  else {
    causes.push(...validateLabelSelector(selector, 'spec.selector'));
    if (selectorIsEmpty(selector)) causes.push(invalidRendered('spec.selector', goLabelSelector(selector), `empty selector is invalid for ${kindLower}`));
  }
  causes.push(...validateReplicatedTemplate(spec, 'spec'));
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

/** intstr.IntOrString as a percentage or a non-negative integer (ValidatePositiveIntOrPercent). */
export function validateIntOrPercent(value: unknown, path: string): Cause[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return validateNonnegative(path, value);
  if (typeof value === 'string') {
    const m = /^(\d+)%$/.exec(value);
    if (!m) return [invalid(path, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    if (Number(m[1]) > 100) return [invalid(path, value, 'must not be greater than 100%')];
    return [];
  }
  return [invalid(path, value, 'must be an integer or percentage')];
}

/** Value of an IntOrString for "is it zero" checks. */
export function isZeroIntOrPercent(value: unknown): boolean {
  return value === 0 || value === '0%' || value === '0';
}

export function specOf(obj: { [k: string]: unknown }): Obj | undefined {
  return peek(obj, 'spec');
}
