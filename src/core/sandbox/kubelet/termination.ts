// Stopping a container as the kubelet does: preStop hook (within the grace period), SIGTERM, and
// SIGKILL when the grace period runs out.
import type { Clock } from '../../clock/clock.js';
import type { Container } from '../runtime/types.js';
import type { Slot } from './slot.js';

function sleep(clock: Clock, ms: number): Promise<'timeout'> {
  return new Promise((resolve) => clock.setTimeout(() => resolve('timeout'), ms));
}

async function preStop(slot: Slot, instance: Container): Promise<void> {
  const hook = slot.spec.lifecycle?.preStop;
  if (!hook) return;
  const sink = () => undefined;
  if (hook.exec) await instance.exec(hook.exec.command ?? [], { stdout: sink, stderr: sink, tty: false });
  else if (hook.httpGet) {
    const port = typeof hook.httpGet.port === 'number' ? hook.httpGet.port : (slot.spec.ports?.find((p) => p.name === hook.httpGet?.port)?.containerPort ?? 0);
    await instance.http(port, { method: 'GET', path: hook.httpGet.path ?? '/', headers: {} });
  }
}

/** Resolves once the instance exited. */
export async function stopContainer(slot: Slot, instance: Container, graceSeconds: number, clock: Clock, runPreStop: boolean): Promise<void> {
  if (slot.instance !== instance) return;
  const exited = new Promise<'exited'>((resolve) => slot.exitWaiters.push(() => resolve('exited')));
  const deadline = clock.now().getTime() + Math.max(0, graceSeconds) * 1000;
  const remaining = () => Math.max(0, deadline - clock.now().getTime());
  if (runPreStop && graceSeconds > 0) {
    await Promise.race([preStop(slot, instance).catch(() => undefined), exited, sleep(clock, remaining())]);
  }
  if (slot.instance !== instance) return;
  instance.signal('SIGTERM');
  const outcome = await Promise.race([exited, sleep(clock, remaining())]);
  if (outcome === 'timeout' && slot.instance === instance) {
    instance.signal('SIGKILL');
    await exited;
  }
}
