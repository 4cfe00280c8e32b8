// Starts the sandbox in a child process (sandbox-host) and reports when it serves.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type SandboxHostMessage =
  | { type: 'ready'; url: string; kubeconfigPath: string }
  | { type: 'failed'; message: string; hint: string }
  | { type: 'control-result'; id: number; result?: unknown; error?: string };

export interface SandboxProcess {
  url: string;
  kubeconfigPath: string;
  pid: number;
  /** Resolves when the child exited (after a clean stop of the sandbox). */
  stop(): Promise<void>;
  onExit(listener: (code: number | null) => void): void;
  /** A node operation run inside the sandbox process (see sandbox-node-control.ts). */
  control(op: 'list' | 'add' | 'remove' | 'stop' | 'start', name?: string, timeoutMs?: number): Promise<unknown>;
}

/** The entry next to this module: .ts under tsx (development, tests), .js once bundled. */
function hostEntry(): string {
  const ts = fileURLToPath(new URL('./sandbox-host.ts', import.meta.url));
  if (import.meta.url.endsWith('.ts') && existsSync(ts)) return ts;
  return fileURLToPath(new URL('./sandbox-host.js', import.meta.url));
}

export function startSandboxProcess(options: { dataDir: string; port?: number; nodes?: number; startTimeoutMs?: number }): Promise<SandboxProcess> {
  const entry = hostEntry();
  // A .ts entry needs tsx's loader; a parent under tsx passes it on already, a test runner does not.
  const execArgv = entry.endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx')) ? [...process.execArgv, '--import', 'tsx'] : process.execArgv;
  const child: ChildProcess = fork(entry, [], {
    execArgv,
    env: { ...process.env, KUBEDESK_SANDBOX_DATA_DIR: options.dataDir, KUBEDESK_SANDBOX_PORT: String(options.port ?? 0), KUBEDESK_SANDBOX_NODES: String(options.nodes ?? 1) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  void exited.then((code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the sandbox process exited (code ${code}) before answering`));
    pending.clear();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the sandbox did not start within ${(options.startTimeoutMs ?? 120_000) / 1000} s; see its errors above`));
    }, options.startTimeoutMs ?? 120_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start the sandbox process: ${error.message}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox process exited (code ${code}) before it was ready`));
    });
    child.on('message', (raw: unknown) => {
      const message = raw as SandboxHostMessage;
      if (message?.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${message.message} → ${message.hint}`));
      } else if (message?.type === 'control-result') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.result);
      } else if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve({
          url: message.url,
          kubeconfigPath: message.kubeconfigPath,
          pid: child.pid ?? -1,
          onExit: (listener) => void exited.then(listener),
          control: (op, name, timeoutMs = 30_000) =>
            new Promise((resolveControl, rejectControl) => {
              if (child.exitCode !== null || !child.connected) return rejectControl(new Error('the sandbox is not running; start it first'));
              const id = nextId++;
              const timeout = setTimeout(() => {
                pending.delete(id);
                rejectControl(new Error(`the sandbox did not answer "${op}" within ${timeoutMs / 1000} s`));
              }, timeoutMs);
              pending.set(id, {
                resolve: (value) => (clearTimeout(timeout), resolveControl(value)),
                reject: (error) => (clearTimeout(timeout), rejectControl(error)),
              });
              child.send({ type: 'control', id, op, name });
            }),
          stop: async () => {
            if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
            const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(killer);
          },
        });
      }
    });
  });
}
