// The kubelets over the real simulated runtime (runtime/createRuntime): images from the catalog,
// the simulated shell, nginx serving, and containers reaching services through the kubelets' network.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../runtime/runtime.js';
import { eventually, startTestCluster, type TestCluster } from './test-cluster.js';

let c: TestCluster;
beforeEach(async () => {
  c = await startTestCluster({ runtime: (clock) => (net) => createRuntime({ clock, ...net }) });
});
afterEach(async () => {
  await c.close();
});

async function running(name: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if ((await c.pod(name)).status?.phase === 'Running') return;
    await c.advance(1000);
  }
  await eventually(async () => expect((await c.pod(name)).status?.phase).toBe('Running'));
}

describe('kubelet with the simulated runtime', () => {
  it('runs nginx and serves its page through a Service ClusterIP; a busybox pod wgets it by name', async () => {
    const svc = await c.client.create({ group: '', resource: 'services' }, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    await c.createPod({ metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    await running('web');
    const ip = (svc.spec as { clusterIP: string }).clusterIP;
    const page = await c.fleet.network.http(ip, 80, { method: 'GET', path: '/', headers: {} });
    expect(page?.status).toBe(200);
    expect(new TextDecoder().decode(page?.body)).toContain('Welcome to nginx!');
    expect(await c.events('web')).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'Pulled', message: expect.stringMatching(/^Successfully pulled image "nginx:1\.27" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\.$/) })]));

    await c.createPod({
      metadata: { name: 'client' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo start; wget -qO- http://web | grep -o "Welcome to nginx!"; echo "host=$WEB_SERVICE_HOST"'] }] },
    });
    for (let i = 0; i < 20 && (await c.pod('client')).status?.phase !== 'Succeeded'; i++) await c.advance(1000);
    await eventually(async () => expect((await c.pod('client')).status?.phase).toBe('Succeeded'));
    expect(c.fleet.logs.read('default', 'client', 'c')).toEqual(['start\n', 'Welcome to nginx!\n', 'Welcome to nginx!\n', `host=${ip}\n`]);
  });

  it('an image outside the catalog fails to pull with the catalog hint', async () => {
    await c.createPod({ metadata: { name: 'nope' }, spec: { containers: [{ name: 'a', image: 'example.com/nope:1' }] } });
    await eventually(async () => expect((await c.pod('nope')).status?.containerStatuses?.[0].state?.waiting?.reason).toBe('ErrImagePull'));
    expect((await c.pod('nope')).status!.containerStatuses![0].state!.waiting!.message).toContain('catalog');
  });

  it('exec through containerFor runs in the container', async () => {
    await c.createPod({ metadata: { name: 'box' }, spec: { containers: [{ name: 'b', image: 'busybox', command: ['sleep', '3600'], env: [{ name: 'GREETING', value: 'hi' }] }] } });
    await running('box');
    let out = '';
    const code = await c.fleet.containerFor('default', 'box')!.exec(['sh', '-c', 'echo $GREETING; hostname'], { stdout: (d) => (out += new TextDecoder().decode(d)), stderr: () => undefined, tty: false });
    expect(code).toBe(0);
    expect(out).toBe('hi\nbox\n');
  });

  it('probes against the simulated nginx: / answers, /healthz is a 404', async () => {
    await c.createPod({
      metadata: { name: 'probed' },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx',
            livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 },
            readinessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5 },
          },
        ],
      },
    });
    await running('probed');
    await c.advance(20_000);
    await eventually(async () => expect((await c.events('probed')).find((e) => e.reason === 'Unhealthy')?.message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 404'));
    const cs = (await c.pod('probed')).status!.containerStatuses![0];
    expect(cs).toMatchObject({ ready: false, restartCount: 0 });
    // nginx logs each probe request, as its access log does.
    expect(c.fleet.logs.read('default', 'probed', 'nginx')!.some((l) => l.includes('kube-probe/1.32'))).toBe(true);
  });
});
