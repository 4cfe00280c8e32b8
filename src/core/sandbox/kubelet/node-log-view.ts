// The node's /var/log/pods as a hostPath volume shows it: one directory per pod on this node
// (<namespace>_<pod>_<uid>/<container>/0.log, in the CRI log format), read live from the kubelet's
// log store. A node shell pod mounts it, so `ls /var/log/pods` on a sandbox node lists that node's
// pods. Read-only: writes are ignored, as the mount is.
import type { VolumeStore } from '../runtime/types.js';
import type { LogStore } from './log-store.js';

interface PodOnNode {
  namespace: string;
  name: string;
  uid: string;
  containers: { config: { name: string } }[];
}

const encoder = new TextEncoder();

function clean(path: string): string[] {
  return path.split('/').filter((p) => p && p !== '.');
}

export class NodePodLogsView implements VolumeStore {
  constructor(
    private readonly pods: () => PodOnNode[],
    private readonly logs: Pick<LogStore, 'read'>,
  ) {}

  private dirs(): Map<string, PodOnNode> {
    return new Map(this.pods().map((p) => [`${p.namespace}_${p.name}_${p.uid}`, p]));
  }

  read(path: string): Uint8Array | undefined {
    const [dir, container, file] = clean(path);
    const pod = this.dirs().get(dir ?? '');
    if (!pod || file !== '0.log' || !pod.containers.some((c) => c.config.name === container)) return undefined;
    const lines = this.logs.read(pod.namespace, pod.name, container, { timestamps: true }) ?? [];
    // "<RFC 3339 nano> stdout F <text>": the CRI format the kubelet's files use (the store keeps
    // each line's own newline).
    const cri = lines.map((l) => {
      const space = l.indexOf(' ');
      return `${l.slice(0, space)} stdout F ${l.slice(space + 1).replace(/\n$/, '')}\n`;
    });
    return encoder.encode(cri.join(''));
  }

  write(): void {
    // Read-only mount.
  }

  remove(): boolean {
    return false;
  }

  list(dir: string): string[] {
    const parts = clean(dir);
    const dirs = this.dirs();
    if (parts.length === 0) return [...dirs.keys()].sort();
    const pod = dirs.get(parts[0]);
    if (!pod) return [];
    if (parts.length === 1) return pod.containers.map((c) => c.config.name).sort();
    if (parts.length === 2 && pod.containers.some((c) => c.config.name === parts[1])) return ['0.log'];
    return [];
  }

  isDirectory(path: string): boolean {
    const parts = clean(path);
    if (parts.length === 0) return true;
    const pod = this.dirs().get(parts[0]);
    if (!pod) return false;
    return parts.length === 1 || (parts.length === 2 && pod.containers.some((c) => c.config.name === parts[1]));
  }

  mkdir(): void {
    // Read-only mount.
  }
}
