// The browser against Debian's etcd-server 3.4 holding what kube-apiserver writes: objects in
// Kubernetes' protobuf envelope, a kind our schema lacks (field-number view), an encrypted value.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKubernetesProtobuf, KUBERNETES_PROTOBUF_MAGIC } from '../../sandbox/protobuf/kubernetes-protobuf.js';
import { ProtoWriter } from '../../sandbox/protobuf/wire.js';
import { etcdAvailable, startEtcd, type EtcdProcess } from '../../sandbox/store/etcd-process.js';
import { bytes } from '../../sandbox/store/kv.js';
import type { RegistryBrowser } from './registry-browser.js';
import { openRegistryBrowser } from './registry-service.js';

let dir: string;
let etcd: EtcdProcess;
let browser: RegistryBrowser;

/** An envelope for a kind no schema knows (a custom resource stored as protobuf cannot exist, but a newer kind can). */
function unknownKindEnvelope(): Uint8Array {
  const meta = new ProtoWriter();
  meta.bytesField(1, bytes('example.dev/v9'));
  meta.bytesField(2, bytes('Gizmo'));
  const objectMeta = new ProtoWriter();
  objectMeta.bytesField(1, bytes('g1'));
  const raw = new ProtoWriter();
  raw.bytesField(1, objectMeta.finish());
  raw.varintField(2, 42n);
  const out = new ProtoWriter();
  out.raw(KUBERNETES_PROTOBUF_MAGIC);
  out.bytesField(1, meta.finish());
  out.bytesField(2, raw.finish());
  return out.finish();
}

beforeAll(async () => {
  if (!etcdAvailable()) return;
  dir = await mkdtemp(join(tmpdir(), 'kd-registry-etcd34-'));
  etcd = await startEtcd(dir);
  browser = await openRegistryBrowser({ endpoints: [etcd.endpoint] });
  const put = (key: string, value: Uint8Array) => browser.kv.put(key, value);
  await put('/registry/pods/default/web', encodeKubernetesProtobuf({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u-1', labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  }));
  await put('/registry/deployments/default/web', encodeKubernetesProtobuf({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
  }));
  await put('/registry/gizmos/default/g1', unknownKindEnvelope());
  await put('/registry/secrets/default/s', bytes('k8s:enc:kms:v2:vault:\u00ff\u0000'));
  await put('/registry/apiextensions.k8s.io/customresourcedefinitions/x', bytes('{"kind":"CustomResourceDefinition"}'));
}, 60_000);

afterAll(async () => {
  await browser?.kv.close();
  await etcd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!etcdAvailable())('RegistryBrowser on etcd 3.4', () => {
  it('lists the registry by segment', async () => {
    const root = await browser.list('/registry/');
    expect(root.children.map((c) => `${c.name}${c.count}`)).toEqual(['apiextensions.k8s.io/1', 'deployments/1', 'gizmos/1', 'pods/1', 'secrets/1']);
    expect(root.command).toBe(`ETCDCTL_API=3 etcdctl --endpoints ${etcd.endpoint} get /registry/ --prefix --keys-only`);
  });

  it('decodes the protobuf envelope into apiVersion, kind and fields', async () => {
    const pod = await browser.get('/registry/pods/default/web');
    expect(pod!.value).toMatchObject({
      format: 'protobuf', apiVersion: 'v1', kind: 'Pod',
      object: { metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
    });
    const deploy = await browser.get('/registry/deployments/default/web');
    expect(deploy!.value).toMatchObject({ format: 'protobuf', apiVersion: 'apps/v1', kind: 'Deployment', object: { spec: { replicas: 3 } } });
  });

  it('shows an unknown kind by field number, and flags encrypted values', async () => {
    const gizmo = await browser.get('/registry/gizmos/default/g1');
    expect(gizmo!.value).toMatchObject({ format: 'protobuf-fields', apiVersion: 'example.dev/v9', kind: 'Gizmo', fields: { 1: { 1: 'g1' }, 2: 42 } });
    expect((await browser.get('/registry/secrets/default/s'))!.value).toEqual({ format: 'encrypted', provider: 'kms:v2:vault', bytes: expect.any(Number) });
    expect((await browser.get('/registry/apiextensions.k8s.io/customresourcedefinitions/x'))!.value).toEqual({ format: 'json', object: { kind: 'CustomResourceDefinition' } });
  });
});
