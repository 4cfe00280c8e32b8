// Integration harness: a real sandbox process started through the CLI exactly as a user starts it,
// and the real kubectl 1.32 (installed by scripts/install-kubectl.mjs) pointed at it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const KUBECTL = join(ROOT, '.tools', 'bin', 'kubectl');

export interface RunningSandbox {
  url: string;
  dataDir: string;
  kubeconfig: string;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for a clean exit; returns the exit code. */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  nodes?: number;
  dataDir?: string;
  extraArgs?: string[];
  port?: number;
}

export async function startSandbox(options: StartOptions = {}): Promise<RunningSandbox> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kubedesk-it-')));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'src', 'cli', 'main.ts'),
    'sandbox',
    '--data-dir',
    dataDir,
    '--kubeconfig',
    kubeconfig,
    '--port',
    String(options.port ?? 0),
    '--nodes',
    String(options.nodes ?? 1),
    '--verbose',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not become ready in 30 s:\n${out}`)), 30_000);
    const onData = () => {
      const m = /ready at (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    kubeconfig,
    process: child,
    output: () => out,
    stop: () =>
      new Promise((resolvePromise) => {
        if (child.exitCode !== null) return resolvePromise(child.exitCode);
        child.once('exit', (code) => resolvePromise(code));
        child.kill('SIGTERM');
      }),
  };
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** kubectl against a sandbox; a fresh cache dir so discovery is never stale between tests. */
export function kubectlFor(sandbox: RunningSandbox) {
  const cacheDir = join(sandbox.dataDir, 'kubectl-cache');
  return (args: string[], options: { stdin?: string; timeoutMs?: number } = {}) =>
    run(KUBECTL, ['--kubeconfig', sandbox.kubeconfig, '--cache-dir', cacheDir, ...args], options);
}

export async function removeDir(dir: string): Promise<void> {
  if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
}
