// A container's in-memory filesystem: the image's files plus mounted files, with shared volumes
// (emptyDir, PVC...) grafted at their mount paths. Errors carry errno-like codes so the simulated
// tools can print the same messages busybox prints.
import type { SharedVolume } from './types.js';

export type FsErrorCode = 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EEXIST' | 'EROFS' | 'ENOTEMPTY' | 'EINVAL';

const messages: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EEXIST: 'File exists',
  EROFS: 'Read-only file system',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
};

export class FsError extends Error {
  constructor(
    readonly code: FsErrorCode,
    readonly path: string,
  ) {
    super(messages[code]);
  }
}

export interface FsStat {
  type: 'file' | 'dir';
  size: number;
  mode: number;
  mtime: Date;
}

export interface Node {
  type: 'file' | 'dir';
  /** Shared between nodes and filesystems (image layers, copies, identical pod files): never written in place. */
  data: Uint8Array;
  mode: number;
  /** Milliseconds since the epoch: a Date per file of every container was a tenth of a running pod's filesystem objects. */
  mtime: number;
}

const encoder = new TextEncoder();
/** Every directory's (empty) data. */
const NO_DATA = new Uint8Array(0);
/**
 * Bytes of recently written texts: the files the kubelet writes into every container of a namespace
 * or cluster (ca.crt, namespace, resolv.conf) are the same text, and would otherwise be one copy per
 * container. Bounded: cleared when full, so one-off texts (tokens, /etc/hosts) cannot grow it.
 */
const sharedTexts = new Map<string, Uint8Array>();
const SHARED_TEXTS_MAX = 512;
const SHARED_TEXT_MAX_LENGTH = 16 * 1024;

function encodeText(text: string): Uint8Array {
  if (text.length > SHARED_TEXT_MAX_LENGTH) return encoder.encode(text);
  let bytes = sharedTexts.get(text);
  if (!bytes) {
    if (sharedTexts.size >= SHARED_TEXTS_MAX) sharedTexts.clear();
    bytes = encoder.encode(text);
    sharedTexts.set(text, bytes);
  }
  return bytes;
}

export function normalizePath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Copy-on-write: an image's files are one shared read-only layer under each container's own. */
class Layers {
  private upper = new Map<string, Node>();
  private whiteouts = new Set<string>();

  constructor(private readonly lower?: ReadonlyMap<string, Node>) {}

  get(path: string): Node | undefined {
    if (this.whiteouts.has(path)) return undefined;
    return this.upper.get(path) ?? this.lower?.get(path);
  }

  set(path: string, node: Node): void {
    this.whiteouts.delete(path);
    this.upper.set(path, node);
  }

  delete(path: string): void {
    this.upper.delete(path);
    if (this.lower?.has(path)) this.whiteouts.add(path);
  }

  *keys(): Generator<string> {
    for (const k of this.upper.keys()) yield k;
    if (this.lower) for (const k of this.lower.keys()) if (!this.upper.has(k) && !this.whiteouts.has(k)) yield k;
  }

  /** This layer's own files, to become the lower layer of other filesystems. */
  snapshot(): ReadonlyMap<string, Node> {
    const m = new Map<string, Node>();
    for (const k of this.keys()) m.set(k, this.get(k) as Node);
    return m;
  }
}

export class Vfs {
  private nodes: Layers;
  private mounts: SharedVolume[] = [];

  constructor(
    private readonly now: () => Date,
    lower?: ReadonlyMap<string, Node>,
  ) {
    this.nodes = new Layers(lower);
    if (!this.nodes.get('/')) this.nodes.set('/', { type: 'dir', data: NO_DATA, mode: 0o755, mtime: now().getTime() });
  }

  snapshot(): ReadonlyMap<string, Node> {
    return this.nodes.snapshot();
  }

  mount(volume: SharedVolume): void {
    this.mkdir(volume.mountPath, true);
    // Longest mount path first so nested mounts win.
    this.mounts.push(volume);
    this.mounts.sort((a, b) => b.mountPath.length - a.mountPath.length);
  }

  private mountFor(path: string): { volume: SharedVolume; rel: string } | undefined {
    for (const volume of this.mounts) {
      const mp = volume.mountPath.replace(/\/+$/, '') || '/';
      if (path === mp) return { volume, rel: '/' };
      if (path.startsWith(mp + '/')) return { volume, rel: path.slice(mp.length) };
    }
    return undefined;
  }

  stat(path: string): FsStat | undefined {
    const m = this.mountFor(path);
    if (m) {
      if (m.rel === '/' || m.volume.store.isDirectory(m.rel)) return { type: 'dir', size: 4096, mode: 0o777, mtime: this.now() };
      const data = m.volume.store.read(m.rel);
      return data ? { type: 'file', size: data.length, mode: 0o644, mtime: this.now() } : undefined;
    }
    const n = this.nodes.get(path);
    if (!n) return undefined;
    return { type: n.type, size: n.type === 'dir' ? 4096 : n.data.length, mode: n.mode, mtime: new Date(n.mtime) };
  }

  exists(path: string): boolean {
    return this.stat(path) !== undefined;
  }

  isDir(path: string): boolean {
    return this.stat(path)?.type === 'dir';
  }

  readFile(path: string): Uint8Array {
    const m = this.mountFor(path);
    if (m) {
      if (m.rel === '/' || m.volume.store.isDirectory(m.rel)) throw new FsError('EISDIR', path);
      const data = m.volume.store.read(m.rel);
      if (!data) throw new FsError('ENOENT', path);
      return data;
    }
    const n = this.nodes.get(path);
    if (!n) throw new FsError('ENOENT', path);
    if (n.type === 'dir') throw new FsError('EISDIR', path);
    return n.data;
  }

