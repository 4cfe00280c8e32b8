// Stopping a container as the kubelet does: preStop hook (within the grace period), SIGTERM, and
// SIGKILL when the grace period runs out.
import type { Container as V1Container, LifecycleHandler } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../clock/clock.js';
import type { Container } from '../runtime/types.js';
import type { Slot } from './slot.js';

function sleep(clock: Clock, ms: number): Promise<'timeout'> {
  return new Promise((resolve) => clock.setTimeout(() => resolve('timeout'), ms));
}

/** Runs a lifecycle handler (postStart, preStop); resolves with the failure, or undefined on success. */
export async function runHandler(handler: LifecycleHandler, spec: V1Container, instance: Container): Promise<string | undefined> {
  if (handler.exec) {
    let output = '';
    const decoder = new TextDecoder();
    const sink = (chunk: Uint8Array) => (output += decoder.decode(chunk));
    const command = handler.exec.command ?? [];
    const code = await instance.exec(command, { stdout: sink, stderr: sink, tty: false });
    return code === 0 ? undefined : `Exec lifecycle hook ([${command.join(' ')}]) for Container "${spec.name}" failed - error: command '${command.join(' ')}' exited with ${code}: ${output}`;
  }
  if (handler.httpGet) {
    const get = handler.httpGet;
    const port = typeof get.port === 'number' ? get.port : (spec.ports?.find((p) => p.name === get.port)?.containerPort ?? Number(get.port));
    const response = await instance.http(port, { method: 'GET', path: get.path ?? '/', headers: {} });
    if (!response) return `HTTP lifecycle hook (${get.path ?? '/'}) for Container "${spec.name}" failed - error: connection refused`;
    return response.status >= 200 && response.status < 400 ? undefined : `HTTP lifecycle hook (${get.path ?? '/'}) for Container "${spec.name}" failed - error: received status code ${response.status}`;
  }
  return undefined;
}

async function preStop(slot: Slot, instance: Container): Promise<void> {
  const hook = slot.spec.lifecycle?.preStop;
  if (hook) await runHandler(hook, slot.spec, instance);
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
