// etcd's KV API as etcd 3.4 answers it, through the etcd3 client's raw gRPC calls: what the KV
// contract does not cover (sorting, revision filters, ignore_value, nested and range-compare
// transactions, leases on puts, etcd's error codes and messages).
import { Etcd3, type IKeyValue } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEndpoint, type TestEndpoint } from './test-endpoint.js';

let endpoint: TestEndpoint;
let client: Etcd3;
let n = 0;
const fresh = () => `/api/${++n}/`;
const b = (s: string) => Buffer.from(s);
const keys = (kvs: IKeyValue[]) => kvs.map((kv) => kv.key.toString());
const values = (kvs: IKeyValue[]) => kvs.map((kv) => kv.value.toString());

beforeAll(async () => {
  endpoint = await startTestEndpoint();
  client = new Etcd3({
    hosts: endpoint.server.url,
    credentials: { rootCertificate: b(endpoint.certs.ca), certChain: b(endpoint.certs.cert), privateKey: b(endpoint.certs.key) },
  });
});

afterAll(async () => {
  client?.close();
  await endpoint?.cleanup();
});

/** The gRPC status code and message a call failed with (etcd3 keeps the code only in its message). */
async function failure(call: Promise<unknown>): Promise<{ code: number | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    const message = (error as Error).message;
    const code = /(\d+) [A-Z_]+: /.exec(message)?.[1];
    return { code: code === undefined ? undefined : Number(code), message };
  }
  throw new Error('the call succeeded but should have failed');
}

describe('Range', () => {
  it('sorts by any target in either order, then applies the limit and reports more', async () => {
    const p = fresh();
    await client.kv.put({ key: b(`${p}a`), value: b('3') });
    await client.kv.put({ key: b(`${p}b`), value: b('1') });
    await client.kv.put({ key: b(`${p}c`), value: b('2') });
    await client.kv.put({ key: b(`${p}a`), value: b('4') });
    const range = { key: b(p), range_end: b(p.slice(0, -1) + '0') };
    const byMod = await client.kv.range({ ...range, sort_target: 'Mod', sort_order: 'Descend', limit: 2 });
    expect(keys(byMod.kvs)).toEqual([`${p}a`, `${p}c`]);
    expect(byMod.more).toBe(true);
    expect(Number(byMod.count)).toBe(3);
    const byValue = await client.kv.range({ ...range, sort_target: 'Value' });
    expect(values(byValue.kvs)).toEqual(['1', '2', '4']);
    const byVersion = await client.kv.range({ ...range, sort_target: 'Version', sort_order: 'Descend', limit: 1 });
    expect(keys(byVersion.kvs)).toEqual([`${p}a`]);
    const byKeyDesc = await client.kv.range({ ...range, sort_order: 'Descend' });
    expect(keys(byKeyDesc.kvs)).toEqual([`${p}c`, `${p}b`, `${p}a`]);
    const unsorted = await client.kv.range({ ...range, limit: 3 });
    expect(unsorted.more).toBe(false);
  });

  it('filters on mod and create revisions; count is the whole range, as etcd reports it', async () => {
    const p = fresh();
    const first = Number((await client.kv.put({ key: b(`${p}1`), value: b('x') })).header.revision);
    await client.kv.put({ key: b(`${p}2`), value: b('x') });
    await client.kv.put({ key: b(`${p}1`), value: b('y') });
    const range = { key: b(p), range_end: b(p.slice(0, -1) + '0') };
    const recent = await client.kv.range({ ...range, min_mod_revision: first + 1 });
    expect(keys(recent.kvs)).toEqual([`${p}1`, `${p}2`]);
    const createdFirst = await client.kv.range({ ...range, max_create_revision: first });
    expect(keys(createdFirst.kvs)).toEqual([`${p}1`]);
    expect(Number(createdFirst.count)).toBe(2);
    const modWindow = await client.kv.range({ ...range, min_mod_revision: first + 1, max_mod_revision: first + 1 });
    expect(keys(modWindow.kvs)).toEqual([`${p}2`]);
  });

  it('reads in the past, keys only and count only', async () => {
    const p = fresh();
    const rev = Number((await client.kv.put({ key: b(`${p}k`), value: b('old') })).header.revision);
    await client.kv.put({ key: b(`${p}k`), value: b('new') });
    const past = await client.kv.range({ key: b(`${p}k`), revision: rev });
    expect(values(past.kvs)).toEqual(['old']);
    expect(Number(past.kvs[0].mod_revision)).toBe(rev);
    expect(Number(past.header.revision)).toBe(rev + 1);
    const keysOnly = await client.kv.range({ key: b(`${p}k`), keys_only: true });
    expect(keys(keysOnly.kvs)).toEqual([`${p}k`]);
    expect(values(keysOnly.kvs)).toEqual(['']);
    const countOnly = await client.kv.range({ key: b('\0'), range_end: b('\0'), count_only: true });
    expect(countOnly.kvs).toEqual([]);
    expect(Number(countOnly.count)).toBeGreaterThanOrEqual(1);
  });

  it("answers etcd's errors: empty key, future and compacted revisions", async () => {
    expect(await failure(client.kv.range({ key: b('') }))).toMatchObject({ code: 3, message: expect.stringContaining('etcdserver: key is not provided') });
    const future = await failure(client.kv.range({ key: b('x'), revision: 1_000_000 }));
    expect(future).toMatchObject({ code: 11, message: expect.stringContaining('etcdserver: mvcc: required revision is a future revision') });
    const p = fresh();
    const old = Number((await client.kv.put({ key: b(`${p}k`), value: b('1') })).header.revision);
    const now = Number((await client.kv.put({ key: b(`${p}k`), value: b('2') })).header.revision);
    await client.kv.compact({ revision: now });
    const compacted = await failure(client.kv.range({ key: b(`${p}k`), revision: old }));
    expect(compacted).toMatchObject({ code: 11, message: expect.stringContaining('etcdserver: mvcc: required revision has been compacted') });
    expect(await failure(client.kv.compact({ revision: now }))).toMatchObject({ message: expect.stringContaining('required revision has been compacted') });
  });
});

