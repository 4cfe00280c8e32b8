// Test doubles of the interfaces this folder owns (PodStreamBackend, MetricsBackend) and of the
// runtime's Container contract: a scripted container (echo stdin, print env, exit with a code, a
// tiny interactive shell, an HTTP server on port 80) so the wire protocols can be tested with the
// real kubectl without the simulated runtime.
import type { Disposable } from '../../../../shared/disposable.js';
import { toDisposable } from '../../../../shared/disposable.js';
import type { Container, ContainerConfig, ContainerConnection, ContainerExit, HttpResponse, OutputStream, ProcessIo } from '../../runtime/types.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { LogEntry, MetricsBackend, PodStreamBackend } from './backend.js';

export const NGINX_PAGE = '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n';
const encode = (text: string) => Buffer.from(text, 'utf8');

/** Lines of stdin; on a TTY, Ctrl-D ends the input as a terminal's line discipline does. */
async function* lines(stdin: AsyncIterable<Uint8Array> | undefined, tty = false): AsyncGenerator<string> {
  if (!stdin) return;
  let pending = '';
  for await (const chunk of stdin) {
    const text = Buffer.from(chunk).toString('utf8');
    const eof = tty ? text.indexOf('\x04') : -1;
    pending += (eof >= 0 ? text.slice(0, eof) : text).replace(/\r/g, '\n');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
    if (eof >= 0) break;
  }
  if (pending) yield pending;
}

export class ScriptedContainer implements Container {
  readonly config: ContainerConfig;
  lastSize: { cols: number; rows: number } | undefined;

  constructor(name: string, env: [string, string][] = [], private readonly ports: number[] = []) {
    this.attachEnded = new Promise((resolve) => (this.endAttach = resolve));
    this.config = {
      id: `containerd://${name}`, podName: '', namespace: '', podUid: '', podIP: '10.244.0.5', nodeName: 'node-1', hostname: name, name, image: 'scripted',
      env, tty: false, stdin: true, stdinOnce: false, files: [], volumes: [], memoryLimitBytes: 0,
    };
  }

  start(): void {}
  onDidOutput(_listener: (stream: OutputStream, chunk: Uint8Array, at: Date) => void): Disposable {
    return toDisposable(() => undefined);
  }
  onDidExit(_listener: (exit: ContainerExit) => void): Disposable {
    return toDisposable(() => undefined);
  }
  signal(): void {}
  dispose(): void {}

  async exec(command: string[], io: ProcessIo): Promise<number> {
    io.onResize?.((size) => (this.lastSize = size));
    const [program, ...args] = command;
    if (program === 'sh' && args[0] === '-c') return this.script(args.slice(1).join(' '), io);
    if (program === 'sh') return this.shell(io);
    if (program === 'env') {
      for (const [k, v] of this.config.env) io.stdout(encode(`${k}=${v}\n`));
      return 0;
    }
    if (program === 'echo') {
      io.stdout(encode(`${args.join(' ')}\n`));
      return 0;
    }
    if (program === 'cat') {
      if (io.stdin) for await (const chunk of io.stdin) io.stdout(chunk);
      return 0;
    }
    if (program === 'explode') throw new Error('exec: "explode": executable file not found in $PATH');
    io.stderr(encode(`sh: ${program}: not found\n`));
    return 127;
  }

  private async script(script: string, io: ProcessIo): Promise<number> {
    const exit = /^exit (\d+)$/.exec(script.trim());
    if (exit) return Number(exit[1]);
    const echoErr = /^echo (.*) >&2$/.exec(script.trim());
    if (echoErr) {
      io.stderr(encode(`${echoErr[1]}\n`));
      return 0;
    }
    return this.exec(script.trim().split(/\s+/), io);
  }

  /** A prompt-per-line shell: `echo`, `size` (the last TTY size), `exit [n]`. */
  private async shell(io: ProcessIo): Promise<number> {
    const nl = io.tty ? '\r\n' : '\n';
    io.stdout(encode('# '));
    for await (const line of lines(io.stdin, io.tty)) {
      if (io.tty) io.stdout(encode(`${line}${nl}`)); // a terminal echoes what is typed
      const [word, ...rest] = line.trim().split(/\s+/);
      if (word === 'exit') return Number(rest[0] ?? 0);
      if (word === 'echo') io.stdout(encode(`${rest.join(' ')}${nl}`));
      if (word === 'size') io.stdout(encode(`${this.lastSize?.rows ?? 0} ${this.lastSize?.cols ?? 0}${nl}`));
      io.stdout(encode('# '));
    }
    return 0;
  }

  /** Settles when an attached session's stdin ended (the main process would then exit). */
  attachEnded: Promise<void>;
  private endAttach: () => void = () => undefined;

  /** The main process echoes what it reads, upper-cased, until its stdin ends. */
  async attach(io: ProcessIo): Promise<void> {
    for await (const line of lines(io.stdin, io.tty)) io.stdout(encode(`${line.toUpperCase()}${io.tty ? '\r\n' : '\n'}`));
    this.endAttach();
  }

