// The real kubectl 1.32 renders our Tables: a minimal discovery + list server feeds it toTable()
// output, and the printed text must be what kubectl shows on a real cluster.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { printerForCustomResource, printers, toTable } from './index.js';

const KUBECTL = fileURLToPath(new URL('../../../../../.tools/bin/kubectl', import.meta.url));
const run = promisify(execFile);
const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const pods: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', creationTimestamp: ago(5 * 60_000 + 10_000), uid: 'u1', resourceVersion: '7' },
    spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-a' },
    status: {
      phase: 'Running',
      podIPs: [{ ip: '10.244.0.5' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(150_000) } } },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'job-x', namespace: 'default', creationTimestamp: ago(3 * 3_600_000), uid: 'u2', resourceVersion: '8' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
  },
];

const crdVersion = {
  name: 'v1',
  additionalPrinterColumns: [
    { name: 'Color', type: 'string', jsonPath: '.spec.color' },
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Note', type: 'string', jsonPath: '.spec.note', priority: 1 },
  ],
};
const widgets: KubeObject[] = [
  { apiVersion: 'stable.example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default', creationTimestamp: ago(90_000) }, spec: { color: 'red', size: 3, note: 'hi' } },
];

const nodes: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'sandbox-control-plane', creationTimestamp: ago(26 * 3_600_000), labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
      nodeInfo: { kubeletVersion: 'v1.32.3', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-28-amd64', containerRuntimeVersion: 'containerd://1.7.24' },
    },
  },
];

const services: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(45 * 60_000) },
    spec: { type: 'NodePort', clusterIP: '10.96.44.1', clusterIPs: ['10.96.44.1'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }], selector: { app: 'web' } },
  },
];

const events: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-0.1', namespace: 'default', creationTimestamp: ago(600_000) },
    involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container app in pod web-0_default(u1)',
    type: 'Warning',
    source: { component: 'kubelet', host: 'node-a' },
    firstTimestamp: ago(600_000),
    lastTimestamp: ago(20_000),
    count: 7,
  },
];

const limitRanges: KubeObject[] = [
  { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'default', creationTimestamp: '2026-01-02T03:04:05Z' }, spec: { limits: [] } },
];

function json(res: import('node:http').ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

let server: Server;
let base = '';
let cacheDir = '';

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const wantsTable = (req.headers.accept ?? '').includes('as=Table');
    switch (url.pathname) {
      case '/api':
        return json(res, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
      case '/apis':
        return json(res, {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [{ name: 'stable.example.com', versions: [{ groupVersion: 'stable.example.com/v1', version: 'v1' }], preferredVersion: { groupVersion: 'stable.example.com/v1', version: 'v1' } }],
        });
      case '/api/v1':
        return json(res, {
          kind: 'APIResourceList',
          groupVersion: 'v1',
          resources: [
            { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
            { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['get', 'list'], shortNames: ['no'] },
            { name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: ['get', 'list'], shortNames: ['svc'] },
            { name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: ['get', 'list'], shortNames: ['ev'] },
            { name: 'limitranges', singularName: 'limitrange', namespaced: true, kind: 'LimitRange', verbs: ['get', 'list'], shortNames: ['limits'] },
          ],
        });
      case '/apis/stable.example.com/v1':
        return json(res, { kind: 'APIResourceList', groupVersion: 'stable.example.com/v1', resources: [{ name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get', 'list'] }] });
      case '/api/v1/namespaces/default/pods':
        if (!wantsTable) break;
        return json(res, toTable(printers.pods, pods, { now, resourceVersion: '9' }));
      case '/api/v1/nodes':
        if (!wantsTable) break;
        return json(res, toTable(printers.nodes, nodes, { now, resourceVersion: '9' }));
      case '/api/v1/namespaces/default/services':
        if (!wantsTable) break;
        return json(res, toTable(printers.services, services, { now, resourceVersion: '9' }));
      case '/api/v1/namespaces/default/events':
        if (!wantsTable) break;
        return json(res, toTable(printers.events, events, { now, resourceVersion: '9' }));
      case '/api/v1/namespaces/default/limitranges':
        if (!wantsTable) break;
        return json(res, toTable(printers.limitranges, limitRanges, { now, resourceVersion: '9' }));
      case '/apis/stable.example.com/v1/namespaces/default/widgets':
        if (!wantsTable) break;
        return json(res, toTable(printerForCustomResource(crdVersion), widgets, { now, resourceVersion: '9' }));
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(cacheDir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<string[]> {
  const { stdout } = await run(KUBECTL, ['--server', base, '--cache-dir', cacheDir, '-n', 'default', ...args], {
    env: { ...process.env, KUBECONFIG: join(cacheDir, 'none') },
  });
  return stdout.trimEnd().split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
}

describe.skipIf(!existsSync(KUBECTL))('kubectl renders server-side tables', () => {
  it('kubectl get pods', async () => {
    expect(await kubectl('get', 'pods')).toEqual(['NAME READY STATUS RESTARTS AGE', 'web-0 1/1 Running 2 (2m30s ago) 5m10s', 'job-x 0/1 Completed 0 3h']);
  });

  it('kubectl get pods -o wide', async () => {
    expect(await kubectl('get', 'pods', '-o', 'wide')).toEqual([
      'NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES',
      'web-0 1/1 Running 2 (2m30s ago) 5m10s 10.244.0.5 node-a <none> <none>',
      'job-x 0/1 Completed 0 3h <none> <none> <none> <none>',
    ]);
  });

  it('kubectl get nodes -o wide', async () => {
    expect(await kubectl('get', 'nodes', '-o', 'wide')).toEqual([
      'NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME',
      'sandbox-control-plane Ready,SchedulingDisabled control-plane 26h v1.32.3 172.18.0.2 <none> Debian GNU/Linux 12 (bookworm) 6.1.0-28-amd64 containerd://1.7.24',
    ]);
  });

  it('kubectl get svc, plain and wide', async () => {
    expect(await kubectl('get', 'svc')).toEqual(['NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE', 'web NodePort 10.96.44.1 <none> 80:30080/TCP 45m']);
    expect(await kubectl('get', 'svc', '-o', 'wide')).toEqual([
      'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR',
      'web NodePort 10.96.44.1 <none> 80:30080/TCP 45m app=web',
    ]);
  });

  it('kubectl get events, plain and wide', async () => {
    expect(await kubectl('get', 'events')).toEqual([
      'LAST SEEN TYPE REASON OBJECT MESSAGE',
      '20s Warning BackOff pod/web-0 Back-off restarting failed container app in pod web-0_default(u1)',
    ]);
    expect(await kubectl('get', 'events', '-o', 'wide')).toEqual([
      'LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME',
      '20s Warning BackOff pod/web-0 spec.containers{app} kubelet, node-a Back-off restarting failed container app in pod web-0_default(u1) 10m 7 web-0.1',
    ]);
  });

  it('kubectl get of a kind without a printer shows CREATED AT', async () => {
    expect(await kubectl('get', 'limits')).toEqual(['NAME CREATED AT', 'limits 2026-01-02T03:04:05Z']);
  });

  it('kubectl get of a custom resource, plain and wide', async () => {
    expect(await kubectl('get', 'widgets')).toEqual(['NAME COLOR SIZE AGE', 'w1 red 3 90s']);
    expect(await kubectl('get', 'widgets', '-o', 'wide')).toEqual(['NAME COLOR SIZE AGE NOTE', 'w1 red 3 90s hi']);
  });
});