describe('Put and DeleteRange', () => {
  it('ignore_value keeps the value and bumps the version; refuses a value or a missing key', async () => {
    const p = fresh();
    await client.kv.put({ key: b(`${p}k`), value: b('kept') });
    const r = await client.kv.put({ key: b(`${p}k`), ignore_value: true, prev_kv: true });
    expect(r.prev_kv?.value.toString()).toBe('kept');
    const now = (await client.kv.range({ key: b(`${p}k`) })).kvs[0];
    expect(now.value.toString()).toBe('kept');
    expect(Number(now.version)).toBe(2);
    expect(await failure(client.kv.put({ key: b(`${p}k`), value: b('v'), ignore_value: true }))).toMatchObject({ code: 3, message: expect.stringContaining('etcdserver: value is provided') });
    expect(await failure(client.kv.put({ key: b(`${p}missing`), ignore_value: true }))).toMatchObject({ code: 3, message: expect.stringContaining('etcdserver: key not found') });
  });

  it('refuses an unknown lease as etcd does, and a granted one as unimplemented', async () => {
    const p = fresh();
    expect(await failure(client.kv.put({ key: b(`${p}k`), value: b('v'), lease: 12345 }))).toMatchObject({ code: 5, message: expect.stringContaining('etcdserver: requested lease not found') });
    const lease = await client.leaseClient.leaseGrant({ TTL: 60 });
    const refused = await failure(client.kv.put({ key: b(`${p}k`), value: b('v'), lease: lease.ID }));
    expect(refused.code).toBe(12);
    expect(refused.message).toContain('cannot attach keys to leases');
    expect(await failure(client.kv.put({ key: b(`${p}k`), value: b('v'), ignore_lease: true, lease: lease.ID }))).toMatchObject({ message: expect.stringContaining('etcdserver: lease is provided') });
  });

  it('deletes a range and returns the previous values', async () => {
    const p = fresh();
    for (const k of ['a', 'b', 'c']) await client.kv.put({ key: b(`${p}${k}`), value: b(k) });
    const r = await client.kv.deleteRange({ key: b(`${p}a`), range_end: b(`${p}c`), prev_kv: true });
    expect(Number(r.deleted)).toBe(2);
    expect(values(r.prev_kvs)).toEqual(['a', 'b']);
    expect(keys((await client.kv.range({ key: b(p), range_end: b(p.slice(0, -1) + '0') })).kvs)).toEqual([`${p}c`]);
  });
});

