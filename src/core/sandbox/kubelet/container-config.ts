// The runtime's ContainerConfig for one instance of a pod's container.
import { randomBytes } from 'node:crypto';
import type { Container as V1Container, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity, quantityToNumber } from '../registry/kinds/quantity.js';
import type { ContainerConfig, MountedFile, SharedVolume } from '../runtime/types.js';

export interface ConfigInput {
  id: string;
  pod: Pod;
  spec: V1Container;
  /** The pulled, normalized reference. */
  image: string;
  podIP: string;
  nodeName: string;
  env: [string, string][];
  mounts: { files: MountedFile[]; volumes: SharedVolume[] };
}

export function containerConfig(input: ConfigInput): ContainerConfig {
  const { pod, spec } = input;
  const meta = pod.metadata ?? {};
  const limit = spec.resources?.limits?.memory;
  const q = limit ? parseQuantity(limit) : undefined;
  const cpuLimit = spec.resources?.limits?.cpu;
  const cpu = cpuLimit ? parseQuantity(cpuLimit) : undefined;
  return {
    id: input.id,
    podName: meta.name ?? '',
    namespace: meta.namespace ?? 'default',
    podUid: meta.uid ?? '',
    podIP: input.podIP,
    nodeName: input.nodeName,
    // A hostNetwork pod shares the node's UTS namespace: its hostname is the node's (as the kubelet does).
    hostname: pod.spec?.hostNetwork ? input.nodeName : (pod.spec?.hostname ?? meta.name ?? ''),
    name: spec.name,
    image: input.image,
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
    env: input.env,
    tty: spec.tty === true,
    stdin: spec.stdin === true,
    stdinOnce: spec.stdinOnce === true,
    files: input.mounts.files,
    volumes: input.mounts.volumes,
    memoryLimitBytes: q ? Math.round(quantityToNumber(q)) : 0,
    ...(cpu ? { cpuLimitNanoCores: Math.round(quantityToNumber(cpu) * 1e9) } : {}),
  };
}

/** Random bytes drawn 64 container IDs at a time: one call into the system's generator each. */
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** A containerd-style container ID: 32 random bytes in hex. */
export function newContainerId(): string {
  if (idOffset + 32 > idPool.length) {
    idPool = randomBytes(32 * 64);
    idOffset = 0;
  }
  idOffset += 32;
  return `containerd://${idPool.toString('hex', idOffset - 32, idOffset)}`;
}
