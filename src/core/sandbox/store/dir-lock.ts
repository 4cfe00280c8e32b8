// One process per store directory: a LOCK file holding the owner's pid, created exclusively. A lock
// left by a process that no longer exists (crash, SIGKILL) is taken over.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `store directory ${dir} is already open in process ${pid}${pid === process.pid ? ' (this process)' : ''}; ` +
        `close that store first, or use another directory (if process ${pid} is unrelated, delete ${dir}/LOCK)`,
    );
    this.name = 'DirLockedError';
  }
}

export interface DirLock {
  release(): Promise<void>;
}

export async function lockDir(dir: string): Promise<DirLock> {
  const file = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      return { release: () => fs.rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DirLockedError(dir, pid);
    // Stale lock from a dead process: remove it and try again (another opener may race us: retry).
    await fs.rm(file, { force: true });
  }
  throw new Error(`could not take the lock ${file}: it keeps reappearing; is another process opening ${dir}?`);
}
