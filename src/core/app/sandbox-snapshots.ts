// Named copies of the sandbox's data directory (store, certificates, volumes). The caller stops the
// sandbox first, so a copy is exactly what a clean stop left on disk: consistent, nothing half-written.
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SNAPSHOT_NAME, type SandboxSnapshot } from '../../shared/rpc/sandbox-contract.js';

const META = 'snapshot.json';
const DATA = 'data';
/** Regenerated at every start with the new port: never restored from a copy. */
const NOT_COPIED = new Set(['kubeconfig', 'etcd-endpoint']);

export function checkSnapshotName(name: unknown): string {
  if (typeof name !== 'string' || !SNAPSHOT_NAME.test(name)) {
    throw new Error(`invalid snapshot name ${JSON.stringify(name)}: use 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return name;
}

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

export class SnapshotStore {
  constructor(readonly dir: string) {}

  async list(): Promise<SandboxSnapshot[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    const snapshots: SandboxSnapshot[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || !SNAPSHOT_NAME.test(entry.name)) continue;
      const meta = await readFile(join(this.dir, entry.name, META), 'utf8').then((t) => JSON.parse(t) as Partial<SandboxSnapshot>, () => undefined);
      // A folder without its metadata is a save that did not finish: not a snapshot.
      if (!meta || typeof meta.createdAt !== 'string') continue;
      snapshots.push({ name: entry.name, createdAt: meta.createdAt, sizeBytes: typeof meta.sizeBytes === 'number' ? meta.sizeBytes : 0 });
    }
    return snapshots.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
  }

  async exists(name: string): Promise<boolean> {
    return stat(join(this.dir, checkSnapshotName(name), META)).then(() => true, () => false);
  }

  /** Copies `sourceDir` (stopped) under `name`, replacing an older snapshot of that name only once the copy is complete. */
  async save(name: string, sourceDir: string, now = new Date()): Promise<SandboxSnapshot> {
    checkSnapshotName(name);
    await mkdir(this.dir, { recursive: true });
    const staging = join(this.dir, `.saving-${name}-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    try {
      await cp(sourceDir, join(staging, DATA), { recursive: true, filter: (src) => !NOT_COPIED.has(src.slice(sourceDir.length + 1)) });
      const snapshot: SandboxSnapshot = { name, createdAt: now.toISOString(), sizeBytes: await sizeOf(join(staging, DATA)) };
      await writeFile(join(staging, META), JSON.stringify(snapshot));
      const target = join(this.dir, name);
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
      return snapshot;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw new Error(`cannot save snapshot "${name}" in ${this.dir}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Replaces `targetDir` (stopped) with the snapshot's copy; the old data is removed only once the copy is in place. */
  async restore(name: string, targetDir: string): Promise<void> {
    if (!(await this.exists(name))) throw new Error(`there is no snapshot named "${name}"; pick one from the list`);
    const incoming = `${targetDir}.restoring`;
    const outgoing = `${targetDir}.replaced`;
    await rm(incoming, { recursive: true, force: true });
    await rm(outgoing, { recursive: true, force: true });
    try {
      await cp(join(this.dir, name, DATA), incoming, { recursive: true });
    } catch (error) {
      await rm(incoming, { recursive: true, force: true });
      throw new Error(`cannot restore snapshot "${name}": ${(error as Error).message}`, { cause: error });
    }
    await rename(targetDir, outgoing).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(incoming, targetDir);
    await rm(outgoing, { recursive: true, force: true });
  }

  async delete(name: string): Promise<void> {
    if (!(await this.exists(name))) throw new Error(`there is no snapshot named "${name}"`);
    await rm(join(this.dir, name), { recursive: true, force: true });
  }
}
