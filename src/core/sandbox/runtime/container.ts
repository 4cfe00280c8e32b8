// One simulated container: its filesystem, its main process (PID 1), exec sessions, listeners and
// resource use. No host process is involved: programs are the simulated shell and tools.
import type { Disposable } from '../../../shared/disposable.js';
import { toDisposable } from '../../../shared/disposable.js';
import type { Container, ContainerConfig, ContainerConnection, ContainerExit, HttpRequest, HttpResponse, NetworkEndpoint, OutputStream as OutStream, ProcessIo, RuntimeDeps } from './types.js';
import type { ImageDef } from './images/catalog.js';
import type { Listener, Program, ProgramContext, System } from './shell/system.js';
import { InputStream, Pipe, decode, encode, sinkOutput } from './shell/io.js';
import { OutOfMemory, ProcessTable, Terminated, signalNumber, type Proc } from './shell/process.js';
import { toolsFor } from './tools/index.js';
import { Vfs, normalizePath, type Node as FsNode } from './vfs.js';
import { buildImageFiles, writePodFiles } from './images/files.js';
import { httpConnection } from './images/http-connection.js';

interface ImageLayer {
  programs: Map<string, Program>;
  byPath: Map<string, Program>;
  files: ReadonlyMap<string, FsNode>;
}

// Containers of the same image share its programs and files (copy-on-write), as overlayfs does.
const layers = new WeakMap<object, Map<string, ImageLayer>>();

function imageLayer(image: ResolvedImage, now: () => Date): ImageLayer {
  let byVersion = layers.get(image.def);
  if (!byVersion) layers.set(image.def, (byVersion = new Map()));
  const key = `${image.version}|${image.tag}`;
  const cached = byVersion.get(key);
  if (cached) return cached;
  const programs = new Map<string, Program>();
  const byPath = new Map<string, Program>();
  for (const [name, p] of toolsFor(image.def.os, image.def.extraTools)) programs.set(name, p);
  for (const [path, p] of Object.entries(image.def.programs?.(image.version) ?? {})) {
    byPath.set(path, p);
    programs.set(path.split('/').pop() ?? path, p);
  }
  const fs = new Vfs(now);
  buildImageFiles(fs, image, [...programs.keys()], [...byPath.keys()]);
  const layer = { programs, byPath, files: fs.snapshot() };
  byVersion.set(key, layer);
  return layer;
}

type OutputListener = (stream: OutStream, chunk: Uint8Array, at: Date) => void;

export interface ResolvedImage {
  def: ImageDef;
  version: string;
  tag: string;
}

export class SimContainer implements Container {
  readonly fs: Vfs;
  private readonly procs: ProcessTable;
  private readonly programs: ReadonlyMap<string, Program>;
  private readonly byPath: ReadonlyMap<string, Program>;
  private readonly listeners = new Map<number, Listener>();
  private readonly outputListeners = new Set<OutputListener>();
  private readonly exitListeners = new Set<(exit: ContainerExit) => void>();
  private readonly system: System;
  private main?: Proc;
  private mainStdin?: Pipe;
  private exited?: ContainerExit;
  private memory = 0;
  private cpu = 0;
  private tail = '';
  private started = false;

