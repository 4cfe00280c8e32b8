// A test double of the container runtime contract (runtime/types.ts) for the kubelet's tests, until
// and besides the real simulated runtime: a container's command is a tiny script of steps such as
// `print:hello`, `sleep:5`, `exit:1`, `listen:80`, `http:80:/healthz:404`, `touch:/tmp/ok`, `rm:/tmp/ok`,
// `ignore-term`, `oom`, `forever`, run on the injected clock.
import type { Disposable } from '../../../shared/disposable.js';
import type { Clock } from '../../clock/clock.js';
import type {
  Container,
  ContainerConfig,
  ContainerConnection,
  ContainerExit,
  ContainerRuntime,
  HttpResponse,
  ImageInfo,
  OutputStream,
  PullResult,
} from '../runtime/types.js';

const DEFAULT_SCRIPTS: Record<string, string[]> = {
  nginx: ['listen:80', 'print:/docker-entrypoint.sh: Configuration complete; ready for start up', 'forever'],
  busybox: ['exit:0'],
  'hello-world': ['print:Hello from Docker!', 'exit:0'],
  redis: ['listen:6379', 'print:Ready to accept connections tcp', 'forever'],
};

function imageName(ref: string): string {
  const noTag = ref.replace(/[:@].*$/, '');
  return noTag.split('/').pop() ?? noTag;
}

function normalize(ref: string): string {
  const hasTag = /:[^/]+$/.test(ref) || ref.includes('@');
  const withTag = hasTag ? ref : `${ref}:latest`;
  return withTag.includes('/') ? `docker.io/${withTag}` : `docker.io/library/${withTag}`;
}

