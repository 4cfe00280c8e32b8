import { describe, expect, it } from 'vitest';
import { canonicalJson, safeEncodeString, scaledValue, claimable, controllerRefOf, selectorMatches } from './common.js';

describe('hashing', () => {
  it('SafeEncodeString maps each character into the vowel-free alphabet', () => {
    // Decimal digits only ever occur: '0' (48 % 27 = 21) → '4', '9' (57 % 27 = 3) → 'f'.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
  it('canonicalJson sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 0 } })).toBe('{"a":{"c":0,"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('scaledValue', () => {
  it('rounds percentages up for surge and down for unavailability, as intstr does', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(2, 10, true)).toBe(2);
    expect(scaledValue('5', 10, true)).toBe(5);
  });
});

describe('selectors and controller references', () => {
  const pod = (name: string, labels: Record<string, string>, owner?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }] } : {}) },
  });

  it('match as labelSelectorObjectMatches does, frozen (informer) selectors included, invalid ones matching nothing', () => {
    const selector = Object.freeze({ matchLabels: Object.freeze({ app: 'web' }), matchExpressions: Object.freeze([Object.freeze({ key: 'tier', operator: 'NotIn', values: Object.freeze(['db']) })]) });
    for (let i = 0; i < 2; i++) {
      expect(selectorMatches(selector, { app: 'web' })).toBe(true);
      expect(selectorMatches(selector, { app: 'web', tier: 'db' })).toBe(false);
    }
    expect(selectorMatches(Object.freeze({ matchExpressions: [{ key: 'a', operator: 'Near' }] }), { a: '1' })).toBe(false);
    expect(selectorMatches(undefined, { a: '1' })).toBe(false);
    expect(selectorMatches({}, { a: '1' })).toBe(true);
  });

  it('claimable sorts children into owned, orphans to adopt and owned ones to release', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', uid: 'u1' } };
    const claim = claimable(owner, [pod('a', { app: 'web' }, 'u1'), pod('b', { app: 'web' }), pod('c', { app: 'db' }, 'u1'), pod('d', { app: 'web' }, 'u2')], Object.freeze({ matchLabels: { app: 'web' } }));
    expect([claim.owned, claim.orphans, claim.release].map((l) => l.map((p) => p.metadata.name))).toEqual([['a'], ['b'], ['c']]);
    expect(controllerRefOf(pod('e', {}, 'u3'))?.uid).toBe('u3');
    expect(controllerRefOf(pod('f', {}))).toBeUndefined();
  });
});
