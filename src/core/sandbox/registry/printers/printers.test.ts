// Golden rows for the non-pod printers: the cells kube-apiserver computes for these objects.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { printerFor, printers } from './index.js';

const now = new Date('2026-03-01T10:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: '2026-02-28T10:00:00Z', ...extra });

function cells(key: string, obj: Record<string, unknown>): unknown[] {
  return printers[key].cells(obj as KubeObject, now);
}

function headers(key: string, wide = false): string[] {
  return printers[key].columns.filter((c) => wide || c.priority === 0).map((c) => c.name.toUpperCase());
}

describe('column sets', () => {
  it('match kubectl get headers', () => {
    expect(headers('nodes', true)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    expect(headers('services', true)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(headers('apps/deployments', true)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(headers('batch/jobs')).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(headers('batch/cronjobs')).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(headers('events')).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(headers('autoscaling/horizontalpodautoscalers')).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(headers('networking.k8s.io/ingresses')).toEqual(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    expect(headers('persistentvolumeclaims')).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(headers('serviceaccounts')).toEqual(['NAME', 'SECRETS', 'AGE']);
    expect(headers('resourcequotas')).toEqual(['NAME', 'AGE', 'REQUEST', 'LIMIT']);
    expect(headers('rbac.authorization.k8s.io/roles')).toEqual(['NAME', 'CREATED AT']);
    expect(printerFor('example.com', 'widgets').columns.map((c) => c.name)).toEqual(['Name', 'Created At']);
  });
});

describe('core printers', () => {
  it('prints nodes with status, sorted roles and wide info', () => {
    const node = {
      metadata: { name: 'cp-1', creationTimestamp: '2026-02-20T10:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/etcd': '', 'kubernetes.io/role': 'master' } },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'cp-1' }],
        nodeInfo: { kubeletVersion: 'v1.32.3', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.24' },
      },
    };
    expect(cells('nodes', node)).toEqual([
      'cp-1', 'Ready,SchedulingDisabled', 'control-plane,etcd,master', '9d', 'v1.32.3', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.24',
    ]);
    const bare = { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } };
    expect(cells('nodes', bare)).toEqual(['n', 'NotReady', '<none>', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });

  it('prints services of each type', () => {
    const np = { metadata: meta('web'), spec: { type: 'NodePort', clusterIP: '10.96.12.7', clusterIPs: ['10.96.12.7'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 443, nodePort: 30443, protocol: 'TCP' }], selector: { app: 'web', tier: 'fe' } } };
    expect(cells('services', np)).toEqual(['web', 'NodePort', '10.96.12.7', '<none>', '80:30080/TCP,443:30443/TCP', '24h', 'app=web,tier=fe']);
    const lb = { metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.9'], ports: [{ port: 80, protocol: 'TCP', nodePort: 31000 }] } };
    expect(cells('services', lb).slice(3, 5)).toEqual(['<pending>', '80:31000/TCP']);
    expect(cells('services', { ...lb, status: { loadBalancer: { ingress: [{ ip: '192.168.1.240' }] } } })[3]).toBe('192.168.1.240');
    const headless = { metadata: meta('db'), spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] } };
    expect(cells('services', headless)).toEqual(['db', 'ClusterIP', 'None', '<none>', '<none>', '24h', '<none>']);
    const ext = { metadata: meta('ext'), spec: { type: 'ExternalName', externalName: 'example.com' } };
    expect(cells('services', ext).slice(2, 4)).toEqual(['<none>', 'example.com']);
  });

  it('prints endpoints, configmaps, secrets, namespaces and service accounts', () => {
    const ep = { metadata: meta('web'), subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }] };
    expect(cells('endpoints', ep)).toEqual(['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...', '24h']);
    expect(cells('endpoints', { metadata: meta('none') })[1]).toBe('<none>');
    expect(cells('configmaps', { metadata: meta('kube-root-ca.crt'), data: { 'ca.crt': 'x' }, binaryData: { b: 'AA==' } })).toEqual(['kube-root-ca.crt', 2, '24h']);
    expect(cells('secrets', { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } })).toEqual(['tls', 'kubernetes.io/tls', 2, '24h']);
    expect(cells('namespaces', { metadata: { name: 'default', creationTimestamp: '2026-03-01T09:00:00Z' }, status: { phase: 'Active' } })).toEqual(['default', 'Active', '60m']);
    expect(cells('serviceaccounts', { metadata: meta('default') })).toEqual(['default', 0, '24h']);
  });

  it('prints events, core and events.k8s.io alike', () => {
    const ev = {
      apiVersion: 'v1',
      metadata: meta('web-0.17f'),
      involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{app}' },
      reason: 'Pulled',
      message: 'Successfully pulled image "nginx"\n',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-a' },
      firstTimestamp: '2026-03-01T09:50:00Z',
      lastTimestamp: '2026-03-01T09:59:30Z',
      count: 3,
    };
    expect(cells('events', ev)).toEqual(['30s', 'Normal', 'Pulled', 'pod/web-0', 'spec.containers{app}', 'kubelet, node-a', 'Successfully pulled image "nginx"', '10m', 3, 'web-0.17f']);
    const newApi = {
      apiVersion: 'events.k8s.io/v1',
      metadata: meta('x'),
      regarding: { kind: 'Node', name: 'node-a' },
      note: 'Starting kubelet.',
      reason: 'Starting',
      type: 'Normal',
      eventTime: '2026-03-01T09:59:00.123456Z',
      reportingController: 'kubelet',
      reportingInstance: 'node-a',
    };
    expect(cells('events.k8s.io/events', newApi)).toEqual(['59s', 'Normal', 'Starting', 'node/node-a', '', 'kubelet, node-a', 'Starting kubelet.', '59s', 1, 'x']);
  });

  it('prints resource quotas with requests and limits split', () => {
    const rq = { metadata: meta('q'), status: { hard: { 'limits.cpu': '2', pods: '10', 'requests.cpu': '1' }, used: { pods: '3', 'requests.cpu': '500m' } } };
    expect(cells('resourcequotas', rq)).toEqual(['q', '24h', 'pods: 3/10, requests.cpu: 500m/1', 'limits.cpu: 0/2']);
  });

  it('prints the default table with Created At in RFC3339', () => {
    expect(cells('rbac.authorization.k8s.io/clusterroles', { metadata: { name: 'admin', creationTimestamp: '2026-02-28T10:00:00Z' } })).toEqual(['admin', '2026-02-28T10:00:00Z']);
  });
});

