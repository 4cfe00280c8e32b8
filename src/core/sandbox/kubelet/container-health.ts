// A running container's health as the kubelet watches it: startup, liveness and readiness probes and
// the postStart hook; a failure kills the container so it restarts under the pod's restartPolicy.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../clock/clock.js';
import type { Container } from '../runtime/types.js';
import type { RecordedEvent } from './events.js';
import { ProbeWorker, type ProbeKind } from './probes.js';
import { fieldPath, type Slot } from './slot.js';
import { runHandler, stopContainer } from './termination.js';

export interface HealthContext {
  clock: Clock;
  podIP: string;
  pod(): Pod;
  /** false once the pod terminates or the instance was replaced: results are then ignored. */
  current(slot: Slot, instance: Container): boolean;
  event(event: RecordedEvent): void;
  /** The container started (startup probe passed): what waited for it may go on. */
  started(): void;
  changed(): void;
}

function kill(ctx: HealthContext, slot: Slot, instance: Container, graceSeconds?: number): void {
  const pod = ctx.pod();
  slot.restartAfterKill = (pod.spec?.restartPolicy ?? 'Always') !== 'Never';
  void stopContainer(slot, instance, graceSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30, ctx.clock, false);
}

export function runPostStart(ctx: HealthContext, slot: Slot, instance: Container): void {
  const hook = slot.spec.lifecycle?.postStart;
  if (!hook) return;
  void runHandler(hook, slot.spec, instance).then((failure) => {
    if (failure === undefined || !ctx.current(slot, instance)) return;
    ctx.event({ type: 'Warning', reason: 'FailedPostStartHook', message: failure, fieldPath: fieldPath(slot) });
    ctx.event({ type: 'Normal', reason: 'Killing', message: 'FailedPostStartHook', fieldPath: fieldPath(slot) });
    kill(ctx, slot, instance);
  });
}

/** Startup probe first when there is one; liveness and readiness once the container started. */
export function startProbes(ctx: HealthContext, slot: Slot, instance: Container): void {
  if (slot.spec.startupProbe) startProbe(ctx, slot, instance, 'startup');
  else startRunningProbes(ctx, slot, instance);
}

function startRunningProbes(ctx: HealthContext, slot: Slot, instance: Container): void {
  if (slot.spec.livenessProbe) startProbe(ctx, slot, instance, 'liveness');
  if (slot.spec.readinessProbe) startProbe(ctx, slot, instance, 'readiness');
}

function startProbe(ctx: HealthContext, slot: Slot, instance: Container, kind: ProbeKind): void {
  const probe = kind === 'startup' ? slot.spec.startupProbe : kind === 'liveness' ? slot.spec.livenessProbe : slot.spec.readinessProbe;
  if (!probe) return;
  const label = `${kind[0].toUpperCase()}${kind.slice(1)}`;
  const worker = new ProbeWorker(kind, probe, slot.spec, instance, ctx.podIP, ctx.clock, {
    failed: (_kind, message) => ctx.event({ type: 'Warning', reason: 'Unhealthy', message: `${label} probe failed: ${message}`, fieldPath: fieldPath(slot) }),
    result: (_kind, ok) => {
      if (!ctx.current(slot, instance)) return;
      if (kind === 'readiness') {
        slot.record.ready = ok;
      } else if (kind === 'startup' && ok) {
        slot.record.started = true;
        slot.record.ready = !slot.spec.readinessProbe;
        startRunningProbes(ctx, slot, instance);
        ctx.started();
      } else if (!ok) {
        ctx.event({ type: 'Normal', reason: 'Killing', message: `Container ${slot.spec.name} failed ${kind} probe, will be restarted`, fieldPath: fieldPath(slot) });
        kill(ctx, slot, instance, probe.terminationGracePeriodSeconds);
      }
      ctx.changed();
    },
  });
  slot.probes.push(worker);
  worker.start();
}
