import { describe, expect, it } from 'vitest';
import { SelectorError } from './errors.js';
import { formatLabelSelector, formatLabels, labelSelectorFromObject, parseLabelSelector } from './label-selector.js';

function parseError(s: string): string {
  try {
    parseLabelSelector(s);
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorError);
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(s)} to fail`);
}

describe('parseLabelSelector', () => {
  it('parses every operator and matches like kube-apiserver', () => {
    const sel = parseLabelSelector('a=b,c!=d,e in (x,y),f notin (z),g,!h,i==j');
    expect(sel.toString()).toBe('a=b,c!=d,e in (x,y),f notin (z),g,!h,i==j');
    const base = { a: 'b', e: 'y', g: '', i: 'j' };
    expect(sel.matches(base)).toBe(true);
    expect(sel.matches({ ...base, c: 'd' })).toBe(false);
    expect(sel.matches({ ...base, c: 'other' })).toBe(true);
    expect(sel.matches({ ...base, e: 'w' })).toBe(false);
    expect(sel.matches({ ...base, f: 'z' })).toBe(false);
    expect(sel.matches({ ...base, h: '' })).toBe(false);
    const { g: _g, ...noG } = base;
    expect(sel.matches(noG)).toBe(false);
  });

  it('handles whitespace, empty values and keywords used as values', () => {
    expect(parseLabelSelector('  x in ( in , notin ) ').matches({ x: 'notin' })).toBe(true);
    expect(parseLabelSelector('x=').matches({ x: '' })).toBe(true);
    expect(parseLabelSelector('x in (,a)').toString()).toBe('x in (,a)');
    expect(parseLabelSelector('x in ()').matches({ x: '' })).toBe(true);
    expect(parseLabelSelector('').isEmpty()).toBe(true);
    expect(parseLabelSelector('example.com/app=web').matches({ 'example.com/app': 'web' })).toBe(true);
  });

  it('supports gt/lt on integers', () => {
    const sel = parseLabelSelector('n>5,m<10');
    expect(sel.toString()).toBe('m<10,n>5');
    expect(sel.matches({ n: '6', m: '9' })).toBe(true);
    expect(sel.matches({ n: '5', m: '9' })).toBe(false);
    expect(sel.matches({ n: 'x', m: '9' })).toBe(false);
  });

  it('reports syntax errors with upstream wording', () => {
    expect(parseError('a in b')).toBe("unable to parse requirement: found 'b' expected: '('");
    expect(parseError('a=b,')).toBe("found '', expected: identifier after ','");
    expect(parseError('a=b c')).toBe("found 'c', expected: ',' or 'end of string'");
    expect(parseError('=a')).toBe("found '=', expected: !, identifier, or 'end of string'");
    expect(parseError('a in (b')).toBe("unable to parse requirement: found '', expected: ',' or ')'");
    expect(parseError('a b')).toBe("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    expect(parseError('a>b')).toBe(
      "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer",
    );
  });

  it('reports invalid keys and values like labels.Parse', () => {
    expect(parseError('-a=b')).toBe(
      "unable to parse requirement: <nil>: Invalid value: \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
    expect(parseError('a=b$')).toBe(
      "unable to parse requirement: values[0][a]: Invalid value: \"b$\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
    expect(parseError('Foo.COM/a=b')).toContain('prefix part a lowercase RFC 1123 subdomain');
  });
});

describe('labelSelectorFromObject', () => {
  it('converts matchLabels and matchExpressions', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'back'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'team', operator: 'Exists' },
      ],
    });
    expect(sel.toString()).toBe('app=web,!canary,env notin (dev),team,tier in (back,front)');
    expect(sel.matches({ app: 'web', tier: 'front', team: 'a' })).toBe(true);
    expect(sel.matches({ app: 'web', tier: 'front', team: 'a', canary: 'y' })).toBe(false);
    expect(sel.matches({ app: 'web', tier: 'front' })).toBe(false);
  });

  it('treats null as nothing and empty as everything', () => {
    expect(labelSelectorFromObject(undefined).matches({})).toBe(false);
    expect(labelSelectorFromObject({}).matches({ a: 'b' })).toBe(true);
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({ matchLabels: { b: '2', a: '1' } })).toBe('a=1,b=2');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBe('<error>');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
  });

  it('rejects bad operators and value sets', () => {
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toThrow(
      '"Gt" is not a valid label selector operator',
    );
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    );
  });
});
