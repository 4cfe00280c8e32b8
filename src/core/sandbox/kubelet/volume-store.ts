// In-memory directory trees for volumes: emptyDir (per pod), hostPath (per node path), PVC data (per
// PersistentVolume, outliving pods). Paths are relative to the volume root, "/"-separated.
import type { VolumeStore } from '../runtime/types.js';

function clean(path: string): string {
  return path.split('/').filter((p) => p && p !== '.').join('/');
}

export class MemoryVolumeStore implements VolumeStore {
  private readonly files = new Map<string, Uint8Array>();
  private readonly dirs = new Set<string>(['']);

  read(path: string): Uint8Array | undefined {
    return this.files.get(clean(path));
  }

  write(path: string, data: Uint8Array): void {
    const p = clean(path);
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) this.dirs.add(parts.slice(0, i).join('/'));
    this.files.set(p, data);
  }

  remove(path: string): boolean {
    const p = clean(path);
    if (this.files.delete(p)) return true;
    if (!this.dirs.has(p) || p === '') return false;
    for (const key of [...this.files.keys()]) if (key.startsWith(`${p}/`)) this.files.delete(key);
    for (const dir of [...this.dirs]) if (dir === p || dir.startsWith(`${p}/`)) this.dirs.delete(dir);
    return true;
  }

  list(dir: string): string[] {
    const d = clean(dir);
    const prefix = d ? `${d}/` : '';
    const names = new Set<string>();
    for (const key of [...this.files.keys(), ...this.dirs]) {
      if (key !== d && key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]);
    }
    return [...names].sort();
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(clean(path));
  }

  mkdir(path: string): void {
    const parts = clean(path).split('/');
    for (let i = 1; i <= parts.length; i++) this.dirs.add(parts.slice(0, i).join('/'));
  }
}
