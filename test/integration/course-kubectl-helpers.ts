// Helpers for the course's "advanced kubectl" suites: kubectl commands that keep running (logs -f,
// port-forward, proxy) and interactive ones driven through a pseudo-terminal by util-linux `script`.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { KUBECTL, run, type CommandResult, type RunningSandbox } from './harness.js';

export interface Background {
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

function kubectlArgs(sandbox: RunningSandbox, args: string[]): string[] {
  return ['--kubeconfig', sandbox.kubeconfig, '--cache-dir', join(sandbox.dataDir, 'kubectl-cache'), ...args];
}

/** Starts a long-running kubectl command; its output accumulates until stop(). */
export function background(sandbox: RunningSandbox, args: string[]): Background {
  const child: ChildProcess = spawn(KUBECTL, kubectlArgs(sandbox, args), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    output: () => out,
    waitFor: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(out);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`kubectl ${args.join(' ')} did not print ${String(pattern)} in ${timeoutMs} ms; it printed:\n${out}`);
        if (child.exitCode !== null) throw new Error(`kubectl ${args.join(' ')} exited ${child.exitCode} before printing ${String(pattern)}:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () =>
      new Promise((resolvePromise) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolvePromise();
        child.once('exit', () => resolvePromise());
        child.kill('SIGINT');
      }),
  };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs kubectl inside a pseudo-terminal (`script -eqc`, which returns the command's exit code), so
 * `-t` gets a real tty; `stdin` is typed into that terminal.
 */
export function inTerminal(sandbox: RunningSandbox, args: string[], stdin: string, timeoutMs = 60_000): Promise<CommandResult> {
  const command = [KUBECTL, ...kubectlArgs(sandbox, args)].map(quote).join(' ');
  return run('script', ['-eqc', command, '/dev/null'], { stdin, timeoutMs });
}