  constructor(
    readonly config: ContainerConfig,
    private readonly image: ResolvedImage,
    private readonly deps: RuntimeDeps,
  ) {
    const layer = imageLayer(image, () => deps.clock.now());
    this.programs = layer.programs;
    this.byPath = layer.byPath;
    this.fs = new Vfs(() => deps.clock.now(), layer.files);
    this.procs = new ProcessTable(deps.clock);
    writePodFiles(this.fs, config);
    // Like containerd, create a missing working directory rather than fail.
    if (config.workingDir) this.fs.mkdir(normalizePath('/', config.workingDir), true);
    for (const f of config.files) {
      this.fs.mkdir(normalizePath('/', f.path).replace(/\/[^/]*$/, '') || '/', true);
      this.fs.writeFile(normalizePath('/', f.path), f.content, { mode: f.mode });
    }
    for (const v of config.volumes) this.fs.mount(v);
    const searchDomains = [`${config.namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'];
    this.system = {
      fs: this.fs,
      clock: deps.clock,
      procs: this.procs,
      hostname: config.hostname,
      podIP: config.podIP,
      namespace: config.namespace,
      os: image.def.os,
      image: { repository: image.def.repository, tag: image.tag },
      searchDomains,
      resolver: deps.resolver,
      network: deps.network,
      ingress: deps.ingress,
      findProgram: (name) => this.findProgram(name),
      localEndpoint: (port) => this.endpoint(port),
      pid1Output: (stream) => sinkOutput((c) => this.emit(stream, c)),
      listen: (port, listener) => {
        this.listeners.set(port, listener);
        return toDisposable(() => {
          if (this.listeners.get(port) === listener) this.listeners.delete(port);
        });
      },
      allocate: (bytes) => {
        this.memory += bytes;
        if (this.config.memoryLimitBytes > 0 && this.baseMemory() + this.memory > this.config.memoryLimitBytes) {
          this.oomKill();
          throw new OutOfMemory('out of memory');
        }
      },
      release: (bytes) => {
        this.memory = Math.max(0, this.memory - bytes);
      },
      busy: (nanoCores) => {
        this.cpu += nanoCores;
        return toDisposable(() => (this.cpu -= nanoCores));
      },
    };
  }

  private findProgram(name: string): Program | undefined {
    if (!name.includes('/')) return this.programs.get(name);
    const path = normalizePath('/', name);
    const own = this.byPath.get(path);
    if (own) return own;
    const base = path.split('/').pop() ?? '';
    // Debian merges /bin into /usr/bin: any standard bin directory finds the image's programs.
    if (/^\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(path) && this.programs.has(base)) return this.programs.get(base);
    if (this.fs.stat(path)?.type === 'file') {
      const text = this.fs.readText(path);
      const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
      const interpreter = shebang ? this.findProgram(shebang[1]) : this.programs.get('sh');
      if (!interpreter) return undefined;
      return (ctx) => interpreter({ ...ctx, argv: [shebang?.[1] ?? 'sh', ...(shebang?.[2] ? [shebang[2]] : []), name, ...ctx.argv.slice(1)] });
    }
    return undefined;
  }

  private endpoint(port: number): NetworkEndpoint | undefined {
    if (!this.listeners.has(port)) return undefined;
    return { http: (req) => this.http(port, req), connect: () => this.connect(port) };
  }

  private baseMemory(): number {
    return Math.round((this.image.def.memoryMB ?? 1) * 1024 * 1024 * 0.25) + 600 * 1024;
  }

  private emit(stream: OutStream, chunk: Uint8Array): void {
    const at = this.deps.clock.now();
    this.tail = (this.tail + decode(chunk)).slice(-4096);
    for (const l of [...this.outputListeners]) l(stream, chunk, at);
  }

  private env(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of this.image.def.env ?? []) env[k] = v;
    env.HOSTNAME = this.config.hostname;
    for (const [k, v] of this.config.env) env[k] = v;
    if (!env.PATH) env.PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
    env.HOME ??= '/root';
    return env;
  }

  private argv(): string[] {
    const { command, args } = this.config;
    const def = this.image.def;
    return [...(command ?? def.entrypoint), ...(args ?? (command ? [] : def.cmd))];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const argv = this.argv();
    const program = argv.length ? this.findProgram(argv[0]) : undefined;
    if (!program) {
      const what = argv.length ? `exec: "${argv[0]}": ${argv[0].includes('/') ? 'stat ' + argv[0] + ': no such file or directory' : 'executable file not found in $PATH'}` : 'no command specified';
      this.finish({ exitCode: 128, reason: 'StartError', message: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${what}: unknown` });
      return;
    }
    this.mainStdin = this.config.stdin ? new Pipe() : undefined;
    const main = this.procs.spawn(argv);
    this.main = main;
    const ctx: ProgramContext = {
      argv,
      env: this.env(),
      cwd: this.config.workingDir || this.image.def.workingDir || '/',
      stdin: this.mainStdin?.input ?? InputStream.empty(),
      stdout: sinkOutput((c) => this.emit('stdout', this.config.tty ? crlf(c) : c)),
      stderr: sinkOutput((c) => this.emit(this.config.tty ? 'stdout' : 'stderr', this.config.tty ? crlf(c) : c)),
      proc: main,
      sys: this.system,
      tty: this.config.tty,
    };
    void this.runMain(program, ctx, main);
  }

  private async runMain(program: Program, ctx: ProgramContext, main: Proc): Promise<void> {
    let exit: ContainerExit;
    try {
      const code = await program(ctx);
      exit = { exitCode: code & 255, reason: code === 0 ? 'Completed' : 'Error' };
    } catch (e) {
      if (e instanceof Terminated) exit = { exitCode: e.exitCode, reason: 'Error', signal: e.signal };
      else if (e instanceof OutOfMemory) exit = { exitCode: 137, reason: 'OOMKilled', signal: 9 };
      else exit = { exitCode: 128, reason: 'Error', message: `simulated program failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (this.oomKilled) exit = { exitCode: 137, reason: 'OOMKilled', signal: 9 };
    this.procs.reap(main);
    this.finish(exit);
  }

  private oomKilled = false;

  private oomKill(): void {
    this.oomKilled = true;
    this.procs.killAll(9);
  }

  private finish(exit: ContainerExit): void {
    if (this.exited) return;
    this.procs.killAll(9);
    this.listeners.clear();
    let message = exit.message;
    try {
      const written = this.fs.readText('/dev/termination-log');
      if (written) message = written;
    } catch {
      // No termination message written: the kubelet may fall back to the log tail.
    }
    this.exited = { ...exit, message, logTail: this.tail ? this.tail.slice(-2048) : undefined };
    this.mainStdin?.close();
    for (const l of [...this.exitListeners]) l(this.exited);
  }

  onDidOutput(listener: OutputListener): Disposable {
    this.outputListeners.add(listener);
    return toDisposable(() => this.outputListeners.delete(listener));
  }

  onDidExit(listener: (exit: ContainerExit) => void): Disposable {
    if (this.exited) {
      const e = this.exited;
      queueMicrotask(() => listener(e));
      return toDisposable(() => undefined);
    }
    this.exitListeners.add(listener);
    return toDisposable(() => this.exitListeners.delete(listener));
  }

  signal(signal: 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGHUP'): void {
    const n = signalNumber(signal) ?? 15;
    if (n === 9) {
      this.procs.killAll(9);
      return;
    }
    this.main?.signal(n);
  }

  async exec(command: string[], io: ProcessIo): Promise<number> {
    if (this.exited || !this.started) {
      io.stderr(encode('error: unable to upgrade connection: container not found\n'));
      return 126;
    }
    const program = command.length ? this.findProgram(command[0]) : undefined;
    if (!program) {
      // runc searches PATH only for a name without a slash; anything else is stat'ed as a path.
      const name = command[0] ?? '';
      const why = name.includes('/') ? `stat ${name}: no such file or directory` : 'executable file not found in $PATH';
      io.stderr(encode(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${why}: unknown\n`));
      return 127;
    }
    const proc = this.procs.spawn(command);
    const resize = io.onResize?.(() => undefined);
    try {
      return await program({
        argv: command,
        env: { ...this.env(), ...(io.tty ? { TERM: 'xterm' } : {}) },
        cwd: this.config.workingDir || this.image.def.workingDir || '/',
        stdin: io.stdin ? InputStream.fromIterable(io.stdin) : InputStream.empty(),
        stdout: sinkOutput((c) => io.stdout(io.tty ? crlf(c) : c)),
        stderr: sinkOutput((c) => (io.tty ? io.stdout(crlf(c)) : io.stderr(c))),
        proc,
        sys: this.system,
        tty: io.tty,
      });
    } catch (e) {
      if (e instanceof Terminated) return e.exitCode;
      if (e instanceof OutOfMemory) return 137;
      throw e;
    } finally {
      resize?.dispose();
      this.procs.reap(proc);
    }
  }

  async attach(io: ProcessIo): Promise<void> {
    if (this.exited) return;
    const sub = this.onDidOutput((stream, chunk) => (stream === 'stdout' ? io.stdout(chunk) : io.stderr(chunk)));
    const done = new Promise<void>((resolve) => this.onDidExit(() => resolve()));
    const pipe = this.mainStdin;
    if (io.stdin && pipe) {
      void (async () => {
        for await (const chunk of io.stdin ?? []) await pipe.output.write(chunk).catch(() => undefined);
        if (this.config.stdinOnce) pipe.close();
      })();
    }
    try {
      await done;
    } finally {
      sub.dispose();
    }
  }

  connect(port: number): ContainerConnection | undefined {
    const l = this.listeners.get(port);
    if (!l) return undefined;
    return httpConnection(l, this.config.podIP === '' ? '127.0.0.1' : '127.0.0.1');
  }

  async http(port: number, request: HttpRequest): Promise<HttpResponse | undefined> {
    const l = this.listeners.get(port);
    if (!l?.http) return undefined;
    return l.http({ ...request, headers: lowerKeys(request.headers) });
  }

  listeningPorts(): number[] {
    return [...this.listeners.keys()].sort((a, b) => a - b);
  }

  usage(): { cpuNanoCores: number; memoryBytes: number } {
    if (this.exited || !this.started) return { cpuNanoCores: 0, memoryBytes: 0 };
    const limit = this.config.cpuLimitNanoCores ?? 0;
    const cpu = 1_000_000 + Math.min(this.cpu, 2_000_000_000);
    return { cpuNanoCores: limit > 0 ? Math.min(cpu, limit) : cpu, memoryBytes: this.baseMemory() + this.memory };
  }

  dispose(): void {
    this.procs.killAll(9);
    this.listeners.clear();
    this.outputListeners.clear();
  }
}

function crlf(c: Uint8Array): Uint8Array {
  const s = decode(c);
  return s.includes('\n') ? encode(s.replace(/\r?\n/g, '\r\n')) : c;
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}
