// Label selectors as kube-apiserver parses and matches them (k8s.io/apimachinery pkg/labels):
// "a=b,c!=d,e in (x,y),f notin (z),g,!h", and metav1.LabelSelector objects. Parse errors carry
// kube-apiserver's exact messages because kubectl prints them verbatim.
import { SelectorError } from './errors.js';
import { aggregate, fieldInvalid, goQuote, goStringSlice, isQualifiedName, isValidLabelValue } from './label-validation.js';

export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Empty for exists / "!" (does not exist). */
  values: string[];
}

/** metav1.LabelSelector. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

type Labels = Record<string, string> | undefined | null;

const INTEGER = /^[+-]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function parseInt64(s: string): bigint | undefined {
  if (!INTEGER.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function has(labels: Labels, key: string): boolean {
  return labels != null && Object.prototype.hasOwnProperty.call(labels, key);
}

export function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has(labels, r.key) && r.values.includes(labels![r.key]);
    case 'notin':
    case '!=':
      return !has(labels, r.key) || !r.values.includes(labels![r.key]);
    case 'exists':
      return has(labels, r.key);
    case '!':
      return !has(labels, r.key);
    case 'gt':
    case 'lt': {
      if (!has(labels, r.key) || r.values.length !== 1) return false;
      const actual = parseInt64(labels![r.key]);
      const wanted = parseInt64(r.values[0]);
      if (actual === undefined || wanted === undefined) return false;
      return r.operator === 'gt' ? actual > wanted : actual < wanted;
    }
  }
}

const OP_TEXT: Record<LabelOperator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

export function requirementString(r: LabelRequirement): string {
  let s = r.operator === '!' ? `!${r.key}` : r.key;
  if (r.operator === 'exists' || r.operator === '!') return s;
  s += OP_TEXT[r.operator];
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${values})` : s + values;
}

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

/**
 * labels.NewRequirement's checks. `keyPath` / `valuesPath` are the field paths upstream prints
 * ("key", "values"), or undefined for a nil path which Go prints as "<nil>".
 */
function validateRequirement(key: string, operator: LabelOperator, values: string[]): string[] {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(fieldInvalid('key', goQuote(key), keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(fieldInvalid('values', goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(fieldInvalid('values', goStringSlice(values), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(fieldInvalid('values', goStringSlice(values), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(fieldInvalid('values', goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(fieldInvalid(`values[${i}]`, goQuote(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push(fieldInvalid(`values[${i}][${key}]`, goQuote(v), valueErrs.join('; ')));
  });
  return errs;
}

function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs = validateRequirement(key, operator, values);
  if (errs.length > 0) throw new SelectorError(aggregate(errs));
  return { key, operator, values };
}

// ---- Lexer and parser (labels.Parse) ----

type Tok = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const KEYWORDS: Record<string, Tok> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

interface Item {
  tok: Tok;
  lit: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    if (isSpecial(s[pos])) {
      let buffer = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos])) {
        buffer += s[pos];
        const tok = Object.prototype.hasOwnProperty.call(KEYWORDS, buffer) ? KEYWORDS[buffer] : undefined;
        if (tok) {
          last = { tok, lit: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let buffer = '';
    while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) buffer += s[pos++];
    const tok = Object.prototype.hasOwnProperty.call(KEYWORDS, buffer) ? KEYWORDS[buffer] : 'id';
    items.push({ tok, lit: buffer });
  }
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  /** In a values context "in"/"notin" are plain identifiers ("x in (in)"). */
  private lookahead(values: boolean): Item {
    return this.asContext(this.items[this.position], values);
  }

  private consume(values: boolean): Item {
    return this.asContext(this.items[this.position++], values);
  }

  private asContext(item: Item, values: boolean): Item {
    return values && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'id', lit: item.lit } : item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === 'id' || tok === '!') {
        let r: LabelRequirement;
        try {
          r = this.parseRequirement();
        } catch (error) {
          throw new SelectorError(`unable to parse requirement: ${(error as Error).message}`);
        }
        requirements.push(r);
        const next = this.consume(true);
        if (next.tok === 'eos') return requirements;
        if (next.tok !== ',') throw new SelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
        const after = this.lookahead(true);
        if (after.tok !== 'id' && after.tok !== '!') throw new SelectorError(`found '${after.lit}', expected: identifier after ','`);
      } else if (tok === 'eos') {
        return requirements;
      } else {
        throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    let operator: LabelOperator | undefined;
    let { tok, lit } = this.consume(true);
    if (tok === '!') {
      operator = '!';
      ({ tok, lit } = this.consume(true));
    }
    if (tok !== 'id') throw new Error(`found '${lit}', expected: identifier`);
    const keyErrs = isQualifiedName(lit);
    // The parser validates the key with a nil field path, which Go prints as "<nil>".
    if (keyErrs.length > 0) throw new Error(fieldInvalid('<nil>', goQuote(lit), keyErrs.join('; ')));
    const key = lit;
    const next = this.lookahead(true).tok;
    if (next === 'eos' || next === ',') return newRequirement(key, operator ?? 'exists', []);
    if (operator === '!') return newRequirement(key, '!', []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort());
  }

  private parseOperator(): LabelOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case 'in':
        return 'in';
      case '=':
        return '=';
      case '==':
        return '==';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      case 'notin':
        return 'notin';
      case '!=':
        return '!=';
      default:
        throw new Error(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume(true);
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === 'id' || tok === ',') {
      const s = this.parseIdentifiersList();
      if (this.consume(true).tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
      return s;
    }
    if (tok === ')') {
      this.consume(true);
      return new Set(['']);
    }
    throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === 'id') {
        s.add(lit);
        const next = this.lookahead(true);
        if (next.tok === ',') continue;
        if (next.tok === ')') return s;
        throw new Error(`found '${next.lit}', expected: ',' or ')'`);
      } else if (tok === ',') {
        if (s.size === 0) s.add('');
        const next = this.lookahead(true).tok;
        if (next === ')') {
          s.add('');
          return s;
        }
        if (next === ',') {
          this.consume(true);
          s.add('');
        }
      } else {
        throw new Error(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead(true).tok;
    if (next === 'eos' || next === ',') return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === 'id') return new Set([lit]);
    throw new Error(`found '${lit}', expected: identifier`);
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
