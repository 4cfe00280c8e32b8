// The browser against the sandbox's etcd endpoint (an EmbeddedKV served by our EtcdServer, with
// mutual TLS), reached through the etcd3 client as a real etcd would be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEndpoint, type TestEndpoint } from '../../etcd/test-endpoint.js';
import { encodeKubernetesProtobuf } from '../../sandbox/protobuf/kubernetes-protobuf.js';
import { bytes } from '../../sandbox/store/kv.js';
import type { RegistryWatchEvent } from '../../../shared/rpc/registry-contract.js';
import type { RegistryBrowser } from './registry-browser.js';
import { openRegistryBrowser } from './registry-service.js';

let endpoint: TestEndpoint;
let browser: RegistryBrowser;

const pod = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

beforeAll(async () => {
  endpoint = await startTestEndpoint();
  const { kv } = endpoint;
  await kv.put('/registry/pods/default/web', bytes(JSON.stringify(pod('web'))));
  await kv.put('/registry/pods/default/db', bytes(JSON.stringify(pod('db'))));
  await kv.put('/registry/pods/kube-system/dns', bytes(JSON.stringify(pod('dns'))));
  await kv.put('/registry/namespaces/default', bytes(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })));
  await kv.put('/registry/configmaps/default/pb', encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pb', namespace: 'default' }, data: { a: 'b' } }));
  await kv.put('/registry/secrets/default/enc', bytes('k8s:enc:aescbc:v1:key1:\u0001\u0002garbage'));
  for (let i = 0; i < 1200; i++) await kv.put(`/registry/events/default/e-${String(i).padStart(4, '0')}`, bytes('{}'));
  const { certs } = endpoint;
  browser = await openRegistryBrowser({ endpoints: [endpoint.server.url], caFile: certs.caFile, certFile: certs.certFile, keyFile: certs.keyFile });
});

afterAll(async () => {
  await browser?.kv.close();
  await endpoint?.cleanup();
});

