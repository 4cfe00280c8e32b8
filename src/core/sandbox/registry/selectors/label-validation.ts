// The label key/value checks the selector parser runs (k8s.io/apimachinery util/validation), with
// kube-apiserver's exact wording: clients match on these messages and users read them.

// One implementation of apimachinery's validation helpers serves selectors and strategies alike.
export { isDNS1123Subdomain as isDns1123Subdomain, isQualifiedName, isValidLabelValue, regexError, maxLen as maxLenError } from '../kinds/names.js';

/** Go's %q for a string (close enough: escapes quotes, backslashes and control characters). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %#v for a []string, as field.Invalid prints a slice value. */
export function goStringSlice(values: string[]): string {
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** field.Invalid(path, value, detail).Error(). */
export function fieldInvalid(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${value}: ${detail}`;
}

/** utilerrors.NewAggregate(errs).Error(): one message as is, several deduplicated in brackets. */
export function aggregate(messages: string[]): string {
  const seen = [...new Set(messages)];
  if (seen.length === 1) return seen[0];
  return `[${seen.join(', ')}]`;
}
