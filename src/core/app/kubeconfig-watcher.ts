// Watches kubeconfig files and folders so new contexts appear without a restart. Files are watched
// through their folder: kubectl and editors replace files by rename, which ends a watch on the file.
import { watch, statSync, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Disposable } from '../../shared/disposable.js';

export class KubeconfigWatcher implements Disposable {
  private watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly onChange: () => void,
    private readonly debounceMs = 200,
  ) {}

  /** Watches exactly these paths from now on (call again when the list changes). */
  watchPaths(paths: string[]): void {
    if (this.disposed) return;
    // folder -> names to react to (undefined: anything in the folder)
    const wanted = new Map<string, Set<string> | undefined>();
    for (const path of paths) {
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        // Not there yet: its folder tells us when it appears.
      }
      if (isDir) wanted.set(path, undefined);
      else {
        const dir = dirname(path);
        if (wanted.has(dir) && wanted.get(dir) === undefined) continue;
        const names = wanted.get(dir) ?? new Set<string>();
        names.add(basename(path));
        wanted.set(dir, names);
      }
    }
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const [dir, names] of wanted) {
      this.watchers.get(dir)?.close();
      this.watchers.delete(dir);
      try {
        const watcher = watch(dir, { persistent: false }, (_event, filename) => {
          if (names && filename && !names.has(filename.toString())) return;
          this.schedule();
        });
        // A folder deleted under us: stop quietly, the next watchPaths() call watches again.
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, watcher);
      } catch {
        // The folder does not exist (e.g. no ~/.kube yet): nothing to watch.
      }
    }
  }

  get watchedFolders(): string[] {
    return [...this.watchers.keys()];
  }

  private schedule(): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onChange(), this.debounceMs);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
