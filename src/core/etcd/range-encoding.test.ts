import { describe, expect, it } from 'vitest';
import { serviceDefinition, type RangeResponseWire } from './proto.js';
import { encodeRangeResponse } from './range-encoding.js';
import { headerFor, identityFor, kvToWire } from './wire.js';

const range = serviceDefinition('KV').Range;
const header = headerFor(identityFor('member'), 300);

function response(partial: Partial<RangeResponseWire>): RangeResponseWire {
  return { header, kvs: [], more: false, count: 0, ...partial };
}

describe('encodeRangeResponse', () => {
  // protobufjs also writes zero scalars it was given (more: false, count: 0); both are valid proto3.
  it('encodes what protobufjs decodes to the same message as its own encoding', () => {
    const kv = (key: string, value: string, rev: number) => kvToWire({ key, value: Buffer.from(value), createRevision: rev, modRevision: rev + 200, version: 3, lease: 0 });
    const cases = [
      response({}),
      response({ kvs: [kv('/registry/pods/default/a', 'x'.repeat(300), 5)], count: 1 }),
      response({ kvs: [kv('/é/clé', '', 1), kv('/b', '{"a":1}', 2 ** 40)], more: true, count: 12345 }),
      response({ kvs: [kvToWire({ key: '/k', value: Buffer.from('v'), createRevision: 1, modRevision: 1, version: 1, lease: 77 }, true)], count: 1 }),
    ];
    for (const message of cases) {
      const fast = encodeRangeResponse(message);
      expect(fast).toBeDefined();
      expect(range.responseDeserialize(fast!)).toEqual(range.responseDeserialize(range.responseSerialize(message)));
      const decoded = range.responseDeserialize(fast!) as RangeResponseWire;
      expect(decoded.header.revision).toBe(300);
      expect(decoded.kvs.map((k) => [k.key.toString(), k.value.toString(), k.mod_revision])).toEqual(message.kvs.map((k) => [k.key.toString(), k.value.toString(), k.mod_revision]));
      expect([decoded.more, decoded.count]).toEqual([message.more, message.count]);
    }
  });

  it('declines what it does not handle, so the generic encoder takes over', () => {
    expect(encodeRangeResponse(response({ count: -1 }))).toBeUndefined();
  });
});
