// Pod shells over the exec API and port-forwards, against a real sandbox: `env` shows a ConfigMap's
// variables, `exit 3` reports 3, and a forward to nginx serves its page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSingleContext } from '../../src/core/app/kubeconfig.js';
import { TerminalManager } from '../../src/core/shell/terminal-manager.js';
import { PortForwardManager } from '../../src/core/shell/port-forwards.js';
import { DEFAULT_CONTEXT_NAME } from '../../src/core/sandbox/apiserver/auth/kubeconfig.js';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { ok, poll, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;
const terminals = new TerminalManager({ stateDir: mkdtempSync(join(tmpdir(), 'kubedesk-pod-shell-')) });
const forwards = new PortForwardManager();

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 1 });
  kubectl = kubectlFor(sandbox);
  await ok(kubectl, ['create', 'configmap', 'settings', '--from-literal=GREETING=bonjour', '--from-literal=COLOUR=blue']);
  await ok(kubectl, ['apply', '-f', '-'], {
    stdin: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'shelly' },
      spec: { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], envFrom: [{ configMapRef: { name: 'settings' } }] }] },
    }),
  });
  await ok(kubectl, ['create', 'deployment', 'web', '--image=nginx']);
  await ok(kubectl, ['expose', 'deployment', 'web', '--port=80']);
  await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/shelly', '--timeout=90s']);
  await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=90s']);
});

afterAll(async () => {
  terminals.dispose();
  forwards.dispose();
  await sandbox?.stop();
  if (sandbox) await removeDir(sandbox.dataDir);
});

describe('pod shells and port-forwards on a sandbox', () => {
  it('a pod shell shows the ConfigMap variables and reports exit 3', async () => {
    const config = loadSingleContext(sandbox.kubeconfig, DEFAULT_CONTEXT_NAME);
    const term = await terminals.createPodShell(config, { namespace: 'default', pod: 'shelly', container: 'app', cols: 120, rows: 40 });
    let out = '';
    let exit: number | undefined;
    terminals.attach(term.id, (d) => (out += d), (code) => (exit = code));
    terminals.resize(term.id, 90, 20);
    terminals.write(term.id, 'env\r');
    await poll('env output', async () => out.includes('GREETING=bonjour') && out.includes('COLOUR=blue'), 20_000).catch((e: unknown) => {
      throw new Error(`${String(e)}; output: ${JSON.stringify(out)} exit ${exit}`);
    });
    terminals.write(term.id, 'exit 3\r');
    await poll('exit status', async () => exit !== undefined, 20_000);
    expect(exit).toBe(3);
    expect(out).toContain('[process exited with code 3]');
  });

  it('forwards a local port to the nginx service and serves its page', async () => {
    const config = loadSingleContext(sandbox.kubeconfig, DEFAULT_CONTEXT_NAME);
    const info = await forwards.start(config, { namespace: 'default', kind: 'service', name: 'web', port: 80 });
    expect(info.pod).toMatch(/^web-/);
    const page = await (await fetch(info.url)).text();
    expect(page).toContain('Welcome to nginx');
    const again = await (await fetch(info.url)).text();
    expect(again).toContain('Welcome to nginx');
    expect(forwards.list()).toHaveLength(1);
    forwards.stop(info.id);
    await expect(fetch(info.url)).rejects.toThrow();
  });
});