class Emitter<T extends unknown[]> {
  private readonly listeners = new Set<(...args: T) => void>();
  on(listener: (...args: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  fire(...args: T): void {
    for (const l of [...this.listeners]) l(...args);
  }
}

export interface TestRuntimeOptions {
  /** Clock time a pull takes (default 0: resolves at once, reporting 1234 ms). */
  pullDelayMs?: number;
}

export class TestContainer implements Container {
  private readonly outputs = new Emitter<[OutputStream, Uint8Array, Date]>();
  private readonly exits = new Emitter<[ContainerExit]>();
  private readonly listening = new Set<number>();
  private readonly responses = new Map<string, number>();
  readonly files = new Set<string>();
  private timer: Disposable | undefined;
  private ignoreTerm = false;
  private exited: ContainerExit | undefined;
  started = false;
  readonly signals: string[] = [];
  readonly execs: string[][] = [];
  /** Connections and HTTP requests this container accepted. */
  hits = 0;

  constructor(
    readonly config: ContainerConfig,
    private readonly script: string[],
    private readonly clock: Clock,
  ) {
    for (const f of config.files) this.files.add(f.path);
  }

  start(): void {
    this.started = true;
    this.step(0);
  }

  private step(index: number): void {
    if (this.exited) return;
    for (let i = index; i < this.script.length; i++) {
      const [op, ...rest] = this.script[i].split(':');
      const arg = rest.join(':');
      switch (op) {
        case 'print':
          this.outputs.fire('stdout', new TextEncoder().encode(`${arg}\n`), this.clock.now());
          break;
        case 'env':
          this.outputs.fire('stdout', new TextEncoder().encode(`${this.config.env.find(([k]) => k === arg)?.[1] ?? ''}\n`), this.clock.now());
          break;
        case 'sleep':
          this.timer = this.clock.setTimeout(() => this.step(i + 1), Number(arg) * 1000);
          return;
        case 'exit':
          this.finish({ exitCode: Number(arg), reason: Number(arg) === 0 ? 'Completed' : 'Error' });
          return;
        case 'oom':
          this.finish({ exitCode: 137, reason: 'OOMKilled' });
          return;
        case 'listen':
          this.listening.add(Number(arg));
          break;
        case 'unlisten':
          this.listening.delete(Number(arg));
          break;
        case 'http': {
          const [port, path, status] = rest;
          this.responses.set(`${port}${path}`, Number(status));
          break;
        }
        case 'touch':
          this.files.add(arg);
          break;
        case 'rm':
          this.files.delete(arg);
          break;
        case 'ignore-term':
          this.ignoreTerm = true;
          break;
        case 'forever':
          return;
        default:
          throw new Error(`test runtime: unknown script step "${this.script[i]}" (see test-runtime.ts for the steps)`);
      }
    }
    this.finish({ exitCode: 0, reason: 'Completed' });
  }

  private finish(exit: ContainerExit): void {
    if (this.exited) return;
    this.exited = exit;
    this.timer?.dispose();
    this.listening.clear();
    this.exits.fire(exit);
  }

  onDidOutput(listener: (stream: OutputStream, chunk: Uint8Array, at: Date) => void): Disposable {
    return this.outputs.on(listener);
  }

  onDidExit(listener: (exit: ContainerExit) => void): Disposable {
    return this.exits.on(listener);
  }

  signal(signal: 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGHUP'): void {
    this.signals.push(signal);
    if (!this.started) return;
    if (signal === 'SIGKILL') this.finish({ exitCode: 137, reason: 'Error', signal: 9 });
    else if (signal === 'SIGTERM' && !this.ignoreTerm) this.finish({ exitCode: 0, reason: 'Completed' });
  }

  async exec(command: string[]): Promise<number> {
    this.execs.push(command);
    if (this.exited) return 126;
    if (command[0] === 'true') return 0;
    if (command[0] === 'false') return 1;
    if (command[0] === 'cat' || (command[0] === 'test' && command[1] === '-e')) return this.files.has(command[command.length - 1]) ? 0 : 1;
    if (command[0] === 'sh' && command[1] === '-c' && command[2]?.startsWith('exit ')) return Number(command[2].slice(5));
    return 127;
  }

  async attach(): Promise<void> {
    return undefined;
  }

  connect(port: number): ContainerConnection | undefined {
    if (!this.listening.has(port)) return undefined;
    this.hits++;
    const closed = new Emitter<[]>();
    return {
      write: () => undefined,
      onDidData: () => ({ dispose: () => undefined }),
      onDidClose: (l) => closed.on(l),
      end: () => closed.fire(),
      dispose: () => undefined,
    };
  }

  async http(port: number, request: { method: string; path: string }): Promise<HttpResponse | undefined> {
    if (!this.listening.has(port)) return undefined;
    this.hits++;
    const status = this.responses.get(`${port}${request.path}`) ?? 200;
    return { status, headers: {}, body: new TextEncoder().encode(status === 200 ? 'ok' : 'error') };
  }

  listeningPorts(): number[] {
    return [...this.listening];
  }

  usage(): { cpuNanoCores: number; memoryBytes: number } {
    return this.started && !this.exited ? { cpuNanoCores: 1_000_000, memoryBytes: 4 * 1024 * 1024 } : { cpuNanoCores: 0, memoryBytes: 0 };
  }

  dispose(): void {
    this.timer?.dispose();
  }
}

export class TestRuntime implements ContainerRuntime {
  readonly created: TestContainer[] = [];
  readonly pulls: string[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly options: TestRuntimeOptions = {},
  ) {}

  async pull(image: string): Promise<PullResult> {
    this.pulls.push(image);
    const info = this.images().find((i) => i.reference === normalize(image));
    if (this.options.pullDelayMs) await new Promise<void>((resolve) => this.clock.setTimeout(resolve, this.options.pullDelayMs ?? 0));
    if (!info) {
      return {
        ok: false,
        reason: 'ErrImagePull',
        message: `failed to pull and unpack image "${normalize(image)}": image not in the sandbox catalog`,
      };
    }
    return { ok: true, image: info, durationMs: this.options.pullDelayMs || 1234 };
  }

  create(config: ContainerConfig): TestContainer {
    const script = config.command ?? config.args ?? DEFAULT_SCRIPTS[imageName(config.image)] ?? ['exit:0'];
    const container = new TestContainer(config, config.command ? [...script, ...(config.args ?? [])] : script, this.clock);
    this.created.push(container);
    return container;
  }

  images(): ImageInfo[] {
    return Object.keys(DEFAULT_SCRIPTS).flatMap((name) =>
      ['latest', '1.27'].map((tag) => ({
        reference: normalize(`${name}:${tag}`),
        digest: `sha256:${Buffer.from(`${name}:${tag}`).toString('hex').padEnd(64, '0').slice(0, 64)}`,
        sizeBytes: name === 'nginx' ? 72099410 : 2156000,
        entrypoint: [],
        cmd: DEFAULT_SCRIPTS[name],
        workingDir: '/',
        env: [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']],
        exposedPorts: name === 'nginx' ? [80] : [],
      })),
    );
  }

  /** The latest instance of a container, for assertions. */
  latest(podName: string, container: string): TestContainer | undefined {
    return this.created.filter((c) => c.config.podName === podName && c.config.name === container).pop();
  }
}

export { normalize as normalizeImageReference };
