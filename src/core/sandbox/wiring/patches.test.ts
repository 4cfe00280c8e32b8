import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/kube.js';
import { updateManagedFields } from '../apiserver/patch/index.js';
import { builtinResources } from '../registry/catalog.js';
import { ResourceRegistry } from '../registry/resource-registry.js';
import { rfc3339 } from '../registry/store/object-util.js';
import { cloneJson } from '../store/json-clone.js';
import { PatchSchemas, fieldManagementWith } from './patches.js';

const registry = new ResourceRegistry(builtinResources());
const defOf = (obj: KubeObject) => registry.byKind(obj.apiVersion?.includes('/') ? obj.apiVersion.split('/')[0] : '', obj.kind ?? '');

function event(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'ns' },
    involvedObject: { kind: 'Pod', name: `p-${name}`, namespace: 'ns', uid: `u-${name}`, apiVersion: 'v1' },
    reason: 'Scheduled',
    message: `Successfully assigned ns/p-${name} to node-1`,
    source: { component: 'default-scheduler' },
    count: 1,
    type: 'Normal',
    ...extra,
  };
}

function pod(name: string, containers: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', labels: { app: 'web', 'pod-template-hash': name.slice(-5) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true }] },
    spec: { containers, restartPolicy: 'Always', terminationGracePeriodSeconds: 30, ...extra },
    status: { phase: 'Pending' },
  };
}

function deployment(templateCreated: string | null): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { creationTimestamp: templateCreated, labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  };
}

describe('create managedFields', () => {
  it('are what updateManagedFields computes, whether the shape was seen before (once, or twice: then remembered) or not', () => {
    const schemas = new PatchSchemas({ customSchema: () => undefined });
    const fields = fieldManagementWith(schemas, defOf);
    const now = new Date(Date.UTC(2026, 0, 1, 12));
    const c1 = [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }];
    const c2 = [{ name: 'app', image: 'nginx' }, { name: 'side', image: 'busybox', env: [{ name: 'A', value: '' }] }];
    const objects = [
      event('a'),
      event('b'),
      event('c', { count: 0, message: '' }),
      event('d', { series: undefined, related: null }),
      event('e', { managedFields: undefined }),
      pod('web-aaaaa', c1),
      pod('web-bbbbb', c1),
      pod('web-ccccc', c2),
      pod('web-ddddd', c1, { hostNetwork: false, priority: 0 }),
      pod('web-eeeee', c1, { nodeName: 'node-1' }),
      // Same shape, other list keys: the items' keys are owned by value.
      pod('web-fffff', [{ name: 'other', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }]),
      // A template's creationTimestamp: null is its zero value (not owned), a time is not.
      deployment(null),
      deployment('2026-01-01T00:00:00Z'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty', namespace: 'ns' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'data', namespace: 'ns' }, data: { k: 'v' } },
    ] as KubeObject[];
    for (let round = 0; round < 3; round++) {
      for (const obj of objects) {
        const viaCache = cloneJson(obj);
        fields.update(undefined, viaCache, 'kube-controller-manager', 'v1', now, '');
        const direct = cloneJson(obj);
        updateManagedFields(undefined, direct, { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', now: rfc3339(now), schema: schemas.for(defOf(obj)!) });
        expect(viaCache, `${obj.kind} ${obj.metadata.name} round ${round}`).toEqual(direct);
        expect(JSON.stringify(viaCache)).toBe(JSON.stringify(direct));
      }
    }
  });
});
