// etcd's Watch, Lease, Maintenance and Cluster services as etcd 3.4 answers them, through the etcd3
// client's raw gRPC streams and calls, against our endpoint over the embedded store.
import { Etcd3, type IWatchResponse } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/clock.js';
import { bytes } from '../sandbox/store/kv.js';
import { startTestEndpoint, type TestEndpoint } from './test-endpoint.js';

let endpoint: TestEndpoint;
let client: Etcd3;
const clock = new FakeClock();
let n = 0;
const fresh = () => `/watch/${++n}/`;
const b = (s: string) => Buffer.from(s);

beforeAll(async () => {
  endpoint = await startTestEndpoint({ clock, progressIntervalMs: 100 });
  client = new Etcd3({
    hosts: endpoint.server.url,
    credentials: { rootCertificate: b(endpoint.certs.ca), certChain: b(endpoint.certs.cert), privateKey: b(endpoint.certs.key) },
  });
});

afterAll(async () => {
  client?.close();
  await endpoint?.cleanup();
});

async function until(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function openStream() {
  const stream = await client.watchClient.watch();
  const responses: IWatchResponse[] = [];
  stream.on('data', (r) => responses.push(r));
  const next = async (what: string, match: (r: IWatchResponse) => boolean): Promise<IWatchResponse> => {
    await until(what, () => responses.some(match));
    const found = responses.find(match) as IWatchResponse;
    responses.splice(responses.indexOf(found), 1);
    return found;
  };
  return { stream, responses, next };
}

const events = (r: IWatchResponse) => (r.events ?? []).map((e) => `${String(e.type)} ${e.kv?.key.toString()}=${e.kv?.value.toString()}${e.prev_kv ? ` (was ${e.prev_kv.value.toString()})` : ''}`);

describe('Watch', () => {
  it('numbers watchers from 0, sends events with prev_kv, honours filters, and stops after cancel', async () => {
    const { stream, responses, next } = await openStream();
    const p = fresh();
    const end = b(p.slice(0, -1) + '0');
    stream.write({ create_request: { key: b(p), range_end: end, prev_kv: true } });
    const first = await next('created 0', (r) => r.created);
    expect(String(first.watch_id)).toBe('0');
    stream.write({ create_request: { key: b(p), range_end: end, filters: ['Noput'] } });
    const second = await next('created 1', (r) => r.created);
    expect(String(second.watch_id)).toBe('1');

    await client.kv.put({ key: b(`${p}a`), value: b('1') });
    // A write to the store itself (as the API server makes) is seen by etcd watchers too.
    await endpoint.kv.put(`${p}a`, bytes('2'));
    await client.kv.deleteRange({ key: b(`${p}a`) });
    await until('events of watcher 0', () => responses.filter((r) => String(r.watch_id) === '0').flatMap(events).length === 3);
    expect(responses.filter((r) => String(r.watch_id) === '0').flatMap(events)).toEqual([`Put ${p}a=1`, `Put ${p}a=2 (was 1)`, `Delete ${p}a= (was 2)`]);
    const onlyDeletes = await next('the delete on watcher 1', (r) => String(r.watch_id) === '1' && (r.events ?? []).length > 0);
    expect(events(onlyDeletes)).toEqual([`Delete ${p}a=`]);

    stream.write({ cancel_request: { watch_id: 0 } });
    const canceled = await next('canceled', (r) => r.canceled);
    expect(String(canceled.watch_id)).toBe('0');
    responses.length = 0;
    await client.kv.put({ key: b(`${p}b`), value: b('x') });
    await client.kv.deleteRange({ key: b(`${p}b`) });
    await next('the delete on watcher 1', (r) => String(r.watch_id) === '1');
    expect(responses.filter((r) => String(r.watch_id) === '0')).toEqual([]);
    stream.end();
  });

  it('replays from start_revision; a compacted one is canceled with compact_revision, as etcd does', async () => {
    const { stream, next } = await openStream();
    const p = fresh();
    const r1 = Number((await client.kv.put({ key: b(`${p}k`), value: b('1') })).header.revision);
    await client.kv.put({ key: b(`${p}k`), value: b('2') });
    stream.write({ create_request: { key: b(`${p}k`), start_revision: r1 } });
    const created = await next('created', (r) => r.created);
    expect(Number(created.header.revision)).toBe(r1 + 1);
    const replay = await next('replay', (r) => (r.events ?? []).length > 0);
    expect(events(replay)).toEqual([`Put ${p}k=1`, `Put ${p}k=2`]);

    const r3 = Number((await client.kv.put({ key: b(`${p}k`), value: b('3') })).header.revision);
    await client.kv.compact({ revision: r3 });
    stream.write({ create_request: { key: b(`${p}k`), start_revision: r1 } });
    const second = await next('created again', (r) => r.created);
    const gone = await next('canceled', (r) => r.canceled && String(r.watch_id) === String(second.watch_id));
    expect(Number(gone.compact_revision)).toBe(r3);
    stream.end();
  });

  it('sends progress notifications to watchers that ask, and answers a progress request with watch id -1', async () => {
    const { stream, next } = await openStream();
    const p = fresh();
    stream.write({ create_request: { key: b(`${p}quiet`) } });
    stream.write({ create_request: { key: b(`${p}notified`), progress_notify: true } });
    await next('created', (r) => r.created && String(r.watch_id) === '0');
    await next('created', (r) => r.created && String(r.watch_id) === '1');
    const progress = await next('a progress notification', (r) => !r.created && String(r.watch_id) === '1' && (r.events ?? []).length === 0);
    expect(Number(progress.header.revision)).toBeGreaterThan(0);
    stream.write({ progress_request: {} });
    const all = await next('the progress answer', (r) => String(r.watch_id) === '-1');
    expect(Number(all.header.revision)).toBe(Number((await client.kv.range({ key: b('x') })).header.revision));
    stream.end();
  });

  it('accepts a watch id chosen by the client and refuses a duplicate', async () => {
    const { stream, next } = await openStream();
    const p = fresh();
    stream.write({ create_request: { key: b(`${p}k`), watch_id: 42 } });
    expect(String((await next('created 42', (r) => r.created)).watch_id)).toBe('42');
    stream.write({ create_request: { key: b(`${p}k`), watch_id: 42 } });
    const dup = await next('refused', (r) => r.created && r.canceled);
    expect(dup.cancel_reason).toContain('duplicate watch ID');
    stream.end();
  });
});

describe('Lease', () => {
  it('grants, reports time to live, keeps alive, expires and revokes', async () => {
    const small = await client.leaseClient.leaseGrant({ TTL: 1 });
    expect(Number(small.TTL)).toBe(2);
    const lease = await client.leaseClient.leaseGrant({ TTL: 30 });
    const id = lease.ID;
    expect((await client.leaseClient.leaseLeases({})).leases.map((l) => l.ID)).toContain(id);
    clock.advance(10_000);
    const ttl = await client.leaseClient.leaseTimeToLive({ ID: id });
    expect([Number(ttl.TTL), Number(ttl.grantedTTL)]).toEqual([20, 30]);

    const keepAlive = await client.leaseClient.leaseKeepAlive();
    const answers: { ID: string; TTL: string }[] = [];
    keepAlive.on('data', (r) => answers.push({ ID: String(r.ID), TTL: String(r.TTL) }));
    keepAlive.write({ ID: id });
    await until('keep-alive answer', () => answers.length === 1);
    expect(answers[0]).toEqual({ ID: String(id), TTL: '30' });
    expect(Number((await client.leaseClient.leaseTimeToLive({ ID: id })).TTL)).toBe(30);

    clock.advance(31_000);
    expect(Number((await client.leaseClient.leaseTimeToLive({ ID: id })).TTL)).toBe(-1);
    keepAlive.write({ ID: id });
    await until('keep-alive answer for an expired lease', () => answers.length === 2);
    expect(answers[1].TTL).toBe('0');
    keepAlive.end();

    const other = await client.leaseClient.leaseGrant({ TTL: 60, ID: 777 });
    expect(String(other.ID)).toBe('777');
    await expect(client.leaseClient.leaseGrant({ TTL: 60, ID: 777 })).rejects.toThrow('etcdserver: lease already exists');
    await client.leaseClient.leaseRevoke({ ID: 777 });
    await expect(client.leaseClient.leaseRevoke({ ID: 777 })).rejects.toThrow('etcdserver: requested lease not found');
    await expect(client.leaseClient.leaseGrant({ TTL: 9_000_000_001 })).rejects.toThrow('etcdserver: too large lease TTL');
  });
});

describe('Maintenance and Cluster', () => {
  it('reports one member, the leader, with a stable header identity', async () => {
    const status = await client.maintenance.status();
    expect(status.version).toMatch(/^3\.4\.\d+$/);
    expect(String(status.leader)).toBe(String(status.header.member_id));
    expect(Number(status.dbSize)).toBeGreaterThan(0);
    expect(Number(status.raftIndex)).toBe(Number(status.header.revision));
    const members = await client.cluster.memberList({});
    expect(members.members).toHaveLength(1);
    expect(members.members[0]).toMatchObject({ name: 'test-member', clientURLs: [endpoint.server.url], isLearner: false });
    expect(String(members.members[0].ID)).toBe(String(status.header.member_id));
    expect(String(members.header.cluster_id)).toBe(String(status.header.cluster_id));
    expect(String(status.header.raft_term)).toBe('2');
    await expect(client.cluster.memberAdd({ peerURLs: ['https://127.0.0.1:2380'] })).rejects.toThrow('single member');
    expect((await client.maintenance.alarm({})).alarms).toEqual([]);
  });
});

describe('large replays', () => {
  it('arrive in several responses under gRPC message limits, each revision whole and in order', async () => {
    const p = fresh();
    const big = b('x'.repeat(200 * 1024));
    const first = Number((await client.kv.put({ key: b(`${p}0`), value: big })).header.revision);
    for (let i = 1; i < 30; i++) await client.kv.put({ key: b(`${p}${i}`), value: big });
    const { stream, responses, next } = await openStream();
    stream.write({ create_request: { key: b(p), range_end: b(p.slice(0, -1) + '0'), start_revision: first } });
    await next('created', (r) => r.created);
    await until('the whole replay', () => responses.flatMap((r) => r.events ?? []).length === 30);
    expect(responses.length).toBeGreaterThan(3);
    const revisions = responses.flatMap((r) => (r.events ?? []).map((e) => Number(e.kv?.mod_revision)));
    expect(revisions).toEqual(Array.from({ length: 30 }, (_, i) => first + i));
    stream.end();
  });
});
