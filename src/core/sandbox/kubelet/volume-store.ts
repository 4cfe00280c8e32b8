// In-memory directory trees for volumes: emptyDir (per pod), hostPath (per node path), PVC data (per
// PersistentVolume, outliving pods). Paths are relative to the volume root, "/"-separated.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/**
 * A volume kept on the host's disk under `root` (PVC data under the sandbox data dir, so it survives
 * a sandbox restart as a real PersistentVolume would). Synchronous: the runtime's filesystem is.
 */
export class DiskVolumeStore implements VolumeStore {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  private abs(path: string): string {
    // clean() drops "." and empty segments; ".." is refused so a container cannot escape its volume.
    const rel = clean(path);
    if (rel.split('/').includes('..')) throw new Error(`volume path "${path}" leaves the volume; use a path inside it`);
    return rel ? join(this.root, ...rel.split('/')) : this.root;
  }

  read(path: string): Uint8Array | undefined {
    try {
      return new Uint8Array(readFileSync(this.abs(path)));
    } catch {
      return undefined;
    }
  }

  write(path: string, data: Uint8Array): void {
    const file = this.abs(path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  }

  remove(path: string): boolean {
    const target = this.abs(path);
    if (target === this.root || !existsSync(target)) return false;
    rmSync(target, { recursive: true, force: true });
    return true;
  }

  list(dir: string): string[] {
    try {
      return readdirSync(this.abs(dir)).sort();
    } catch {
      return [];
    }
  }

  isDirectory(path: string): boolean {
    try {
      return statSync(this.abs(path)).isDirectory();
    } catch {
      return false;
    }
  }

  mkdir(path: string): void {
    mkdirSync(this.abs(path), { recursive: true });
  }
}
