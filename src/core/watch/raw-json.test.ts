import { describe, expect, it } from 'vitest';
import { stringifyWithJsonTexts, withJsonText } from './raw-json.js';

describe('stringifyWithJsonTexts', () => {
  it('gives what JSON.stringify gives, using the recorded texts', () => {
    const a = { metadata: { name: 'a "quoted" \u0000 name', uid: '1' }, spec: { n: [1, 2] } };
    const b = { metadata: { name: 'b', uid: '2' } };
    withJsonText(a, JSON.stringify(a));
    withJsonText(b, JSON.stringify(b));
    const message = { method: 'watch.delta', params: { subscriptionId: 's"1', upserts: [a, b, { plain: true }], deletes: ['x'], error: 'no \u0000json-marker-0 here' } };
    expect(stringifyWithJsonTexts(message)).toBe(JSON.stringify(message));
  });

  it('sends the recorded text, not a fresh serialization', () => {
    const obj = withJsonText({ a: 1 }, '{"a":2}');
    expect(stringifyWithJsonTexts({ items: [obj] })).toBe('{"items":[{"a":2}]}');
  });

  it('leaves the object as it was for deep equality and structured clone', () => {
    const obj = withJsonText({ a: 1 }, '{"a":1}');
    expect(obj).toEqual({ a: 1 });
    expect(Object.keys(obj)).toEqual(['a']);
    expect(structuredClone(obj)).toEqual({ a: 1 });
    expect(stringifyWithJsonTexts('plain')).toBe('"plain"');
  });
});
