// The watch service against a real sandbox (in its child process, as the app runs it) driven by the
// real kubectl.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT_NAME } from '../sandbox/apiserver/auth/kubeconfig.js';
import { EmbeddedKV } from '../sandbox/store/memory-kv.js';
import { loadSingleContext } from '../app/kubeconfig.js';
import { startSandboxProcess, type SandboxProcess } from '../app/sandbox-process.js';
import { WatchService, type WatchBatch } from './watch-service.js';
import { resourceHandlers } from './resource-handlers.js';
import { stringifyWithJsonTexts } from './raw-json.js';
import type { KubeObject } from '../../shared/kube.js';

const KUBECTL = resolve(import.meta.dirname, '../../../.tools/bin/kubectl');
let dir: string;
let sandbox: SandboxProcess;
let service: WatchService;

const kubectl = (...args: string[]) => promisify(execFile)(KUBECTL, ['--kubeconfig', sandbox.kubeconfigPath, ...args]);

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-watch-'));
  sandbox = await startSandboxProcess({ dataDir: dir });
  const config = loadSingleContext(sandbox.kubeconfigPath, DEFAULT_CONTEXT_NAME);
  service = new WatchService((id) => (id === 'sandbox' ? config : undefined), { batchMs: 100, lingerMs: 0 });
}, 120_000);