  connect(port: number): ContainerConnection | undefined {
    if (!this.ports.includes(port)) return undefined;
    const dataListeners = new Set<(data: Uint8Array) => void>();
    const closeListeners = new Set<() => void>();
    let request = '';
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      for (const l of closeListeners) l();
    };
    return {
      write: (data) => {
        request += Buffer.from(data).toString('latin1');
        if (!request.includes('\r\n\r\n')) return;
        const path = request.split(' ')[1] ?? '/';
        request = '';
        const body = path === '/' ? NGINX_PAGE : `not found: ${path}\n`;
        const status = path === '/' ? '200 OK' : '404 Not Found';
        const answer = `HTTP/1.1 ${status}\r\nServer: nginx/1.27.0\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
        setTimeout(() => {
          for (const l of dataListeners) l(encode(answer));
          close();
        }, 1);
      },
      onDidData: (listener) => {
        dataListeners.add(listener);
        return toDisposable(() => dataListeners.delete(listener));
      },
      onDidClose: (listener) => {
        closeListeners.add(listener);
        return toDisposable(() => closeListeners.delete(listener));
      },
      end: () => undefined,
      dispose: close,
    };
  }

  async http(port: number, request: { method: string; path: string; headers: Record<string, string> }): Promise<HttpResponse | undefined> {
    if (!this.ports.includes(port)) return undefined;
    const ok = request.path === '/' || request.path.startsWith('/?');
    return { status: ok ? 200 : 404, headers: { 'Content-Type': 'text/html', Server: 'nginx/1.27.0' }, body: encode(ok ? NGINX_PAGE : `not found: ${request.path}\n`) };
  }

  listeningPorts(): number[] {
    return this.ports;
  }

  usage() {
    return { cpuNanoCores: 1_000_000, memoryBytes: 4 * 1024 * 1024 };
  }
}

/** Containers and logs registered by the test; everything else is "not running". */
export class FakePodBackend implements PodStreamBackend {
  private readonly containers = new Map<string, ScriptedContainer>();
  private readonly entries = new Map<string, LogEntry[]>();
  private readonly previous = new Map<string, LogEntry[]>();
  private readonly followers = new Map<string, Set<(entry: LogEntry) => void>>();
  private readonly enders = new Map<string, Set<() => void>>();

  add(namespace: string, pod: string, container: ScriptedContainer): void {
    this.containers.set(`${namespace}/${pod}/${container.config.name}`, container);
  }

  setLogs(namespace: string, pod: string, container: string, entries: LogEntry[], previous?: LogEntry[]): void {
    this.entries.set(`${namespace}/${pod}/${container}`, entries);
    if (previous) this.previous.set(`${namespace}/${pod}/${container}`, previous);
  }

  log(namespace: string, pod: string, container: string, entry: LogEntry): void {
    const key = `${namespace}/${pod}/${container}`;
    this.entries.set(key, [...(this.entries.get(key) ?? []), entry]);
    for (const f of this.followers.get(key) ?? []) f(entry);
  }

  /** How many follow subscriptions are open (a client that went away must not leave one behind). */
  followerCount(namespace: string, pod: string, container: string): number {
    return this.followers.get(`${namespace}/${pod}/${container}`)?.size ?? 0;
  }

  end(namespace: string, pod: string, container: string): void {
    for (const e of this.enders.get(`${namespace}/${pod}/${container}`) ?? []) e();
  }

  container(namespace: string, pod: string, container: string): ScriptedContainer | undefined {
    return this.containers.get(`${namespace}/${pod}/${container}`);
  }

  logs = {
    read: (namespace: string, pod: string, container: string, previous: boolean): LogEntry[] | undefined => {
      const key = `${namespace}/${pod}/${container}`;
      return previous ? this.previous.get(key) : this.entries.get(key);
    },
    follow: (namespace: string, pod: string, container: string, onEntry: (entry: LogEntry) => void, onEnd: () => void): Disposable => {
      const key = `${namespace}/${pod}/${container}`;
      const followers = this.followers.get(key) ?? new Set();
      const enders = this.enders.get(key) ?? new Set();
      this.followers.set(key, followers.add(onEntry));
      this.enders.set(key, enders.add(onEnd));
      return toDisposable(() => {
        followers.delete(onEntry);
        enders.delete(onEnd);
      });
    },
  };
}

/** Metrics objects as the kubelets would serve them; label selection by exact key=value pairs. */
export class FakeMetrics implements MetricsBackend {
  nodes: KubeObject[] = [];
  pods: KubeObject[] = [];
  nodeMetrics(): KubeObject[] {
    return this.nodes;
  }
  podMetrics(namespace: string, labelSelector?: string): KubeObject[] {
    const wanted = (labelSelector ?? '').split(',').filter(Boolean).map((r) => r.split('='));
    return this.pods.filter((p) => (!namespace || p.metadata.namespace === namespace) && wanted.every(([k, v]) => p.metadata.labels?.[k] === v));
  }
}
