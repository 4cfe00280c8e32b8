// A shell inside a container through the Kubernetes exec API (WebSocket, v5.channel.k8s.io with
// v4 as fallback, spoken by client-node's Exec), never by typing `kubectl exec` into a local shell.
// Tries bash, then ash, then sh; the terminal's size follows the window; the exit status is reported.
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';

export const SHELL_FALLBACK = ['bash', 'ash', 'sh'] as const;

export interface PodShellOptions {
  namespace: string;
  pod: string;
  container: string;
  cols: number;
  rows: number;
  /** The command to run instead of the shell fallback (attach-like one-off commands, tests). */
  command?: string[];
}

export interface SessionBackend {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(): void;
}

/** Exit code of a finished exec: 0 on Success, the ExitCode cause otherwise, -1 when unknown. */
export function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : -1;
}

/** A stdout client-node treats as a TTY it can read the size of and watch for resizes. */
export class TerminalOutput extends Writable {
  constructor(
    public columns: number,
    public rows: number,
    private readonly sink: (data: string) => void,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.sink(chunk.toString('utf8'));
    done();
  }
}

export async function openPodShell(
  config: KubeConfig,
  options: PodShellOptions,
  handlers: { onData(data: string): void; onExit(code: number, message?: string): void },
): Promise<SessionBackend> {
  const exec = new Exec(config);
  // client-node ties its streams to one socket (and ends them with it): each attempt gets its own.
  let stdin = new PassThrough();
  // A missing shell fails at once with an error on the terminal: output is held back for a moment so
  // that a failed attempt leaves no trace before the next shell is tried.
  let held: string[] | undefined;
  const sink = (d: string): void => void (held ? held.push(d) : handlers.onData(d));
  let stdout = new TerminalOutput(options.cols, options.rows, sink);
  // Keys typed while an attempt is unconfirmed go to the shell that actually starts.
  const typed: string[] = [];
  const release = (): void => {
    const data = held;
    held = undefined;
    if (data && data.length > 0) handlers.onData(data.join(''));
    for (const keys of typed.splice(0)) stdin.write(keys);
  };
  const candidates: string[][] = options.command ? [options.command] : SHELL_FALLBACK.map((s) => [s]);
  let closed = false;
  let socket: { close(): void } | undefined;

  const attempt = async (index: number): Promise<void> => {
    const command = candidates[index];
    let statusSeen = false;
    held = [];
    stdin = new PassThrough();
    stdout = new TerminalOutput(stdout.columns, stdout.rows, sink);
    const holdTimer = setTimeout(release, 700);
    const ws = await exec.exec(options.namespace, options.pod, options.container, command, stdout, null, stdin, true, (status) => {
      statusSeen = true;
      const code = exitCodeOf(status);
      const message = status.message ?? '';
      // A shell that does not exist fails before printing anything: try the next one.
      const said = `${message} ${(held ?? []).join('')}`;
      const missing = held !== undefined && index + 1 < candidates.length && (code === 127 || code === 126) && /not found|no such file|executable file/i.test(said);
      clearTimeout(holdTimer);
      if (missing) {
        held = undefined;
        void attempt(index + 1).catch((error: unknown) => finish(-1, error instanceof Error ? error.message : String(error)));
        return;
      }
      release();
      finish(code, code === -1 ? message : undefined);
    });
    socket = ws;
    ws.on('close', () => {
      // A socket closed without a status: the connection dropped or the pod went away.
      if (!statusSeen) {
        setTimeout(() => {
          if (!statusSeen) finish(-1, 'the connection to the container closed');
        }, 200);
      }
    });
  };

  const finish = (code: number, message?: string): void => {
    if (closed) return;
    closed = true;
    handlers.onExit(code, message);
  };

  await attempt(0);
  return {
    write: (data) => void (held ? typed.push(data) : stdin.write(data)),
    resize: (cols, rows) => {
      stdout.columns = cols;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    kill: () => {
      closed = true;
      stdin.end();
      socket?.close();
    },
  };
}
