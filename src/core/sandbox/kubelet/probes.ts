// Startup, readiness and liveness probes with their real parameters, run against the simulated
// container: a worker per probe probes every periodSeconds after initialDelaySeconds and reports a
// result once successThreshold/failureThreshold consecutive outcomes agree.
import type { Container as V1Container, Probe } from 'kubernetes-types/core/v1.js';
import type { Disposable } from '../../../shared/disposable.js';
import type { Clock } from '../../clock/clock.js';
import type { Container } from '../runtime/types.js';

export type ProbeKind = 'startup' | 'readiness' | 'liveness';

export interface ProbeOutcome {
  ok: boolean;
  /** The failure as the kubelet words it after "Liveness probe failed: ". */
  message: string;
}

function portOf(spec: V1Container, port: number | string | undefined): number {
  if (typeof port === 'number') return port;
  const named = spec.ports?.find((p) => p.name === port);
  return named?.containerPort ?? Number(port ?? 0);
}

/** One probe attempt; never rejects. */
export async function runProbe(probe: Probe, spec: V1Container, container: Container, podIP: string, clock: Clock): Promise<ProbeOutcome> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  let timer: Disposable | undefined;
  // The timeout yields once before it wins: an answer already on its way (a fast clock fires the
  // timer in the same tick as the probe) is not reported as a timeout.
  const timeout = new Promise<'timeout'>((resolve) => (timer = clock.setTimeout(() => setImmediate(() => resolve('timeout')), timeoutMs)));
  try {
    if (probe.exec) {
      let output = '';
      const decoder = new TextDecoder();
      const run = container.exec(probe.exec.command ?? [], {
        stdout: (c) => (output += decoder.decode(c)),
        stderr: (c) => (output += decoder.decode(c)),
        tty: false,
      });
      const code = await Promise.race([run, timeout]);
      if (code === 'timeout') return { ok: false, message: `command timed out: "${(probe.exec.command ?? []).join(' ')}" timed out after ${probe.timeoutSeconds ?? 1}s` };
      return { ok: code === 0, message: output };
    }
    if (probe.httpGet) {
      const port = portOf(spec, probe.httpGet.port);
      const path = probe.httpGet.path ?? '/';
      const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
      const host = probe.httpGet.host ?? podIP;
      const url = `${scheme}://${host}:${port}${path}`;
      const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
      for (const h of probe.httpGet.httpHeaders ?? []) headers[h.name] = h.value;
      const response = await Promise.race([container.http(port, { method: 'GET', path, headers }), timeout]);
      if (response === 'timeout') return { ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
      if (!response) return { ok: false, message: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
      if (response.status >= 200 && response.status < 400) return { ok: true, message: '' };
      return { ok: false, message: `HTTP probe failed with statuscode: ${response.status}` };
    }
    if (probe.tcpSocket || probe.grpc) {
      const port = probe.tcpSocket ? portOf(spec, probe.tcpSocket.port) : (probe.grpc?.port ?? 0);
      const conn = container.connect(port);
      if (!conn) {
        return probe.grpc
          ? { ok: false, message: `timeout: failed to connect service "${podIP}:${port}" within ${probe.timeoutSeconds ?? 1}s: context deadline exceeded` }
          : { ok: false, message: `dial tcp ${podIP}:${port}: connect: connection refused` };
      }
      conn.dispose();
      return { ok: true, message: '' };
    }
    return { ok: true, message: '' };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    timer?.dispose();
  }
}

export interface ProbeListener {
  /** Each failed attempt (an Unhealthy event). */
  failed(kind: ProbeKind, message: string): void;
  /** The probe's result changed (thresholds reached). */
  result(kind: ProbeKind, ok: boolean): void;
}

export class ProbeWorker implements Disposable {
  private timer: Disposable | undefined;
  private successes = 0;
  private failures = 0;
  private last: boolean | undefined;
  private stopped = false;

  constructor(
    readonly kind: ProbeKind,
    private readonly probe: Probe,
    private readonly spec: V1Container,
    private readonly container: Container,
    private readonly podIP: string,
    private readonly clock: Clock,
    private readonly listener: ProbeListener,
  ) {}

  /** When the next probe is due: a ticker, so slow probes do not make the period drift. */
  private dueAt = 0;

  start(): void {
    this.dueAt = this.clock.now().getTime();
    this.schedule((this.probe.initialDelaySeconds ?? 0) * 1000);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.dueAt += ms;
    this.timer = this.clock.setTimeout(() => void this.tick(), Math.max(0, this.dueAt - this.clock.now().getTime()));
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const outcome = await runProbe(this.probe, this.spec, this.container, this.podIP, this.clock);
    if (this.stopped) return;
    const successThreshold = this.probe.successThreshold ?? 1;
    const failureThreshold = this.probe.failureThreshold ?? 3;
    if (outcome.ok) {
      this.successes++;
      this.failures = 0;
      if (this.successes >= successThreshold && this.last !== true) {
        this.last = true;
        this.listener.result(this.kind, true);
      }
    } else {
      this.failures++;
      this.successes = 0;
      this.listener.failed(this.kind, outcome.message);
      if (this.failures >= failureThreshold && this.last !== false) {
        this.last = false;
        this.listener.result(this.kind, false);
      }
      // Liveness and startup restart the container: the count starts over for the next instance.
      if (this.failures >= failureThreshold && this.kind !== 'readiness') return;
    }
    // A startup probe stops once it succeeded.
    if (this.kind === 'startup' && this.last === true) return;
    this.schedule((this.probe.periodSeconds ?? 10) * 1000);
  }

  dispose(): void {
    this.stopped = true;
    this.timer?.dispose();
  }
}