describe('storage printers', () => {
  it('prints PVs, PVCs and storage classes', () => {
    const pv = { metadata: meta('pv-1', { namespace: undefined }), spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce', 'ReadWriteMany'], persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Bound' } };
    expect(cells('persistentvolumes', pv)).toEqual(['pv-1', '10Gi', 'RWO,RWX', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '', '24h', 'Filesystem']);
    const pending = { metadata: meta('data'), spec: { storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } };
    expect(cells('persistentvolumeclaims', pending)).toEqual(['data', 'Pending', '', '', '', 'standard', '<unset>', '24h', '<unset>']);
    const bound = { ...pending, spec: { ...pending.spec, volumeName: 'pv-1', volumeMode: 'Filesystem' }, status: { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'] } };
    expect(cells('persistentvolumeclaims', bound)).toEqual(['data', 'Bound', 'pv-1', '10Gi', 'RWO', 'standard', '<unset>', '24h', 'Filesystem']);
    const sc = { metadata: meta('standard', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }), provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' };
    expect(cells('storage.k8s.io/storageclasses', sc)).toEqual(['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '24h']);
  });
});

describe('platform printers', () => {
  it('prints API services as kube-aggregator does', () => {
    const local = { metadata: meta('v1.apps', { namespace: undefined }), spec: { group: 'apps', version: 'v1' }, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] } };
    expect(cells('apiregistration.k8s.io/apiservices', local)).toEqual(['v1.apps', 'Local', 'True', '24h']);
    const remote = {
      metadata: meta('v1beta1.metrics.k8s.io', { namespace: undefined }),
      spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
      status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] },
    };
    expect(cells('apiregistration.k8s.io/apiservices', remote)).toEqual(['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'False (MissingEndpoints)', '24h']);
  });

  it('prints and orders flow schemas and priority levels', async () => {
    const { toTable } = await import('./index.js');
    const fs = (name: string, precedence: number) => ({ metadata: meta(name, { namespace: undefined }), spec: { priorityLevelConfiguration: { name: 'global-default' }, matchingPrecedence: precedence, distinguisherMethod: { type: 'ByUser' } }, status: { conditions: [{ type: 'Dangling', status: 'False' }] } }) as unknown as KubeObject;
    const table = toTable(printers['flowcontrol.apiserver.k8s.io/flowschemas'], [fs('global-default', 9900), fs('exempt', 1), fs('catch-all', 10000), fs('a-first', 1)], { now });
    expect(table.rows.map((r) => r.cells[0])).toEqual(['a-first', 'exempt', 'global-default', 'catch-all']);
    expect(table.rows[2].cells).toEqual(['global-default', 'global-default', 9900, 'ByUser', '24h', 'False']);
    const pl = { metadata: meta('workload-low', { namespace: undefined }), spec: { type: 'Limited', limited: { nominalConcurrencyShares: 100, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } } } };
    expect(cells('flowcontrol.apiserver.k8s.io/prioritylevelconfigurations', pl)).toEqual(['workload-low', 'Limited', 100, 128, 6, 50, '24h']);
    expect(cells('flowcontrol.apiserver.k8s.io/prioritylevelconfigurations', { metadata: meta('exempt'), spec: { type: 'Exempt' } })).toEqual(['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>', '24h']);
  });
});
