import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalManager } from './terminal-manager.js';

const TOOLS = resolve(import.meta.dirname, '..', '..', '..', '.tools', 'bin');

function config(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c1', server: 'https://127.0.0.1:6443', skipTLSVerify: true, proxyUrl: 'http://proxy.example:3128' }, { name: 'other', server: 'https://10.0.0.1' }],
    users: [{ name: 'u1', token: 'secret-token' }, { name: 'u2', token: 'other' }],
    contexts: [{ name: 'ctx', cluster: 'c1', user: 'u1', namespace: 'default' }, { name: 'ctx2', cluster: 'other', user: 'u2' }],
    currentContext: 'ctx',
  });
  return kc;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let manager: TerminalManager | undefined;
afterEach(() => manager?.dispose());

describe('TerminalManager', () => {
  it('runs a shell whose KUBECONFIG is a 0600 file for the selected context and namespace, with kubectl on the PATH', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kubedesk-term-'));
    manager = new TerminalManager({ stateDir, toolDirs: [TOOLS], shell: '/bin/sh', shellArgs: [] });
    const term = manager.create({ clusterId: 'sandbox', config: config(), namespace: 'team-a' });
    let out = '';
    manager.attach(term.id, (d) => (out += d));
    manager.write(term.id, 'echo "K""C=$KUBECONFIG"; kubectl config view --minify -o jsonpath="N""S={.contexts[0].context.namespace} PROXY={.clusters[0].cluster.proxy-url}"; echo; echo DO""NE\n');
    await until(() => out.includes('DONE\r\n'), 'kubectl output');
    const path = /KC=(\S+)/.exec(out)![1];
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const written = JSON.parse(readFileSync(path, 'utf8')) as { contexts: unknown[]; users: { user: { token: string } }[] };
    expect(written.contexts).toHaveLength(1);
    expect(written.users[0].user.token).toBe('secret-token');
    expect(out).toContain('NS=team-a PROXY=http://proxy.example:3128');
    manager.close(term.id);
    expect(existsSync(path)).toBe(false);
  });

  it('a re-attaching window gets the output back, and the exit code is reported', async () => {
    manager = new TerminalManager({ stateDir: mkdtempSync(join(tmpdir(), 'kubedesk-term-')), shell: '/bin/sh', shellArgs: [] });
    const term = manager.create();
    const first = manager.attach(term.id, () => undefined);
    manager.write(term.id, 'echo before-""reload\n');
    first.dispose();
    let exit: number | undefined;
    let replay = '';
    manager.attach(term.id, (d) => (replay += d), (code) => (exit = code));
    await until(() => replay.includes('before-reload\r\n'), 'replayed output');
    manager.write(term.id, 'exit 3\n');
    await until(() => exit !== undefined, 'exit');
    expect(exit).toBe(3);
    expect(manager.list()[0].exitCode).toBe(3);
  });

  it('every shell, and the jobs it started, end when the manager is disposed', async () => {
    manager = new TerminalManager({ stateDir: mkdtempSync(join(tmpdir(), 'kubedesk-term-')), shell: '/bin/bash', shellArgs: ['--norc', '-i'] });
    const terms = [manager.create(), manager.create()];
    let out = '';
    manager.attach(terms[0].id, (d) => (out += d));
    manager.write(terms[0].id, 'sleep 300 & echo "JO""B=$!"\n');
    await until(() => /JOB=\d+/.test(out), 'background job');
    const job = Number(/JOB=(\d+)/.exec(out)![1]);
    expect(terms.every((t) => alive(t.pid!)) && alive(job)).toBe(true);
    manager.dispose();
    await until(() => terms.every((t) => !alive(t.pid!)) && !alive(job), 'shells and their job to end');
    expect(() => manager!.create()).toThrow(/quitting/);
  });
});
