// Label selectors as kube-apiserver parses and matches them (k8s.io/apimachinery pkg/labels):
// "a=b,c!=d,e in (x,y),f notin (z),g,!h", and metav1.LabelSelector objects. Parse errors carry
// kube-apiserver's exact messages because kubectl prints them verbatim.
import { SelectorError } from './errors.js';
import { lex, Parser } from './label-parser.js';
import { newRequirement, requirementMatches, requirementString, type LabelOperator, type LabelRequirement } from './label-requirement.js';
import { goQuote } from './label-validation.js';

export { requirementMatches, requirementString, type LabelOperator, type LabelRequirement };

/** metav1.LabelSelector. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

type Labels = Record<string, string> | undefined | null;

/** An AND of requirements; `nothing` matches no object (a nil metav1.LabelSelector). */
export class LabelSelector {
  private constructor(
    readonly requirements: readonly LabelRequirement[],
    readonly matchesNothing: boolean,
  ) {}

  static of(requirements: LabelRequirement[]): LabelSelector {
    // Sorted by key as upstream does, so String() output is deterministic.
    const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return new LabelSelector(sorted, false);
  }

  static everything(): LabelSelector {
    return new LabelSelector([], false);
  }

  static nothing(): LabelSelector {
    return new LabelSelector([], true);
  }

  /** True when the selector restricts nothing. */
  isEmpty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    if (this.matchesNothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  /** The single value a label must have, if the selector pins one (used to narrow lists). */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((req) => req.key === key);
    if (!r || r.values.length !== 1) return undefined;
    return r.operator === '=' || r.operator === '==' || r.operator === 'in' ? r.values[0] : undefined;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** labels.Parse. Throws SelectorError with kube-apiserver's message on bad syntax. */
export function parseLabelSelector(selector: string): LabelSelector {
  return LabelSelector.of(new Parser(lex(selector)).parse());
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: absent → matches nothing, empty → matches everything.
 * Throws SelectorError for an invalid selector.
 */
export function labelSelectorFromObject(selector: LabelSelectorObject | null | undefined): LabelSelector {
  if (selector == null) return LabelSelector.nothing();
  const matchLabels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + expressions.length === 0) return LabelSelector.everything();
  const requirements: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) requirements.push(newRequirement(k, '=', [v]));
  for (const expr of expressions) {
    const op = Object.prototype.hasOwnProperty.call(EXPRESSION_OPERATORS, expr.operator) ? EXPRESSION_OPERATORS[expr.operator] : undefined;
    if (!op) throw new SelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    requirements.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return LabelSelector.of(requirements);
}

/**
 * Whether `labels` match a metav1.LabelSelector object: a missing selector matches nothing, an empty
 * one everything, an invalid one (unknown operator, bad key) nothing — the one matcher controllers,
 * RBAC aggregation and validation share.
 */
export function labelSelectorObjectMatches(selector: LabelSelectorObject | null | undefined, labels: Record<string, string> = {}): boolean {
  try {
    return labelSelectorFromObject(selector).matches(labels);
  } catch (error) {
    if (error instanceof SelectorError) return false;
    throw error;
  }
}

/** metav1.FormatLabelSelector: the selector's string form, "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(selector: LabelSelectorObject | null | undefined): string {
  let s: string;
  try {
    s = labelSelectorFromObject(selector).toString();
  } catch {
    return '<error>';
  }
  return s === '' ? '<none>' : s;
}

/** labels.FormatLabels: "a=b,c=d" sorted, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  const parts = Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return parts.length === 0 ? '<none>' : parts.join(',');
}
