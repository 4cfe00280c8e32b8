// Simulated processes: a pid, a place in `ps`, and termination by signal. Every wait of a program
// (sleep, reading stdin, a network answer) races the process's termination, so SIGKILL ends a
// program wherever it is, as the kernel would.
import type { Clock } from '../../../clock/clock.js';

export const signalNumbers: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15 };

export function signalNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const n = name.toUpperCase().replace(/^SIG/, '');
  return signalNumbers[n];
}

export function signalName(n: number): string {
  return Object.entries(signalNumbers).find(([, v]) => v === n)?.[0] ?? String(n);
}

export class Terminated extends Error {
  constructor(readonly signal: number) {
    super(`terminated by signal ${signal}`);
  }
  get exitCode(): number {
    return 128 + this.signal;
  }
}

/** Thrown inside a program when the container's memory limit is exceeded. */
export class OutOfMemory extends Error {}

export class Proc {
  terminated?: Terminated;
  private cancelListeners = new Set<(t: Terminated) => void>();
  readonly children = new Set<Proc>();
  /** A signal handler (shell trap, nginx's graceful shutdown); returns true when it took the signal. */
  handler?: (signal: number) => boolean;

  constructor(
    readonly pid: number,
    public argv: string[],
    readonly startedAt: Date,
    private readonly clock: Clock,
    readonly parent?: Proc,
  ) {
    parent?.children.add(this);
  }

  /** Delivers a signal with Linux semantics: PID 1 ignores signals it has no handler for, except KILL. */
  signal(sig: number): void {
    if (this.terminated) return;
    if (sig !== 9 && this.handler?.(sig)) return;
    if (sig !== 9 && this.pid === 1) return;
    if (sig === 0) return;
    this.kill(sig);
  }

  /** Ends this process and its descendants now. */
  kill(sig: number): void {
    if (this.terminated) return;
    const t = new Terminated(sig);
    this.terminated = t;
    for (const l of [...this.cancelListeners]) l(t);
    this.cancelListeners.clear();
    for (const c of this.children) c.kill(sig);
  }

  exit(): void {
    this.parent?.children.delete(this);
  }

  check(): void {
    if (this.terminated) throw this.terminated;
  }

  onTerminate(listener: (t: Terminated) => void): () => void {
    if (this.terminated) {
      listener(this.terminated);
      return () => undefined;
    }
    this.cancelListeners.add(listener);
    return () => this.cancelListeners.delete(listener);
  }

  /** Waits for p unless the process is terminated first. */
  race<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const off = this.onTerminate(reject);
      p.then(
        (v) => {
          off();
          resolve(v);
        },
        (e: unknown) => {
          off();
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.terminated) return reject(this.terminated);
      const timer = this.clock.setTimeout(() => {
        off();
        resolve();
      }, ms);
      const off = this.onTerminate((t) => {
        timer.dispose();
        reject(t);
      });
    });
  }
}

export class ProcessTable {
  private nextPid = 1;
  readonly procs = new Map<number, Proc>();

  constructor(private readonly clock: Clock) {}

  spawn(argv: string[], parent?: Proc): Proc {
    const p = new Proc(this.nextPid++, argv, this.clock.now(), this.clock, parent);
    this.procs.set(p.pid, p);
    return p;
  }

  reap(p: Proc): void {
    p.exit();
    this.procs.delete(p.pid);
  }

  killAll(sig: number): void {
    for (const p of [...this.procs.values()]) p.kill(sig);
  }
}
