import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE, freePort, kubectl, runningPod, startKubectl, startTestSandbox, type TestSandbox } from './test-sandbox.js';
import { NGINX_PAGE, ScriptedContainer } from './test-doubles.js';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
  await runningPod(t, 'nginx', [new ScriptedContainer('nginx', [], [80])], { app: 'web' });
  await runningPod(t, 'worker', [new ScriptedContainer('main'), new ScriptedContainer('helper')], { app: 'worker' });
  await t.sandbox.controlPlane.client.create({ group: '', resource: 'services' }, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 80 }] },
  });
  const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const usage = (cpu: string, memory: string) => ({ cpu, memory });
  t.metrics.nodes = [{ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetrics', metadata: { name: NODE, labels: {} }, timestamp, window: '20s', usage: usage('250000000n', '524288Ki') }];
  t.metrics.pods = [
    { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', metadata: { name: 'nginx', namespace: 'default', labels: { app: 'web' } }, timestamp, window: '15s', containers: [{ name: 'nginx', usage: usage('3000000n', '12288Ki') }] },
    {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: 'worker', namespace: 'default', labels: { app: 'worker' } },
      timestamp,
      window: '15s',
      containers: [
        { name: 'main', usage: usage('100000000n', '65536Ki') },
        { name: 'helper', usage: usage('20000000n', '16384Ki') },
      ],
    },
  ];
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('kubectl proxy to services/proxy and pods/proxy', () => {
  it('serves the pod page through the service and the pod proxy URLs', async () => {
    const port = await freePort();
    const proxy = startKubectl(t, ['proxy', `--port=${port}`]);
    try {
      await proxy.waitFor(/Starting to serve on 127\.0\.0\.1:\d+/);
      const base = `http://127.0.0.1:${port}/api/v1/namespaces/default`;
      const viaService = await fetch(`${base}/services/web/proxy/`);
      expect(viaService.status).toBe(200);
      expect(await viaService.text()).toBe(NGINX_PAGE);
      expect((await fetch(`${base}/services/web:http/proxy/`)).status).toBe(200);
      expect((await fetch(`${base}/services/http:web:8080/proxy/`)).status).toBe(200);
      const viaPod = await fetch(`${base}/pods/nginx:80/proxy/`);
      expect(await viaPod.text()).toBe(NGINX_PAGE);
      expect((await fetch(`${base}/pods/nginx/proxy/missing`)).status).toBe(404);
      const redirect = await fetch(`${base}/services/web/proxy`, { redirect: 'manual' });
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get('location')).toBe('/api/v1/namespaces/default/services/web/proxy/');
      const noEndpoints = await fetch(`${base}/pods/worker/proxy/`);
      expect(noEndpoints.status).toBe(503);
    } finally {
      await proxy.stop();
    }
  });

  it('kubectl get --raw reaches the service proxy', async () => {
    const r = await kubectl(t, ['get', '--raw', '/api/v1/namespaces/default/services/web/proxy/']);
    expect(r.stdout).toBe(NGINX_PAGE);
  });
});

describe('metrics.k8s.io and kubectl top', () => {
  it('is discovered as an API group', async () => {
    const r = await kubectl(t, ['api-resources', '--api-group=metrics.k8s.io']);
    expect(r.stdout).toMatch(/nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics/);
    expect(r.stdout).toMatch(/pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics/);
  });

  it('kubectl top nodes shows usage against allocatable', async () => {
    const r = await kubectl(t, ['top', 'nodes']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
    expect(lines[1]).toMatch(/^kubedesk-control-plane\s+250m\s+\d+%\s+512Mi\s+\d+%/);
  });

  it('kubectl top nodes -l selects by the Node labels', async () => {
    const r = await kubectl(t, ['top', 'nodes', '-l', 'kubernetes.io/os=linux']);
    expect(r.stdout).toContain(NODE);
    const none = await kubectl(t, ['top', 'nodes', '-l', 'absent=label']);
    expect(none.stdout).not.toContain(NODE);
  });

  it('kubectl top pods, --containers and -l', async () => {
    const r = await kubectl(t, ['top', 'pods']);
    expect(r.stdout).toMatch(/NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    expect(r.stdout).toMatch(/nginx\s+3m\s+12Mi/);
    expect(r.stdout).toMatch(/worker\s+120m\s+80Mi/);
    const containers = await kubectl(t, ['top', 'pods', '--containers']);
    expect(containers.stdout).toMatch(/worker\s+helper\s+20m\s+16Mi/);
    const selected = await kubectl(t, ['top', 'pods', '-l', 'app=web']);
    expect(selected.stdout).toContain('nginx');
    expect(selected.stdout).not.toContain('worker');
  });

  it('kubectl get podmetrics prints a table', async () => {
    const r = await kubectl(t, ['get', 'podmetrics.metrics.k8s.io']);
    expect(r.stdout).toMatch(/NAME\s+CPU\s+MEMORY\s+WINDOW/);
    expect(r.stdout).toMatch(/nginx\s+3000000n\s+12288Ki\s+15s/);
  });
});
