// An in-memory VolumeStore for emptyDir (shared by a pod's containers) and, kept by the kubelet
// beyond a pod's life, PVC and hostPath data. Paths are relative to the volume root ("/a/b").
import type { VolumeStore } from './types.js';

export class MemoryVolumeStore implements VolumeStore {
  private readonly files = new Map<string, Uint8Array>();
  private readonly dirs = new Set<string>(['/']);

  read(path: string): Uint8Array | undefined {
    return this.files.get(norm(path));
  }

  write(path: string, data: Uint8Array): void {
    const p = norm(path);
    this.mkdir(parent(p));
    this.files.set(p, data);
  }

  remove(path: string): boolean {
    const p = norm(path);
    if (this.files.delete(p)) return true;
    if (p !== '/' && this.dirs.has(p)) {
      for (const f of [...this.files.keys()]) if (f.startsWith(p + '/')) this.files.delete(f);
      for (const d of [...this.dirs]) if (d === p || d.startsWith(p + '/')) this.dirs.delete(d);
      return true;
    }
    return false;
  }

  /** Names (not paths) of the entries directly under dir. */
  list(dir: string): string[] {
    const d = norm(dir);
    const prefix = d === '/' ? '/' : d + '/';
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p !== d && p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
    }
    return [...names].sort();
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(norm(path));
  }

  mkdir(path: string): void {
    let p = norm(path);
    while (!this.dirs.has(p)) {
      this.dirs.add(p);
      p = parent(p);
    }
  }

  /** Total bytes stored, for the kubelet's ephemeral-storage accounting. */
  size(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.length;
    return n;
  }
}

function norm(path: string): string {
  const parts = path.split('/').filter((p) => p && p !== '.');
  return '/' + parts.join('/');
}

function parent(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
