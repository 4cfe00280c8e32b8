import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE, kubectl, runningPod, startTestSandbox, type TestSandbox } from './test-sandbox.js';
import { ScriptedContainer } from './test-doubles.js';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
  await runningPod(t, 'shell', [new ScriptedContainer('app', [['GREETING', 'hello'], ['PATH', '/bin']])]);
  await runningPod(t, 'two', [new ScriptedContainer('first'), new ScriptedContainer('second', [['WHO', 'second']])]);
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('kubectl exec over WebSocket v5.channel.k8s.io', () => {
  it('prints the command output and exits 0', async () => {
    const r = await kubectl(t, ['exec', 'shell', '--', 'env']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('GREETING=hello\nPATH=/bin\n');
    expect(r.code).toBe(0);
  });

  it('exits with the command exit code and says so', async () => {
    const r = await kubectl(t, ['exec', 'shell', '--', 'sh', '-c', 'exit 3']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('command terminated with exit code 3');
  });

  it('keeps stderr apart from stdout', async () => {
    const r = await kubectl(t, ['exec', 'shell', '--', 'sh', '-c', 'echo oops >&2']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('oops\n');
    expect(r.code).toBe(0);
  });

  it('streams stdin with -i and ends it when kubectl stdin ends', async () => {
    const r = await kubectl(t, ['exec', '-i', 'shell', '--', 'cat'], { stdin: 'line one\nline two\n' });
    expect(r.stdout).toBe('line one\nline two\n');
    expect(r.code).toBe(0);
  });

  it('targets a container with -c and defaults to the first one', async () => {
    const r = await kubectl(t, ['exec', 'two', '-c', 'second', '--', 'env']);
    expect(r.stdout).toBe('WHO=second\n');
    const d = await kubectl(t, ['exec', 'two', '--', 'echo', 'hi']);
    expect(d.stdout).toBe('hi\n');
    expect(d.stderr).toContain('Defaulted container "first" out of: first, second');
  });

  it('reports runtime failures and unknown containers as kube does', async () => {
    const failed = await kubectl(t, ['exec', 'shell', '--', 'explode']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error executing command in container: exec: "explode": executable file not found in $PATH');
    const unknown = await kubectl(t, ['exec', 'shell', '-c', 'nope', '--', 'env']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('container nope is not valid for pod shell');
    const missing = await kubectl(t, ['exec', 'ghost', '--', 'env']);
    expect(missing.stderr).toContain('pods "ghost" not found');
  });

  it('says the container is not found when it is not running (after the SPDY fallback, as kubectl does)', async () => {
    const { client } = t.sandbox.controlPlane;
    await client.create({ group: '', resource: 'pods' }, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stopped' },
      spec: { nodeName: NODE, containers: [{ name: 'app', image: 'scripted' }] },
    });
    const r = await kubectl(t, ['exec', 'stopped', '--', 'env']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unable to upgrade connection: container not found ("app")');
  });
});

describe('kubectl exec over the SPDY/3.1 fallback', () => {
  const spdy = { env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } };

  it('runs commands, passes stdin and reports exit codes', async () => {
    const env = await kubectl(t, ['exec', 'shell', '--', 'env'], spdy);
    expect(env.stdout).toBe('GREETING=hello\nPATH=/bin\n');
    expect(env.code).toBe(0);
    const cat = await kubectl(t, ['exec', '-i', 'shell', '--', 'cat'], { ...spdy, stdin: 'through spdy\n' });
    expect(cat.stdout).toBe('through spdy\n');
    const exit = await kubectl(t, ['exec', 'shell', '--', 'sh', '-c', 'exit 7'], spdy);
    expect(exit.code).toBe(7);
    expect(exit.stderr).toContain('command terminated with exit code 7');
    const err = await kubectl(t, ['exec', 'shell', '--', 'sh', '-c', 'echo oops >&2'], spdy);
    expect(err.stderr).toBe('oops\n');
  });
});
