// metav1.LabelSelector validation (ValidateLabelSelector) and matching, shared by workloads,
// services, PDBs and network policies.
import { validateLabels } from '../object-meta.js';
import { labelSelectorObjectMatches, type LabelSelectorObject } from '../selectors/index.js';
import { forbidden, index, invalid, required, type Cause } from './field.js';
import { arr, isObj, objs, peek, str, stringMap, type Obj } from './util.js';

export function validateLabelSelector(selector: unknown, path: string): Cause[] {
  if (selector === undefined || selector === null) return [];
  if (!isObj(selector)) return [invalid(path, selector, 'must be a label selector')];
  const causes = validateLabels(selector.matchLabels, `${path}.matchLabels`);
  objs(selector, 'matchExpressions').forEach((expr, i) => {
    const p = index(`${path}.matchExpressions`, i);
    const operator = str(expr, 'operator') ?? '';
    const values = arr(expr, 'values');
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) causes.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) causes.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      causes.push(invalid(`${p}.operator`, operator, 'not a valid selector operator'));
    }
    causes.push(...validateLabels({ [str(expr, 'key') ?? '']: '' }, `${p}.key`));
  });
  return causes;
}

/** Whether a LabelSelector has no requirements (matches everything). */
export function selectorIsEmpty(selector: Obj): boolean {
  return Object.keys(stringMap(selector.matchLabels)).length === 0 && objs(selector, 'matchExpressions').length === 0;
}

/** metav1.LabelSelectorAsSelector(selector).Matches(labels); a missing selector matches nothing. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  return isObj(selector) && labelSelectorObjectMatches(selector as LabelSelectorObject, labels);
}

/** `spec.template.metadata.labels: Invalid value: map[...]: `selector` does not match template `labels``. */
export function templateMatchesSelector(selector: unknown, template: Obj | undefined, templatePath: string): Cause[] {
  if (isObj(selector) && selectorIsEmpty(selector)) return [];
  const labels = peek(peek(template, 'metadata'), 'labels');
  if (selectorMatches(selector, stringMap(labels))) return [];
  const cause = invalid(`${templatePath}.metadata.labels`, stringMap(labels), '`selector` does not match template `labels`');
  if (!labels) cause.message = 'Invalid value: map[string]string(nil): `selector` does not match template `labels`';
  return [cause];
}
