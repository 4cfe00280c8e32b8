// End to end with the real simulated kubelet and container runtime behind fleetBackends: what a
// learner runs against an nginx pod.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../../clock/clock.js';
import { startKubelets, type KubeletFleet } from '../../kubelet/fleet.js';
import { createRuntime } from '../../runtime/index.js';
import { fleetBackends, metricsConnectHandlers, streamingConnectHandlers } from './index.js';
import { PODS } from './pods.js';
import { NODE, freePort, kubectl, startKubectl, startTestSandbox, type TestSandbox } from './test-sandbox.js';

let t: TestSandbox;
let fleet: KubeletFleet;

beforeAll(async () => {
  t = await startTestSandbox();
  const { client, httpDeps } = t.sandbox.controlPlane;
  fleet = await startKubelets({ client, clock: realClock, runtime: (net) => createRuntime({ clock: realClock, ...net }), nodeNames: [NODE] });
  const { pods, metrics } = fleetBackends(fleet);
  for (const [key, handler] of streamingConnectHandlers(pods, client, realClock)) httpDeps.connect.set(key, handler);
  for (const [key, handler] of metricsConnectHandlers(metrics, client)) httpDeps.connect.set(key, handler);
  await client.create(PODS, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'nginx', labels: { app: 'web' } },
    // Bound by hand (no scheduler here) and without a projected token (no TokenRequest wiring here).
    spec: { nodeName: NODE, automountServiceAccountToken: false, containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  });
  const deadline = Date.now() + 15_000;
  while ((((await client.get(PODS, 'default', 'nginx')).status ?? {}) as { phase?: string }).phase !== 'Running') {
    if (Date.now() > deadline) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}, 60_000);

afterAll(async () => {
  fleet?.dispose();
  await t?.stop();
});

describe('streaming endpoints over the simulated kubelet', () => {
  it('logs, exec with exit codes and stdin', async () => {
    expect((await kubectl(t, ['logs', 'nginx'])).stdout).toContain('start worker processes');
    const exec = await kubectl(t, ['exec', 'nginx', '--', 'sh', '-c', 'echo $HOSTNAME; exit 3']);
    expect(exec.stdout).toBe('nginx\n');
    expect(exec.code).toBe(3);
    expect((await kubectl(t, ['exec', '-i', 'nginx', '--', 'cat'], { stdin: 'piped\n' })).stdout).toBe('piped\n');
  });

  it('port-forward reaches nginx, which logs the request; the pod proxy serves the page', async () => {
    const port = await freePort();
    const pf = startKubectl(t, ['port-forward', 'pod/nginx', `${port}:80`]);
    try {
      await pf.waitFor(/Forwarding from 127\.0\.0\.1/);
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>Welcome to nginx!</title>');
    } finally {
      await pf.stop();
    }
    expect((await kubectl(t, ['logs', 'nginx', '--tail=1'])).stdout).toContain('"GET / HTTP/1.1" 200');
    expect((await kubectl(t, ['get', '--raw', '/api/v1/namespaces/default/pods/nginx:80/proxy/'])).stdout).toContain('Welcome to nginx!');
  });

  it('kubectl top', async () => {
    expect((await kubectl(t, ['top', 'pod'])).stdout).toMatch(/nginx\s+\d+m\s+\d+Mi/);
    expect((await kubectl(t, ['top', 'node'])).stdout).toMatch(new RegExp(`${NODE}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`));
  });
});
