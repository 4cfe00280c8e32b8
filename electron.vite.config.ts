// Builds the three Electron parts. The renderer build (out/renderer) is also what web mode serves.
import { cpSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

// The bundled sandbox reads its OpenAPI documents and protobuf schema next to its code
// (out/main/generated), as it reads them next to its sources under tsx: copy them there, so the
// app run from out/ (npm start under Electron) finds them, not only the packaged one.
function sandboxData(): { name: string; closeBundle(): void } {
  return {
    name: 'kubedesk-sandbox-data',
    closeBundle() {
      for (const dir of ['src/core/sandbox/openapi/generated', 'src/core/sandbox/protobuf/generated']) {
        if (!existsSync(dir)) throw new Error(`${dir} is missing: run \`npm ci\` (its postinstall generates it)`);
        cpSync(dir, resolve('out/main/generated'), { recursive: true });
      }
    },
  };
}

// V8 keeps each script's source in memory, one byte per character only while every character is
// Latin-1: a dozen arrows and dashes in dependencies' comments and strings made the 5.6 MB backend
// chunk an 11 MB two-byte string (the page's 1.6 MB one 3.3 MB). Escaped as \uXXXX (valid in
// comments, strings, templates, regexps and identifiers), the chunks hold the same program in half
// the memory.
function latin1Chunks(): { name: string; generateBundle(options: unknown, bundle: Record<string, { type: string; code?: string }>): void } {
  return {
    name: 'kubedesk-latin1-chunks',
    // Once every renderChunk hook ran: Vite's own esbuild pass prints string literals unescaped.
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.code || !/[^\x00-\xff]/.test(chunk.code)) continue;
        chunk.code = chunk.code.replace(/[^\x00-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      }
    },
  };
}

export default defineConfig({
  main: {
    plugins: [sandboxData(), latin1Chunks()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // Forked by the main process: the sandbox runs beside the UI, never inside it.
          'sandbox-host': resolve('src/core/app/sandbox-host.ts'),
          // Web mode (`npm run web`) run by plain node: no tsx or esbuild in the long-lived process.
          'web-main': resolve('src/core/app/web-main.ts'),
        },
        // Shared chunks beside the entries, not in chunks/: code that finds files next to itself
        // (sandbox-host.js, generated/) through import.meta.url finds them from any chunk. Stable
        // names, and the folder not emptied first: a rebuild (each e2e test builds) replaces files
        // in place, so a web-main already running still finds the chunks it imports lazily.
        output: { chunkFileNames: '[name].js' },
      },
      emptyOutDir: false,
    },
  },
  preload: {
    // A sandboxed renderer's preload must be CommonJS: Electron cannot load an ES module there.
    build: { outDir: 'out/preload', rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    plugins: [latin1Chunks()],
    root: 'src/renderer',
    base: './',
    build: { outDir: 'out/renderer', rollupOptions: { input: resolve('src/renderer/index.html') } },
    resolve: {
      // monaco-yaml's worker imports monaco-editor by its file path, which monaco-editor's exports
      // map no longer lists: point it at the file.
      alias: [{ find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: `${resolve('node_modules/monaco-editor/esm/vs')}/$1` }],
    },
    // Workers as ES modules: Monaco's worker code splits into chunks, which classic workers cannot load.
    worker: { format: 'es', plugins: () => [latin1Chunks()] },
  },
});