  readText(path: string): string {
    return new TextDecoder().decode(this.readFile(path));
  }

  writeFile(path: string, data: Uint8Array | string, options: { append?: boolean; mode?: number } = {}): void {
    const bytes = typeof data === 'string' ? encodeText(data) : data;
    const m = this.mountFor(path);
    if (m) {
      if (m.volume.readOnly) throw new FsError('EROFS', path);
      if (m.rel === '/' || m.volume.store.isDirectory(m.rel)) throw new FsError('EISDIR', path);
      const before = options.append ? (m.volume.store.read(m.rel) ?? new Uint8Array()) : new Uint8Array();
      m.volume.store.write(m.rel, concat(before, bytes));
      return;
    }
    const parent = this.nodes.get(parentOf(path));
    if (!parent && !this.mountFor(parentOf(path))) throw new FsError('ENOENT', path);
    if (parent && parent.type !== 'dir') throw new FsError('ENOTDIR', path);
    const existing = this.nodes.get(path);
    if (existing?.type === 'dir') throw new FsError('EISDIR', path);
    const content = options.append && existing ? concat(existing.data, bytes) : bytes;
    this.nodes.set(path, { type: 'file', data: content, mode: options.mode ?? existing?.mode ?? 0o644, mtime: this.now().getTime() });
  }

  /** Creates path (and its parents when recursive); an existing directory is fine only when recursive. */
  mkdir(path: string, recursive = false): void {
    if (path === '/') return;
    const m = this.mountFor(path);
    if (m) {
      if (m.rel === '/') return;
      if (m.volume.readOnly) throw new FsError('EROFS', path);
      if (m.volume.store.isDirectory(m.rel)) {
        if (!recursive) throw new FsError('EEXIST', path);
        return;
      }
      m.volume.store.mkdir(m.rel);
      return;
    }
    const existing = this.nodes.get(path);
    if (existing) {
      if (existing.type === 'dir' && recursive) return;
      throw new FsError('EEXIST', path);
    }
    const parent = parentOf(path);
    if (!this.isDir(parent)) {
      if (!recursive || this.exists(parent)) throw new FsError(this.exists(parent) ? 'ENOTDIR' : 'ENOENT', path);
      this.mkdir(parent, true);
    }
    this.nodes.set(path, { type: 'dir', data: NO_DATA, mode: 0o755, mtime: this.now().getTime() });
  }

  readdir(path: string): string[] {
    const m = this.mountFor(path);
    if (m) {
      if (m.rel !== '/' && !m.volume.store.isDirectory(m.rel)) throw new FsError(m.volume.store.read(m.rel) ? 'ENOTDIR' : 'ENOENT', path);
      return m.volume.store.list(m.rel).map((p) => p.split('/').filter(Boolean).pop() ?? p).sort();
    }
    const n = this.nodes.get(path);
    if (!n) throw new FsError('ENOENT', path);
    if (n.type !== 'dir') throw new FsError('ENOTDIR', path);
    const prefix = path === '/' ? '/' : path + '/';
    const names = new Set<string>();
    for (const key of this.nodes.keys()) {
      if (key !== path && key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) names.add(key.slice(prefix.length));
    }
    for (const v of this.mounts) {
      if (parentOf(v.mountPath) === path) names.add(v.mountPath.slice(prefix.length));
    }
    return [...names].sort();
  }

  remove(path: string, recursive = false): void {
    const m = this.mountFor(path);
    if (m) {
      if (m.volume.readOnly) throw new FsError('EROFS', path);
      if (m.rel === '/') throw new FsError('EINVAL', path);
      if (m.volume.store.isDirectory(m.rel)) {
        const children = m.volume.store.list(m.rel);
        if (children.length && !recursive) throw new FsError('ENOTEMPTY', path);
        for (const c of children) this.remove(normalizePath(path, c.split('/').pop() ?? c), true);
      }
      if (!m.volume.store.remove(m.rel)) throw new FsError('ENOENT', path);
      return;
    }
    const n = this.nodes.get(path);
    if (!n || path === '/') throw new FsError(n ? 'EINVAL' : 'ENOENT', path);
    if (n.type === 'dir') {
      const children = this.readdir(path);
      if (children.length && !recursive) throw new FsError('ENOTEMPTY', path);
      for (const c of children) this.remove(normalizePath(path, c), true);
    }
    this.nodes.delete(path);
  }

  rename(from: string, to: string): void {
    const st = this.stat(from);
    if (!st) throw new FsError('ENOENT', from);
    if (st.type === 'file') {
      const data = this.readFile(from);
      this.writeFile(to, data);
      this.remove(from);
      return;
    }
    this.copyTree(from, to);
    this.remove(from, true);
  }

  copyTree(from: string, to: string): void {
    const st = this.stat(from);
    if (!st) throw new FsError('ENOENT', from);
    if (st.type === 'file') return this.writeFile(to, this.readFile(from));
    this.mkdir(to, true);
    for (const c of this.readdir(from)) this.copyTree(normalizePath(from, c), normalizePath(to, c));
  }

  touch(path: string): void {
    const n = this.nodes.get(path);
    if (n) this.nodes.set(path, { ...n, mtime: this.now().getTime() });
    else if (!this.exists(path)) this.writeFile(path, NO_DATA);
  }
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
