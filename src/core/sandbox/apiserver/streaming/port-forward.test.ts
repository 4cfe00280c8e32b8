import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runningPod, startKubectl, startTestSandbox, type TestSandbox } from './test-sandbox.js';
import { NGINX_PAGE, ScriptedContainer } from './test-doubles.js';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
  await runningPod(t, 'nginx', [new ScriptedContainer('nginx', [], [80])], { app: 'web' });
  await t.sandbox.controlPlane.client.create({ group: '', resource: 'services' }, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 80 }] },
  });
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

async function forwardAndGet(args: string[], env?: Record<string, string>): Promise<{ status: number; body: string; output: string }> {
  const port = await freePort();
  const pf = startKubectl(t, ['-v=4', 'port-forward', ...args.map((a) => a.replace('LOCAL', String(port)))], env);
  try {
    await pf.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:${port}`));
    const first = await fetch(`http://127.0.0.1:${port}/`);
    const body = await first.text();
    // A second connection through the same forward.
    const second = await fetch(`http://127.0.0.1:${port}/missing`);
    expect(second.status).toBe(404);
    return { status: first.status, body, output: pf.stdout() + pf.stderr() };
  } finally {
    await pf.stop();
  }
}

describe('kubectl port-forward (SPDY tunnelled in WebSocket)', () => {
  it('forwards a local port to the pod: an HTTP GET returns the page', async () => {
    const r = await forwardAndGet(['pod/nginx', 'LOCAL:80']);
    expect(r.status).toBe(200);
    expect(r.body).toBe(NGINX_PAGE);
    expect(r.output).toContain('Handling connection for');
    expect(r.output).toContain('negotiated protocol: portforward.k8s.io');
  });

  it('serves concurrent connections through one forward', async () => {
    const port = await freePort();
    const pf = startKubectl(t, ['port-forward', 'pod/nginx', `${port}:80`]);
    try {
      await pf.waitFor(/Forwarding from 127\.0\.0\.1/);
      const bodies = await Promise.all(Array.from({ length: 8 }, () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())));
      expect(bodies).toEqual(Array.from({ length: 8 }, () => NGINX_PAGE));
    } finally {
      await pf.stop();
    }
  });

  it('works over plain SPDY/3.1 when WebSockets are turned off', async () => {
    const r = await forwardAndGet(['pod/nginx', 'LOCAL:80'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    expect(r.status).toBe(200);
    expect(r.body).toBe(NGINX_PAGE);
    expect(r.output).not.toContain('negotiated protocol');
  });

  it('forwards to a service: kubectl picks a pod and the target port', async () => {
    const r = await forwardAndGet(['svc/web', 'LOCAL:8080']);
    expect(r.status).toBe(200);
    expect(r.body).toBe(NGINX_PAGE);
  });

  it('reports a port nothing listens on, as the kubelet words it', async () => {
    const port = await freePort();
    const pf = startKubectl(t, ['port-forward', 'pod/nginx', `${port}:81`]);
    try {
      await pf.waitFor(/Forwarding from 127\.0\.0\.1/);
      await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      const code = await Promise.race([pf.exited, new Promise((r) => setTimeout(() => r('running'), 5000))]);
      expect(pf.stderr()).toContain('error forwarding port 81 to pod');
      expect(pf.stderr()).toContain('connect: connection refused');
      expect(code).toBe(1);
    } finally {
      await pf.stop();
    }
  });
});

describe('port-forward with the channel WebSocket protocol (@kubernetes/client-node)', () => {
  it('relays one connection per port on channels 0 (data) and 1 (errors)', async () => {
    const { KubeConfig, PortForward } = await import('@kubernetes/client-node');
    const { PassThrough } = await import('node:stream');
    const kc = new KubeConfig();
    kc.loadFromFile(t.sandbox.kubeconfigPath);
    const input = new PassThrough();
    const output = new PassThrough();
    const errors = new PassThrough();
    let received = '';
    output.on('data', (d: Buffer) => (received += d.toString()));
    const ws = await new PortForward(kc).portForward('default', 'nginx', [80], output, errors, input);
    input.write('GET / HTTP/1.1\r\nHost: nginx\r\n\r\n');
    const deadline = Date.now() + 5000;
    while (!received.includes('</html>') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(received).toContain('HTTP/1.1 200 OK');
    expect(received).toContain(NGINX_PAGE);
    (ws as { close(): void }).close();
  });
});
