// Go %#v renderings of a few API structs that kube-apiserver puts in messages as bad values.
import { goQuote } from './field.js';
import { isObj, objs, str, stringMap, arr } from './util.js';

function goStringMap(value: unknown, typeName = 'map[string]string'): string {
  if (!isObj(value)) return `${typeName}(nil)`;
  const m = stringMap(value);
  const keys = Object.keys(m).sort();
  return `${typeName}{${keys.map((k) => `${goQuote(k)}:${goQuote(m[k])}`).join(', ')}}`;
}

/** `v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`. */
export function goLabelSelector(selector: unknown): string {
  if (!isObj(selector)) return '(*v1.LabelSelector)(nil)';
  const exprs = objs(selector, 'matchExpressions');
  const exprText =
    exprs.length === 0
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map((e) => {
            const values = arr(e, 'values').filter((v): v is string => typeof v === 'string');
            const valuesText = values.length === 0 ? '[]string(nil)' : `[]string{${values.map(goQuote).join(', ')}}`;
            return `v1.LabelSelectorRequirement{Key:${goQuote(str(e, 'key') ?? '')}, Operator:${goQuote(str(e, 'operator') ?? '')}, Values:${valuesText}}`;
          })
          .join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels)}, MatchExpressions:${exprText}}`;
}

/** A cause whose bad value is already rendered Go-style (no extra quoting). */
export function invalidRendered(field: string, rendered: string, detail: string): { reason: string; message: string; field: string } {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${rendered}: ${detail}`, field };
}

function goFieldName(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * A short cmp.Diff-like rendering of a spec change, which upstream appends to "immutable spec"
 * Forbidden messages. Fields are listed Go-style; values are shown as JSON.
 */
export function goSpecDiff(typeName: string, oldSpec: Record<string, unknown>, newSpec: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])];
  const lines = [`  ${typeName}{`];
  for (const k of keys) {
    const a = JSON.stringify(oldSpec[k]);
    const b = JSON.stringify(newSpec[k]);
    if (a === b) continue;
    if (a !== undefined) lines.push(`- \t${goFieldName(k)}: ${a},`);
    if (b !== undefined) lines.push(`+ \t${goFieldName(k)}: ${b},`);
  }
  lines.push('  }');
  return lines.join('\n');
}
