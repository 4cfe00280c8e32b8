// The strategies and ObjectMeta validation driven by the real GenericStore over the embedded KV, so
// hook order (defaults, uid, prepare, validation) is the one production uses.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { FakeClock } from '../../../clock/clock.js';
import { ApiError } from '../../apiserver/errors.js';
import { EmbeddedKV } from '../../store/memory-kv.js';
import { KvObjectStorage } from '../../store/object-storage.js';
import { builtinResources, customResourceDef } from '../catalog.js';
import { objectMetaValidation } from '../object-meta.js';
import { GenericStore, type RequestContext } from '../store/generic-store.js';
import type { ResourceDef } from '../types.js';

let dir: string;
let kv: EmbeddedKV;
let storage: KvObjectStorage;
const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinds-store-'));
  kv = await EmbeddedKV.open(dir, { fsync: false });
  storage = new KvObjectStorage(kv);
});

afterEach(async () => {
  await kv.close();
  await rm(dir, { recursive: true, force: true });
});

function storeFor(def: ResourceDef): GenericStore {
  return new GenericStore(def, {
    storage,
    clock,
    admission: { admit: async () => undefined, validate: async () => undefined },
    meta: objectMetaValidation,
    fields: { update: () => undefined },
  });
}

function builtin(group: string, plural: string): GenericStore {
  const def = builtinResources().find((d) => d.group === group && d.plural === plural);
  if (!def) throw new Error(`missing ${group}/${plural}`);
  return storeFor(def);
}

const ctx: RequestContext = {
  user: { username: 'kubernetes-admin', groups: ['system:masters'] },
  namespace: 'default',
  dryRun: false,
  fieldManager: 'kubectl-client-side-apply',
  apiVersion: 'apps/v1',
};

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the store to reject the write');
}

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx' },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
  },
};

describe('strategies through GenericStore', () => {
  it('creates a defaulted deployment, bumps generation on spec changes and keeps status', async () => {
    const deployments = builtin('apps', 'deployments');
    const created = await deployments.create(ctx, deployment);
    expect(created.metadata).toMatchObject({ name: 'nginx', namespace: 'default', generation: 1, creationTimestamp: '2026-01-01T12:00:00Z' });
    expect((created.spec as Record<string, unknown>).replicas).toBe(1);
    expect(created.status).toEqual({});

    await deployments.update(ctx, 'nginx', (cur) => ({ ...cur!, status: { replicas: 1, observedGeneration: 1 } }), { subresource: 'status' });
    const { object: scaled } = await deployments.update(ctx, 'nginx', (cur) => {
      const next = structuredClone(cur!);
      (next.spec as Record<string, unknown>).replicas = 3;
      next.status = {};
      return next;
    });
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.status).toEqual({ replicas: 1, observedGeneration: 1 });

    const err = await rejection(
      deployments.update(ctx, 'nginx', (cur) => {
        const next = structuredClone(cur!);
        (next.spec as Record<string, unknown>).selector = { matchLabels: { app: 'web' } };
        return next;
      }),
    );
    expect(err.code).toBe(422);
    expect(err.status.details?.causes?.map((c) => c.field)).toEqual(['spec.template.metadata.labels', 'spec.selector']);
  });

  it('names generateName pods and rejects invalid ones with a 422', async () => {
    const pods = builtin('', 'pods');
    const pod = await pods.create({ ...ctx, apiVersion: 'v1' }, { metadata: { generateName: 'web-' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
    expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    const err = await rejection(pods.create({ ...ctx, apiVersion: 'v1' }, { metadata: { name: 'Bad_Name' }, spec: { containers: [{ name: 'web' }] } }));
    expect(err.status.message).toMatch(/^Pod "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain .*, spec\.containers\[0\]\.image: Required value\]$/);
  });

  it('generates a job selector from the uid the store assigned', async () => {
    const jobs = builtin('batch', 'jobs');
    const job = await jobs.create({ ...ctx, apiVersion: 'batch/v1' }, {
      metadata: { name: 'pi' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34.0' }] } } },
    });
    expect((job.spec as { selector: unknown }).selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid } });
  });

  it('serves custom resources of an established CRD', async () => {
    const crds = builtin('apiextensions.k8s.io', 'customresourcedefinitions');
    const crd = await crds.create({ ...ctx, namespace: '', apiVersion: 'apiextensions.k8s.io/v1' }, {
      metadata: { name: 'crontabs.stable.example.com' },
      spec: {
        group: 'stable.example.com',
        scope: 'Namespaced',
        names: { plural: 'crontabs', kind: 'CronTab' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } }, subresources: { status: {} } }],
      },
    });
    expect((crd.status as { conditions: { type: string }[] }).conditions.map((c) => c.type)).toEqual(['NamesAccepted', 'Established']);
    const crontabs = storeFor(customResourceDef(crd));
    const ct = await crontabs.create({ ...ctx, apiVersion: 'stable.example.com/v1' }, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c1' }, spec: { cronSpec: '* * * * */5' }, status: { x: 1 } });
    expect(ct.status).toBeUndefined();
    expect(ct.metadata.generation).toBe(1);
    expect(crontabs.keyFor('default', 'c1')).toBe('/registry/stable.example.com/crontabs/default/c1');
  });
});
