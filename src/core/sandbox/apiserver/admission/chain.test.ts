import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../errors.js';
import { AdmissionChain, defaultAdmissionPlugins } from './chain.js';
import { TestApiClient } from './test-client.js';
import { attrs, pod, rejection } from './test-fixtures.js';
import type { AdmissionPlugin } from './types.js';

function cluster(): TestApiClient {
  return new TestApiClient()
    .seed({ group: '', resource: 'namespaces' }, { metadata: { name: 'default' }, status: { phase: 'Active' } })
    .seed({ group: '', resource: 'serviceaccounts' }, { metadata: { name: 'default', namespace: 'default' } })
    .seed({ group: '', resource: 'limitranges' }, {
      metadata: { name: 'defaults', namespace: 'default' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
    });
}

describe('defaultAdmissionPlugins', () => {
  it("runs in kube-apiserver's order", () => {
    expect(defaultAdmissionPlugins().map((p) => p.name)).toEqual([
      'NamespaceLifecycle',
      'LimitRanger',
      'ServiceAccount',
      'PodSecurity',
      'Priority',
      'DefaultTolerationSeconds',
      'DefaultStorageClass',
      'PersistentVolumeClaimResize',
      'RuntimeClass',
      'CertificateSubjectRestriction',
      'DefaultIngressClass',
      'ResourceQuota',
    ]);
    const all = defaultAdmissionPlugins({ protection: true }).map((p) => p.name);
    expect(all.indexOf('TaintNodesByCondition')).toBe(all.indexOf('ServiceAccount') + 1);
    expect(all.indexOf('StorageObjectInUseProtection')).toBe(all.indexOf('DefaultStorageClass') + 1);
    expect(defaultAdmissionPlugins({ disabled: ['ResourceQuota'] }).map((p) => p.name)).not.toContain('ResourceQuota');
  });
});

describe('AdmissionChain', () => {
  it('turns a plain pod into what kube-apiserver stores', async () => {
    const chain = new AdmissionChain(defaultAdmissionPlugins({ serviceAccount: { generateSuffix: () => 'q7x2k' } }));
    const obj = pod('web');
    const a = attrs('CREATE', 'pods', { object: obj });
    const c = cluster();
    await chain.admit(a, c);
    await chain.validate(a, c);
    expect(obj.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx',
    );
    expect(obj.spec).toMatchObject({
      serviceAccountName: 'default',
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      volumes: [{ name: 'kube-api-access-q7x2k' }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready' }, { key: 'node.kubernetes.io/unreachable' }],
    });
  });

  it('quota sees the defaults LimitRanger filled in', async () => {
    const chain = new AdmissionChain(defaultAdmissionPlugins());
    const c = cluster().seed({ group: '', resource: 'resourcequotas' }, { metadata: { name: 'cpu', namespace: 'default' }, spec: { hard: { 'requests.cpu': '50m' } } });
    const a = attrs('CREATE', 'pods', { object: pod('x') });
    await chain.admit(a, c);
    const err = await rejection(chain.validate(a, c));
    expect(err.status.message).toBe('pods "x" is forbidden: exceeded quota: cpu, requested: requests.cpu=100m, used: requests.cpu=0, limited: requests.cpu=50m');
  });

  it('stops at the first rejection: a missing namespace wins over a missing account', async () => {
    const chain = new AdmissionChain(defaultAdmissionPlugins());
    const err = await rejection(chain.admit(attrs('CREATE', 'pods', { namespace: 'nope', object: pod('x', {}, 'nope') }), cluster()));
    expect(err.status.message).toBe('namespaces "nope" not found');
  });

  it('reports an unexpected plugin failure as a 500 naming the plugin', async () => {
    const broken: AdmissionPlugin = {
      name: 'Broken',
      async admit() {
        throw new TypeError('boom');
      },
    };
    const err = await rejection(new AdmissionChain([broken]).admit(attrs('CREATE', 'pods', { object: pod('x') }), cluster()));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toMatchObject({ code: 500, reason: 'InternalError', message: 'Internal error occurred: admission plugin Broken failed: boom' });
  });

  it('runs validate after admit, in order, and skips plugins without the phase', async () => {
    const seen: string[] = [];
    const plugin = (name: string, phases: ('admit' | 'validate')[]): AdmissionPlugin => {
      const p: AdmissionPlugin & Record<string, unknown> = { name };
      for (const phase of phases) p[phase] = async (attributes: { object?: KubeObject }) => void seen.push(`${name}.${phase}:${attributes.object?.metadata.name}`);
      return p;
    };
    const chain = new AdmissionChain([plugin('A', ['admit', 'validate']), plugin('B', ['validate']), plugin('C', ['admit'])]);
    const a = attrs('CREATE', 'configmaps', { object: { metadata: { name: 'cm' } } });
    await chain.admit(a, cluster());
    await chain.validate(a, cluster());
    expect(seen).toEqual(['A.admit:cm', 'C.admit:cm', 'A.validate:cm', 'B.validate:cm']);
  });
});
