// Vite's `?worker` imports: the default export constructs the bundled worker.
declare module '*?worker' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}

// Monaco's label-and-createData worker factory, which monaco-editor 0.57 keeps internal while its
// public editor.createWebWorker now wants a Worker: monaco-yaml (via monaco-worker-manager) still
// calls the old form.
declare module 'monaco-editor/esm/vs/internal/common/workers.js' {
  import type { editor } from 'monaco-editor/editor/editor.api.js';
  export function createWebWorker<T extends object>(opts: { label?: string; moduleId?: string; createData?: unknown; host?: unknown; keepIdleModels?: boolean }): editor.MonacoWebWorker<T>;
}
