// The PATH of the user's login shell. A desktop app started from a dock or menu does not inherit
// it (no ~/.profile, ~/.zshrc...), so exec credential plugins installed by Homebrew, gcloud or asdf
// would not be found. Resolved once, with a timeout: a slow or broken shell rc must not hang the app.
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';

const MARK = '__KUBEDESK_PATH__';

export interface LoginPathOptions {
  shell?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** The login shell's PATH followed by this process's entries it lacks; this process's PATH when the shell cannot tell. */
export function resolveLoginShellPath(options: LoginPathOptions = {}): Promise<{ path: string; problem?: string }> {
  const env = options.env ?? process.env;
  const own = env.PATH ?? '';
  const shell = options.shell ?? env.SHELL;
  if ((options.platform ?? process.platform) === 'win32' || !shell) return Promise.resolve({ path: own });
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve) => {
    // Its own process group: a timeout must also end what the rc files started (a stuck `sleep`
    // would keep the output pipe open).
    const child = spawn(shell, ['-l', '-i', '-c', `printf '%s' "${MARK}\${PATH}${MARK}"`], { env: { ...env, TERM: 'dumb' }, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let stdout = '';
    let settled = false;
    const finish = (why: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.destroy();
      const found = new RegExp(`${MARK}(.*?)${MARK}`, 's').exec(stdout);
      if (found) return resolve({ path: mergePaths(found[1].trim(), own) });
      resolve({ path: own, problem: `could not read the PATH of your login shell ${shell} (${why ?? 'it printed no PATH'}); credential plugins are looked up on Kubedesk's own PATH` });
    };
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      finish(`it did not answer within ${timeoutMs / 1000} s`);
    }, timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.lastIndexOf(MARK) > stdout.indexOf(MARK)) finish(undefined);
    });
    child.on('error', (error) => finish(error.message));
    child.on('close', (code) => finish(code === 0 ? undefined : `it exited with code ${code}`));
  });
}

export function mergePaths(first: string, second: string): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of [...first.split(delimiter), ...second.split(delimiter)]) {
    if (dir === '' || seen.has(dir)) continue;
    seen.add(dir);
    out.push(dir);
  }
  return out.join(delimiter);
}

let cached: Promise<string> | undefined;
let resolved: string | undefined;

/** Resolved once per process; `log` hears why the login shell could not tell, if it could not. */
export function loginShellPath(log?: (line: string) => void): Promise<string> {
  cached ??= resolveLoginShellPath().then(({ path, problem }) => {
    if (problem) log?.(problem);
    resolved = path;
    return path;
  });
  return cached;
}

/** The login PATH if already resolved (callers that cannot wait use this PATH until then). */
export function loginShellPathIfKnown(): string | undefined {
  return resolved;
}
