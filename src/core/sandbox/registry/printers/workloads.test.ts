// Golden rows for workload, networking and policy printers.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { printers } from './index.js';

const now = new Date('2026-03-01T10:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: '2026-03-01T09:00:00Z', ...extra });
const template = { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox:1.36' }] } };

function cells(key: string, obj: Record<string, unknown>): unknown[] {
  return printers[key].cells(obj as KubeObject, now);
}

describe('apps printers', () => {
  it('prints deployments', () => {
    const d = { metadata: meta('web'), spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(cells('apps/deployments', d)).toEqual(['web', '2/3', 3, 2, '60m', 'nginx,sidecar', 'nginx:1.27,busybox:1.36', 'app=web']);
    expect(cells('apps/deployments', { metadata: meta('new'), spec: { replicas: 1, template } }).slice(1, 4)).toEqual(['0/1', 0, 0]);
  });

  it('prints replicasets, statefulsets and daemonsets', () => {
    const rs = { metadata: meta('web-5d4f'), spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f' } }, template }, status: { replicas: 3, readyReplicas: 1 } };
    expect(cells('apps/replicasets', rs)).toEqual(['web-5d4f', 3, 3, 1, '60m', 'nginx,sidecar', 'nginx:1.27,busybox:1.36', 'app=web,pod-template-hash=5d4f']);
    const ss = { metadata: meta('db'), spec: { replicas: 3, template }, status: { readyReplicas: 1 } };
    expect(cells('apps/statefulsets', ss)).toEqual(['db', '1/3', '60m', 'nginx,sidecar', 'nginx:1.27,busybox:1.36']);
    const ds = {
      metadata: meta('kube-proxy'),
      spec: { selector: { matchLabels: { k8s: 'proxy' } }, template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    };
    expect(cells('apps/daemonsets', ds)).toEqual(['kube-proxy', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '60m', 'nginx,sidecar', 'nginx:1.27,busybox:1.36', 'k8s=proxy']);
  });

  it('prints controller revisions with their owner', () => {
    const cr = { metadata: meta('web-7f9', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] }), revision: 2 };
    expect(cells('apps/controllerrevisions', cr)).toEqual(['web-7f9', 'statefulset.apps/web', 2, '60m']);
    expect(cells('apps/controllerrevisions', { metadata: meta('orphan'), revision: 1 })[1]).toBe('<none>');
  });
});

describe('batch printers', () => {
  it('prints jobs in each state', () => {
    const base = { metadata: meta('pi'), spec: { completions: 1, parallelism: 1, template, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } } } };
    const done = { ...base, status: { succeeded: 1, startTime: '2026-03-01T09:00:00Z', completionTime: '2026-03-01T09:00:12Z', conditions: [{ type: 'Complete', status: 'True' }] } };
    expect(cells('batch/jobs', done)).toEqual(['pi', 'Complete', '1/1', '12s', '60m', 'nginx,sidecar', 'nginx:1.27,busybox:1.36', 'batch.kubernetes.io/controller-uid=abc']);
    const running = { ...base, status: { startTime: '2026-03-01T09:58:30Z', active: 1 } };
    expect(cells('batch/jobs', running).slice(1, 4)).toEqual(['Running', '0/1', '90s']);
    const failed = { ...base, status: { failed: 6, startTime: '2026-03-01T09:00:00Z', conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] } };
    expect(cells('batch/jobs', failed)[1]).toBe('Failed');
    const parallel = { metadata: meta('work'), spec: { parallelism: 3, template }, status: { succeeded: 1 } };
    expect(cells('batch/jobs', parallel).slice(1, 4)).toEqual(['Running', '1/1 of 3', '']);
    expect(cells('batch/jobs', { ...base, status: { conditions: [{ type: 'Suspended', status: 'True' }] } })[1]).toBe('Suspended');
  });

  it('prints cronjobs', () => {
    const cj = {
      metadata: meta('hello'),
      spec: { schedule: '*/1 * * * *', suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ name: 'hello-1' }], lastScheduleTime: '2026-03-01T09:59:00Z' },
    };
    expect(cells('batch/cronjobs', cj)).toEqual(['hello', '*/1 * * * *', '<none>', 'False', 1, '60s', '60m', 'nginx,sidecar', 'nginx:1.27,busybox:1.36', '<none>']);
    const tz = { metadata: meta('tz'), spec: { schedule: '0 0 * * *', timeZone: 'Etc/UTC', jobTemplate: { spec: { template } } } };
    expect(cells('batch/cronjobs', tz).slice(1, 6)).toEqual(['0 0 * * *', 'Etc/UTC', '<unset>', 0, '<none>']);
  });
});