afterAll(async () => {
  service?.dispose();
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('WatchService', () => {
  it('lists, then streams changes in batches no more often than every 100 ms, through one shared watch', async () => {
    const a: { at: number; batch: WatchBatch }[] = [];
    const b: WatchBatch[] = [];
    const subA = service.subscribe('sandbox', 'namespaces', (batch) => a.push({ at: Date.now(), batch }));
    const subB = service.subscribe('sandbox', 'namespaces', (batch) => b.push(batch));
    expect(service.activeWatches).toBe(1);
    const first = await until('the first list', () => a.find((x) => x.batch.reset)?.batch.reset);
    expect(first.map((n) => n.metadata.name)).toContain('default');

    await kubectl('create', 'namespace', 'team-a');
    await kubectl('create', 'namespace', 'team-b');
    await kubectl('label', 'namespace', 'team-a', 'x=y');
    const seen = () => new Set(a.flatMap((x) => x.batch.upserts.map((o) => o.metadata.name)));
    await until('both namespaces', () => seen().has('team-a') && seen().has('team-b'));
    await until('the label', () => a.some((x) => x.batch.upserts.some((o) => o.metadata.labels?.x === 'y')));
    await until('subscriber b too', () => b.some((x) => x.upserts.some((o) => o.metadata.name === 'team-b')));
    for (let i = 1; i < a.length; i++) expect(a[i].at - a[i - 1].at).toBeGreaterThanOrEqual(95);

    // A late subscriber gets the informer's cache at once, without a new list.
    const late: WatchBatch[] = [];
    const subC = service.subscribe('sandbox', 'namespaces', (batch) => late.push(batch));
    const cached = await until('cache for the late subscriber', () => late[0]?.reset, 1000);
    expect(cached.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['team-a', 'team-b', 'default']));

    subA.dispose();
    subB.dispose();
    expect(service.activeWatches).toBe(1);
    subC.dispose();
    expect(service.activeWatches).toBe(0);
  });

  it('reports deletions by uid', async () => {
    const batches: WatchBatch[] = [];
    const sub = service.subscribe('sandbox', 'pods', (batch) => batches.push(batch));
    await until('the first list', () => batches.some((x) => x.reset));
    await kubectl('run', 'web', '--image=nginx', '--restart=Never');
    const uid = await until('the new pod', () => batches.flatMap((x) => x.upserts).find((p) => p.metadata.name === 'web')?.metadata.uid);
    await kubectl('delete', 'pod', 'web', '--grace-period=0', '--force', '--wait=false');
    await until('its deletion', () => batches.some((x) => x.deletes.includes(uid)));
    sub.dispose();
  });

  it('survives a sandbox restart: reports the outage, re-watches with back-off, relists on 410 Gone', async () => {
    const fast = new WatchService((id) => (id === 'sandbox' ? loadSingleContext(sandbox.kubeconfigPath, DEFAULT_CONTEXT_NAME) : undefined), { batchMs: 50, minBackoffMs: 100, maxBackoffMs: 400, lingerMs: 0 });
    const batches: WatchBatch[] = [];
    const sub = fast.subscribe('sandbox', 'namespaces', (batch) => batches.push(batch));
    await until('the first list', () => batches.some((x) => x.reset));
    await kubectl('create', 'namespace', 'before-restart');
    await until('the namespace', () => batches.some((x) => x.upserts.some((o) => o.metadata.name === 'before-restart')));

    const port = Number(new URL(sandbox.url).port);
    await sandbox.stop();
    await until('the outage to show', () => batches.some((x) => x.error), 15_000);
    // While it is down, history moves on and is compacted: the informer's resourceVersion is gone.
    const kv = await EmbeddedKV.open(join(dir, 'store'));
    for (let i = 0; i < 3; i++) await kv.put(`/kubedesk-test/filler-${i}`, new TextEncoder().encode('x'));
    const { revision } = await kv.range('/', { countOnly: true });
    await kv.compact(revision);
    await kv.close();
    sandbox = await startSandboxProcess({ dataDir: dir, port });

    await kubectl('create', 'namespace', 'after-restart');
    await until('the new namespace after the restart', () => batches.some((x) => [...x.upserts, ...(x.reset ?? [])].some((o) => o.metadata.name === 'after-restart')), 20_000);
    expect(fast.stats()[0]).toMatchObject({ clusterId: 'sandbox', kind: 'namespaces', relists: 1, error: undefined });
    const last = batches.findLast((x) => 'error' in x);
    expect(last?.error).toBeUndefined();
    sub.dispose();
    fast.dispose();
  }, 60_000);

  it('says when RBAC forbids listing a kind', async () => {
    await kubectl('create', 'serviceaccount', 'nobody');
    const token = (await kubectl('create', 'token', 'nobody')).stdout.trim();
    const path = join(dir, 'nobody.kubeconfig');
    await writeFile(path, stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: sandbox.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'nobody', user: { token } }],
      contexts: [{ name: 'nobody', context: { cluster: 'c', user: 'nobody' } }],
    }));
    const limited = new WatchService(() => loadSingleContext(path, 'nobody'), { batchMs: 20, lingerMs: 0 });
    const batches: WatchBatch[] = [];
    const sub = limited.subscribe('limited', 'pods', (batch) => batches.push(batch));
    const error = await until('the refusal', () => batches.find((x) => x.error)?.error);
    expect(error).toMatch(/^your account may not list or watch this kind: .*403.*forbidden/i);
    expect(error).toContain('system:serviceaccount:default:nobody');
    sub.dispose();
    // Asked beforehand, as the sidebar does: SelfSubjectAccessReviews say the same.
    const connection = undefined as unknown as Parameters<ReturnType<typeof resourceHandlers>['resources.access']>[1];
    const denied = await resourceHandlers(limited.discovery, () => loadSingleContext(path, 'nobody'))['resources.access']({ clusterId: 'limited', types: ['pods', 'deployments.apps'] }, connection);
    expect(denied.pods).toMatchObject({ allowed: false });
    expect(denied['deployments.apps']).toMatchObject({ allowed: false });
    const admin = await resourceHandlers(service.discovery, () => loadSingleContext(sandbox.kubeconfigPath, DEFAULT_CONTEXT_NAME))['resources.access']({ clusterId: 'sandbox', types: ['pods'] }, connection);
    expect(admin.pods).toEqual({ allowed: true, scope: 'cluster' });
    limited.dispose();
  });

  it('watches any type from discovery: the objects of a CRD, with its printer columns discovered', async () => {
    const crd = join(dir, 'crd.yaml');
    await writeFile(crd, stringify({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{
          name: 'v1', served: true, storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
          additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
        }],
      },
    }));
    await kubectl('apply', '-f', crd);
    await kubectl('wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s');
    // Unknown to the cached discovery: resolving asks the cluster again.
    const type = await service.discovery.resolve('sandbox', 'widgets.example.com');
    expect(type).toMatchObject({ id: 'widgets.example.com', kind: 'Widget', namespaced: true, crd: { printerColumns: [{ name: 'Size', jsonPath: '.spec.size' }] } });
    const batches: WatchBatch[] = [];
    const sub = service.subscribe('sandbox', 'widgets.example.com', (batch) => batches.push(batch));
    await until('the first list', () => batches.some((x) => x.reset));
    const widget = join(dir, 'widget.yaml');
    await writeFile(widget, stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 3 } }));
    await kubectl('apply', '-f', widget);
    const seen = await until('the widget', () => batches.flatMap((x) => x.upserts).find((o) => o.metadata.name === 'w1'));
    expect(seen.spec).toEqual({ size: 3 });
    // The informer keeps what tables show, not the server's field ownership.
    expect(seen.metadata.managedFields).toBeUndefined();
    sub.dispose();
  });

  it('sends the first list in pages, flagged as still listing until the last one', async () => {
    await kubectl('create', 'namespace', 'paged');
    for (let i = 0; i < 7; i++) await kubectl('create', 'configmap', `cm-${i}`, '-n', 'paged');
    // Pages are what a server without streaming lists gets.
    const paged = new WatchService((id) => (id === 'sandbox' ? loadSingleContext(sandbox.kubeconfigPath, DEFAULT_CONTEXT_NAME) : undefined), { batchMs: 10, firstPage: 2, page: 3, lingerMs: 0, watchList: false });
    const batches: WatchBatch[] = [];
    const sub = paged.subscribe('sandbox', 'configmaps', (batch) => batches.push(batch));
    await until('the end of the listing', () => batches.length > 0 && !batches[batches.length - 1].listing);
    const names = new Set(batches.flatMap((x) => [...(x.reset ?? []), ...x.upserts]).map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    for (let i = 0; i < 7; i++) expect(names).toContain(`paged/cm-${i}`);
    expect(paged.stats()[0].listedBy).toBe('pages');
    expect(batches[0].reset?.length).toBeGreaterThanOrEqual(2);
    sub.dispose();
    paged.dispose();
  });

  it('streams the first list (a watch with initial events), flagged as still listing until its end, then keeps watching on it', async () => {
    await kubectl('create', 'namespace', 'streamed');
    for (let i = 0; i < 40; i++) await kubectl('create', 'configmap', `cm-${i}`, '-n', 'streamed');
    const streamed = new WatchService((id) => (id === 'sandbox' ? loadSingleContext(sandbox.kubeconfigPath, DEFAULT_CONTEXT_NAME) : undefined), { batchMs: 10, lingerMs: 0, firstPage: 2, page: 3 });
    const batches: WatchBatch[] = [];
    const sub = streamed.subscribe('sandbox', 'configmaps', (batch) => batches.push(batch));
    await until('the end of the listing', () => batches.length > 0 && !batches[batches.length - 1].listing);
    const names = () => new Set(batches.flatMap((x) => [...(x.reset ?? []), ...x.upserts]).map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    for (let i = 0; i < 40; i++) expect(names()).toContain(`streamed/cm-${i}`);
    expect(batches[0].reset).toBeDefined();
    expect(batches.slice(1).every((x) => !x.reset)).toBe(true);
    expect(batches.flatMap((x) => [...(x.reset ?? []), ...x.upserts]).every((o) => o.metadata.managedFields === undefined)).toBe(true);
    // Listed in one stream, not in pages of 2 then 3.
    expect(streamed.stats()[0].listedBy).toBe('stream');
    const after = batches.length;
    await kubectl('create', 'configmap', 'late', '-n', 'streamed');
    await until('a change after the list', () => batches.slice(after).some((x) => x.upserts.some((o) => o.metadata.name === 'late')));
    expect(streamed.stats()[0]).toMatchObject({ kind: 'configmaps', relists: 0, error: undefined });
    sub.dispose();
    streamed.dispose();
  });

  it('with jsonTextOnly, batches sent as web mode sends them carry the same objects, none parsed in the backend', async () => {
    await kubectl('create', 'namespace', 'as-text');
    for (let i = 0; i < 5; i++) await kubectl('create', 'configmap', `cm-${i}`, '-n', 'as-text', `--from-literal=k=v${i}`);
    const configFor = (id: string) => (id === 'sandbox' ? loadSingleContext(sandbox.kubeconfigPath, DEFAULT_CONTEXT_NAME) : undefined);
    const textOnly = new WatchService(configFor, { batchMs: 10, lingerMs: 0, jsonTextOnly: true });
    const sent: WatchBatch[] = [];
    const sub = textOnly.subscribe('sandbox', 'configmaps', (batch) => {
      // Nothing but the recorded texts: the objects themselves are empty.
      for (const o of [...(batch.reset ?? []), ...batch.upserts]) expect(Object.keys(o)).toEqual([]);
      sent.push(JSON.parse(stringifyWithJsonTexts(batch)) as WatchBatch);
    });
    await until('the end of the listing', () => sent.length > 0 && !sent[sent.length - 1].listing);
    await kubectl('create', 'configmap', 'cm-late', '-n', 'as-text', '--from-literal=k=late');
    const late = await until('a change after the list', () => sent.flatMap((x) => x.upserts).find((o) => o.metadata.name === 'cm-late'));
    expect(late.data).toEqual({ k: 'late' });
    const got = new Map(sent.flatMap((x) => [...(x.reset ?? []), ...x.upserts]).map((o) => [o.metadata.uid, o]));
    const reference = JSON.parse((await kubectl('get', 'configmaps', '-n', 'as-text', '-o', 'json')).stdout) as { items: KubeObject[] };
    for (const item of reference.items) {
      delete item.metadata.managedFields;
      expect(got.get(item.metadata.uid)).toEqual(item);
    }
    sub.dispose();
    textOnly.dispose();
  });

  it('keeps an unused informer for a while, then stops it', async () => {
    const lingering = new WatchService((id) => (id === 'sandbox' ? loadSingleContext(sandbox.kubeconfigPath, DEFAULT_CONTEXT_NAME) : undefined), { batchMs: 10, lingerMs: 300 });
    const first: WatchBatch[] = [];
    lingering.subscribe('sandbox', 'namespaces', (b) => first.push(b)).dispose();
    expect(lingering.activeWatches).toBe(1);
    // Back within the linger: the same informer, no second watch.
    const again = lingering.subscribe('sandbox', 'namespaces', () => undefined);
    expect(lingering.activeWatches).toBe(1);
    again.dispose();
    await until('the informer to stop', () => lingering.activeWatches === 0, 5000);
    lingering.dispose();
  });

  it('deletes many objects with a propagation policy and says which ones failed and why', async () => {
    await kubectl('create', 'namespace', 'bulk-delete');
    await kubectl('create', 'configmap', 'a', '-n', 'bulk-delete');
    await kubectl('create', 'configmap', 'b', '-n', 'bulk-delete');
    const config = loadSingleContext(sandbox.kubeconfigPath, DEFAULT_CONTEXT_NAME);
    const handlers = resourceHandlers(service.discovery, () => config);
    const connection = undefined as unknown as Parameters<typeof handlers['resources.deleteMany']>[1];
    const { outcomes } = await handlers['resources.deleteMany']({
      clusterId: 'sandbox',
      propagationPolicy: 'Foreground',
      objects: [{ type: 'configmaps', namespace: 'bulk-delete', name: 'a' }, { type: 'configmaps', namespace: 'bulk-delete', name: 'missing' }, { type: 'configmaps', namespace: 'bulk-delete', name: 'b' }],
    }, connection);
    expect(outcomes.map((o) => [o.name, o.ok])).toEqual([['a', true], ['missing', false], ['b', true]]);
    expect(outcomes[1].error).toMatch(/not found/);
    // Foreground: the garbage collector removes them once their dependents are gone (none here).
    const deadline = Date.now() + 15_000;
    while (/configmap\/(a|b)\n/.test((await kubectl('get', 'configmaps', '-n', 'bulk-delete', '-o', 'name')).stdout)) {
      if (Date.now() > deadline) throw new Error('the deleted configmaps are still there after 15 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    await expect(Promise.resolve(handlers['resources.deleteMany']({ clusterId: 'sandbox', propagationPolicy: 'Sideways', objects: [] }, connection))).rejects.toThrow(/propagationPolicy/);
  });

  it('restarts the watches of a cluster for their subscribers when its configuration is replaced', async () => {
    const batches: WatchBatch[] = [];
    const sub = service.subscribe('sandbox', 'namespaces', (batch) => batches.push(batch));
    await until('the first list', () => batches.some((x) => x.reset));
    service.dropCluster('sandbox');
    await until('a fresh list after the restart', () => batches.filter((x) => x.reset).length >= 2);
    await kubectl('create', 'namespace', 'after-drop');
    await until('changes after the restart', () => batches.some((x) => x.upserts.some((o) => o.metadata.name === 'after-drop')));
    expect(service.activeWatches).toBe(1);
    sub.dispose();
  });

  it('refuses an unknown cluster with a reason', () => {
    expect(() => service.subscribe('nope', 'pods', () => undefined)).toThrow(/unknown or not yet started cluster "nope"/);
  });
});
