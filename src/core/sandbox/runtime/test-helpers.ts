// Helpers for the runtime's tests: a runtime on a fake clock, containers with captured output, and a
// way to let simulated programs run while fake time passes.
import { FakeClock } from '../../clock/clock.js';
import type { Container, ContainerConfig, ContainerExit, HttpRequest, Network, Resolver } from './types.js';
import { createRuntime } from './runtime.js';
import { decode, encode } from './shell/io.js';

export async function flush(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export async function advance(clock: FakeClock, ms: number, step = 50): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await flush(5);
  }
}

export function config(overrides: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    id: 'containerd://' + 'a'.repeat(64),
    podName: 'pod',
    namespace: 'default',
    podUid: 'uid-1',
    podIP: '10.244.1.5',
    nodeName: 'node-1',
    hostname: 'pod',
    name: 'main',
    image: 'busybox',
    env: [],
    tty: false,
    stdin: false,
    stdinOnce: false,
    files: [],
    volumes: [],
    memoryLimitBytes: 0,
    ...overrides,
  };
}

export interface Harness {
  clock: FakeClock;
  resolver: Resolver & { records: Map<string, string[]> };
  network: Network & { containers: Map<string, Container> };
  start(overrides: Partial<ContainerConfig>): Promise<Started>;
}

export interface Started {
  container: Container;
  stdout(): string;
  stderr(): string;
  lines: { stream: string; text: string; at: number }[];
  exit(): ContainerExit | undefined;
}

export function harness(): Harness {
  const clock = new FakeClock(Date.UTC(2026, 10, 24, 20, 0, 0));
  const records = new Map<string, string[]>();
  const containers = new Map<string, Container>();
  const resolver = { records, resolve: (name: string) => records.get(name) };
  const network = {
    containers,
    connect(ip: string, port: number) {
      const c = containers.get(ip);
      if (!c || !c.listeningPorts().includes(port)) return undefined;
      return { http: (req: HttpRequest) => c.http(port, req) };
    },
  };
  const runtime = createRuntime({ clock, resolver, network });
  return {
    clock,
    resolver,
    network,
    async start(overrides) {
      const c = runtime.create(config(overrides));
      containers.set(c.config.podIP, c);
      let out = '';
      let err = '';
      const lines: Started['lines'] = [];
      let exit: ContainerExit | undefined;
      c.onDidOutput((stream, chunk, at) => {
        const text = decode(chunk);
        if (stream === 'stdout') out += text;
        else err += text;
        lines.push({ stream, text, at: at.getTime() });
      });
      c.onDidExit((e) => (exit = e));
      c.start();
      await flush();
      return { container: c, stdout: () => out, stderr: () => err, lines, exit: () => exit };
    },
  };
}

/** Runs a script in a busybox container until it exits (fake time advances as needed). */
export async function sh(script: string, overrides: Partial<ContainerConfig> = {}, h = harness()): Promise<{ out: string; err: string; code: number; exit: ContainerExit }> {
  const s = await h.start({ command: ['sh', '-c', script], ...overrides });
  for (let i = 0; i < 2000 && !s.exit(); i++) await advance(h.clock, 100, 100);
  const exit = s.exit();
  if (!exit) throw new Error(`script did not finish: ${script}\nstdout so far: ${s.stdout()}`);
  return { out: s.stdout(), err: s.stderr(), code: exit.exitCode, exit };
}

export async function execIn(container: Container, command: string[], input?: string, tty = false): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const stdin = input === undefined ? undefined : (async function* () {
    yield encode(input);
  })();
  const code = await container.exec(command, { stdin, tty, stdout: (c) => (out += decode(c)), stderr: (c) => (err += decode(c)) });
  return { out, err, code };
}