describe('Txn', () => {
  it('evaluates nested transactions on the state before any write, at one revision', async () => {
    const p = fresh();
    await client.kv.put({ key: b(`${p}flag`), value: b('on') });
    const r = await client.kv.txn({
      compare: [{ key: b(`${p}flag`), target: 'Value', result: 'Equal', value: b('on') }],
      success: [
        { request_put: { key: b(`${p}flag`), value: b('off') } },
        {
          request_txn: {
            // Still "on" for this compare: etcd decides every branch before writing.
            compare: [{ key: b(`${p}flag`), target: 'Value', result: 'Equal', value: b('off') }],
            success: [{ request_put: { key: b(`${p}wrong`), value: b('1') } }],
            failure: [{ request_put: { key: b(`${p}nested`), value: b('1') } }, { request_range: { key: b(`${p}flag`) } }],
          },
        },
      ],
      failure: [],
    });
    expect(r.succeeded).toBe(true);
    const nested = r.responses[1].response_txn;
    expect(nested?.succeeded).toBe(false);
    expect(values(nested?.responses[1].response_range?.kvs ?? [])).toEqual(['off']);
    const flag = (await client.kv.range({ key: b(`${p}flag`) })).kvs[0];
    const created = (await client.kv.range({ key: b(`${p}nested`) })).kvs[0];
    expect(created.mod_revision).toBe(flag.mod_revision);
    expect(Number(r.header.revision)).toBe(Number(flag.mod_revision));
    expect((await client.kv.range({ key: b(`${p}wrong`) })).kvs).toEqual([]);
  });

  it('compares over a key range: every key must match; an empty range compares as a missing key', async () => {
    const p = fresh();
    await client.kv.put({ key: b(`${p}a`), value: b('1') });
    await client.kv.put({ key: b(`${p}b`), value: b('1') });
    const end = b(p.slice(0, -1) + '0');
    const allOne = await client.kv.txn({ compare: [{ key: b(p), range_end: end, target: 'Version', result: 'Equal', version: 1 }], success: [], failure: [] });
    expect(allOne.succeeded).toBe(true);
    await client.kv.put({ key: b(`${p}b`), value: b('2') });
    const notAll = await client.kv.txn({ compare: [{ key: b(p), range_end: end, target: 'Version', result: 'Equal', version: 1 }], success: [], failure: [] });
    expect(notAll.succeeded).toBe(false);
    const empty = await client.kv.txn({ compare: [{ key: b(`${p}zz`), range_end: b(`${p}zzz`), target: 'Create', result: 'Equal', create_revision: 0 }], success: [], failure: [] });
    expect(empty.succeeded).toBe(true);
  });

  it('refuses a key written twice in a branch with etcd\'s message', async () => {
    const p = fresh();
    const r = await failure(
      client.kv.txn({ compare: [], success: [{ request_put: { key: b(`${p}k`), value: b('1') } }, { request_put: { key: b(`${p}k`), value: b('2') } }], failure: [] }),
    );
    expect(r).toMatchObject({ code: 3, message: expect.stringContaining('etcdserver: duplicate key given in txn request') });
  });
});
