// kubectl with a terminal: exec -it, attach -i, run -it --rm, driven through a pseudo-terminal
// (util-linux `script`) as a user's shell would.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, kubectl, runningPod, startTestSandbox, type TestSandbox } from './test-sandbox.js';
import { ScriptedContainer } from './test-doubles.js';
import { PODS } from './pods.js';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
  await runningPod(t, 'shell', [new ScriptedContainer('app')]);
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

/** Runs kubectl inside a pseudo-terminal of the given size; `steps` wait for output then type. */
async function inTerminal(args: string[], steps: { waitFor: RegExp; type: string }[], size = { rows: 33, cols: 111 }, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const quoted = [KUBECTL, ...t.kubectlArgs, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', `stty rows ${size.rows} cols ${size.cols}; exec ${quoted}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const deadline = Date.now() + 15_000;
  let seen = 0;
  for (const step of steps) {
    for (;;) {
      const m = step.waitFor.exec(output.slice(seen));
      if (m) {
        seen += m.index + m[0].length;
        break;
      }
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${step.waitFor} in terminal output:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.stdin.write(step.type);
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  child.stdin.end();
  return { code, output };
}

describe('kubectl exec -it', () => {
  it('runs an interactive shell with a TTY, its size, and its exit code', async () => {
    const r = await inTerminal(['exec', '-it', 'shell', '--', 'sh'], [
      { waitFor: /# /, type: 'echo hello tty\r' },
      { waitFor: /hello tty\r\n# /, type: 'size\r' },
      { waitFor: /33 111\r\n# /, type: 'exit 5\r' },
    ]);
    expect(r.output).toContain('hello tty');
    expect(r.output).toContain('command terminated with exit code 5');
    expect(r.code).toBe(5);
  });
});

describe('kubectl exec -it over the SPDY/3.1 fallback', () => {
  it('carries the terminal size on the resize stream', async () => {
    const r = await inTerminal(
      ['exec', '-it', 'shell', '--', 'sh'],
      [
        { waitFor: /# /, type: 'size\r' },
        { waitFor: /21 91\r\n# /, type: 'exit\r' },
      ],
      { rows: 21, cols: 91 },
      { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' },
    );
    expect(r.code).toBe(0);
  });
});

describe('kubectl attach', () => {
  it('attaches stdin and stdout to the main process', async () => {
    const r = await kubectl(t, ['attach', '-i', 'shell'], { stdin: 'hello attach\n' });
    expect(r.stdout).toContain('HELLO ATTACH\n');
    expect(r.code).toBe(0);
  });
});

describe('kubectl run -it --rm', () => {
  it('creates the pod, attaches a terminal, and deletes the pod afterwards', async () => {
    const { client } = t.sandbox.controlPlane;
    // Play the kubelet: once kubectl has created the pod, report it Running with a container to attach to.
    let stop = false;
    const kubelet = (async () => {
      while (!stop) {
        const pod = await client.get(PODS, 'default', 'tmp').catch(() => undefined);
        if (pod && !(pod.status as { phase?: string } | undefined)?.phase?.startsWith('Running')) {
          const container = new ScriptedContainer('tmp');
          t.backend.add('default', 'tmp', container);
          const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
          const fresh = await client.get(PODS, 'default', 'tmp');
          await client.update(PODS, 'default', {
            ...fresh,
            status: {
              phase: 'Running',
              conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
              containerStatuses: [{ name: 'tmp', image: 'busybox', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } }],
            },
          }, { subresource: 'status' });
          // The main process exits once its terminal closes: report the pod Succeeded, as kubectl waits for it.
          await container.attachEnded;
          const running = await client.get(PODS, 'default', 'tmp');
          const finished = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
          await client.update(PODS, 'default', {
            ...running,
            status: {
              phase: 'Succeeded',
              containerStatuses: [{ name: 'tmp', image: 'busybox', imageID: '', ready: false, started: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: finished } } }],
            },
          }, { subresource: 'status' });
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    // The pod comes pre-bound (no scheduler in this test).
    const r = await inTerminal(['run', 'tmp', '-it', '--rm', '--image=busybox', '--restart=Never', '--overrides={"spec":{"nodeName":"kubedesk-control-plane"}}', '--', 'sh'], [
      { waitFor: /If you don't see a command prompt, try pressing enter\./, type: 'shout\r' },
      { waitFor: /SHOUT/, type: '\x04' },
    ]);
    stop = true;
    await kubelet;
    expect(r.output).toContain('SHOUT');
    expect(r.output).toContain('pod "tmp" deleted');
  });
});