describe('networking, autoscaling, rbac and policy printers', () => {
  it('prints ingresses and ingress classes', () => {
    const ing = {
      metadata: meta('web'),
      spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'c.example.com' }, { host: 'd.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
      status: { loadBalancer: { ingress: [{ ip: '172.18.0.3' }, { hostname: 'lb.example.com' }] } },
    };
    expect(cells('networking.k8s.io/ingresses', ing)).toEqual(['web', 'nginx', 'a.example.com,b.example.com,c.example.com + 2 more...', '172.18.0.3,lb.example.com', '80, 443', '60m']);
    expect(cells('networking.k8s.io/ingresses', { metadata: meta('bare'), spec: {} })).toEqual(['bare', '<none>', '*', '', '80', '60m']);
    const ic = { metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } };
    expect(cells('networking.k8s.io/ingressclasses', ic)).toEqual(['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', '60m']);
  });

  it('prints endpoint slices and network policies', () => {
    const es = { metadata: meta('web-abc'), addressType: 'IPv4', ports: [{ name: 'http', port: 80 }, { name: 'named' }], endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }] };
    expect(cells('discovery.k8s.io/endpointslices', es)).toEqual(['web-abc', 'IPv4', '80,named', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '60m']);
    expect(cells('discovery.k8s.io/endpointslices', { metadata: meta('e'), addressType: 'IPv4' }).slice(2, 4)).toEqual(['<unset>', '<unset>']);
    expect(cells('networking.k8s.io/networkpolicies', { metadata: meta('deny'), spec: { podSelector: {} } })).toEqual(['deny', '<none>', '60m']);
  });

  it('prints HPAs', () => {
    const hpa = {
      metadata: meta('web'),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
        ],
      },
      status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '45m' } } }] },
    };
    expect(cells('autoscaling/horizontalpodautoscalers', hpa)).toEqual(['web', 'Deployment/web', 'cpu: 45%/80%, memory: <unknown>/100Mi + 1 more...', '1', 10, 2, '60m']);
    const v1 = { apiVersion: 'autoscaling/v1', metadata: meta('old'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 70 }, status: { currentReplicas: 2, currentCPUUtilizationPercentage: 12 } };
    expect(cells('autoscaling/horizontalpodautoscalers', v1).slice(1, 6)).toEqual(['Deployment/web', 'cpu: 12%/70%', '2', 5, 2]);
    const empty = { metadata: meta('e'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 3 } };
    expect(cells('autoscaling/horizontalpodautoscalers', empty).slice(2, 6)).toEqual(['<none>', '<unset>', 3, 0]);
  });

  it('prints bindings, PDBs, priority classes and leases', () => {
    const rb = {
      metadata: meta('read'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'jane' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }, { kind: 'User', name: 'bob' }],
    };
    expect(cells('rbac.authorization.k8s.io/rolebindings', rb)).toEqual(['read', 'ClusterRole/view', '60m', 'jane, bob', 'devs', 'tools/ci']);
    expect(cells('policy/poddisruptionbudgets', { metadata: meta('pdb'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } })).toEqual(['pdb', '50%', 'N/A', 1, '60m']);
    expect(cells('scheduling.k8s.io/priorityclasses', { metadata: meta('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' })).toEqual([
      'system-node-critical', 2000001000, false, '60m', 'PreemptLowerPriority',
    ]);
    expect(cells('coordination.k8s.io/leases', { metadata: meta('kube-scheduler'), spec: { holderIdentity: 'cp-1_abc' } })).toEqual(['kube-scheduler', 'cp-1_abc', '60m']);
  });
});

describe('subresource printers', () => {
  it('prints the scale subresource', async () => {
    const { subresourcePrinters } = await import('./index.js');
    const scale = { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: meta('web'), spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=web' } };
    expect(subresourcePrinters.scale.cells(scale as KubeObject, now)).toEqual(['web', 3, 2, '60m']);
    expect(subresourcePrinters.scale.columns.map((c) => [c.name, c.format])).toEqual([['Name', ''], ['Desired', ''], ['Available', ''], ['Age', '']]);
  });
});