describe('RegistryBrowser on the sandbox endpoint', () => {
  it('lists children by path segment with counts, and the etcdctl command', async () => {
    const root = await browser.list('/registry/');
    expect(root.children.map((c) => [c.name, c.count, c.leaf])).toEqual([
      ['configmaps/', 1, false],
      ['events/', 1200, false],
      ['namespaces/', 1, false],
      ['pods/', 3, false],
      ['secrets/', 1, false],
    ]);
    expect(root.total).toBe(1206);
    expect(root.command).toBe(
      `ETCDCTL_API=3 etcdctl --cacert ${endpoint.certs.caFile} --cert ${endpoint.certs.certFile} --key ${endpoint.certs.keyFile} --endpoints ${endpoint.server.url} get /registry/ --prefix --keys-only`,
    );
    const pods = await browser.list('/registry/pods/default/');
    expect(pods.children).toEqual([
      { name: 'db', key: '/registry/pods/default/db', leaf: true, count: 1 },
      { name: 'web', key: '/registry/pods/default/web', leaf: true, count: 1 },
    ]);
    const top = await browser.list('');
    expect(top.children.map((c) => c.name)).toEqual(['/']);
  });

  it('pages through a long prefix', async () => {
    const first = await browser.list('/registry/events/default/', { limit: 1000 });
    expect(first.children).toHaveLength(1000);
    expect(first.total).toBe(1200);
    expect(first.next).toBe('/registry/events/default/e-0999');
    const rest = await browser.list('/registry/events/default/', { after: first.next, limit: 1000 });
    expect(rest.children.map((c) => c.name)).toEqual(Array.from({ length: 200 }, (_, i) => `e-${1000 + i}`));
    expect(rest.next).toBeUndefined();
  });

  it('gets a value with its revisions and decodes JSON, protobuf and encrypted values', async () => {
    const web = await browser.get('/registry/pods/default/web');
    expect(web).toMatchObject({ key: '/registry/pods/default/web', version: 1, lease: 0, value: { format: 'json', object: pod('web') } });
    expect(web!.modRevision).toBe(web!.createRevision);
    expect(web!.command).toContain('get /registry/pods/default/web -w json');
    const pb = await browser.get('/registry/configmaps/default/pb');
    expect(pb!.value).toMatchObject({ format: 'protobuf', apiVersion: 'v1', kind: 'ConfigMap', object: { data: { a: 'b' }, metadata: { name: 'pb' } } });
    expect((await browser.get('/registry/secrets/default/enc'))!.value).toMatchObject({ format: 'encrypted', provider: 'aescbc:v1:key1' });
    expect(await browser.get('/registry/pods/default/none')).toBeNull();
    expect((await browser.search('DNS')).keys).toEqual(['/registry/pods/kube-system/dns']);
  });

  it('keeps a key’s history, travels back in time, and watches live', async () => {
    const events: RegistryWatchEvent[] = [];
    const watch = browser.watch('/registry/pods/', 'w1', (e) => events.push(e));
    await watch.ready;
    const before = (await browser.status()).revision;
    const put1 = await endpoint.kv.put('/registry/pods/default/web', bytes(JSON.stringify(pod('web', { tier: 'front' }))));
    await endpoint.kv.put('/registry/pods/default/web', bytes(JSON.stringify(pod('web', { tier: 'back' }))));
    await endpoint.kv.put('/registry/pods/default/new', bytes(JSON.stringify(pod('new'))));
    const history = await browser.history('/registry/pods/default/web');
    expect(history.entries.map((e) => e.version)).toEqual([3, 2, 1]);
    expect(history.entries[1]).toMatchObject({ modRevision: put1.revision, value: { object: pod('web', { tier: 'front' }) } });
    expect(history.truncated).toBe(false);
    const past = await browser.list('/registry/pods/default/', { revision: before });
    expect(past.children.map((c) => c.name)).toEqual(['db', 'web']);
    expect((await browser.get('/registry/pods/default/web', before))!.value).toEqual({ format: 'json', object: pod('web') });
    await expect.poll(() => events.flatMap((e) => e.events.map((x) => `${x.type} ${x.key} v${x.version}`))).toEqual([
      'put /registry/pods/default/web v2',
      'put /registry/pods/default/web v3',
      'put /registry/pods/default/new v1',
    ]);
    watch.dispose();
    await endpoint.kv.compact(put1.revision);
    const compacted = await browser.history('/registry/pods/default/web');
    expect(compacted.entries.map((e) => e.version)).toEqual([3, 2]);
    expect(compacted.truncated).toBe(true);
  });

  it('lists the same from its key index, which follows writes', async () => {
    const prefixes = ['/registry/', '/registry/pods/', '/registry/pods/default/', '/registry/events/default/', ''];
    const fromEtcd = await Promise.all(prefixes.map((p) => browser.list(p, { limit: 700 })));
    await browser.indexKeys();
    try {
      const fromIndex = await Promise.all(prefixes.map((p) => browser.list(p, { limit: 700 })));
      expect(fromIndex.map((l) => [l.children, l.total, l.next])).toEqual(fromEtcd.map((l) => [l.children, l.total, l.next]));
      const rest = await browser.list('/registry/events/default/', { after: fromIndex[3].next });
      expect(rest.children).toHaveLength(500);
      await endpoint.kv.put('/registry/pods/zeta/p', bytes('{}'));
      await endpoint.kv.deleteRange('/registry/pods/kube-system/dns');
      await expect.poll(async () => (await browser.list('/registry/pods/')).children.map((c) => `${c.name}${c.count}`)).toEqual(['default/3', 'zeta/1']);
    } finally {
      browser.dispose();
    }
    // A disposed browser reads etcd again and builds no new index.
    await browser.indexKeys();
    expect((await browser.list('/registry/pods/', { limit: 700 })).revision).toBe((await browser.status()).revision);
  });

  it('writes only with the current mod revision', async () => {
    const now = (await browser.get('/registry/pods/default/db'))!;
    expect(await browser.put('/registry/pods/default/db', '{"x":1}', now.modRevision - 1)).toEqual({ ok: false, modRevision: now.modRevision });
    const done = await browser.put('/registry/pods/default/db', '{"x":1}', now.modRevision);
    expect(done.ok).toBe(true);
    expect((await browser.get('/registry/pods/default/db'))).toMatchObject({ modRevision: done.modRevision, value: { format: 'json', object: { x: 1 } } });
  });
});
