// Monaco and monaco-yaml, loaded on first use (a dynamic import keeps them out of the first paint).
// Workers come from our own bundled files, so the CSP's script-src 'self' covers them in web mode
// and in Electron; schemas are registered per editor model, never fetched by the worker.
import * as monaco from './monaco-core.js';
import { configureMonacoYaml, type JSONSchema, type SchemasSettings } from 'monaco-yaml';
import EditorWorker from './editor.worker.js?worker';
import YamlWorker from './yaml.worker.js?worker';
import { createWebWorker } from 'monaco-editor/esm/vs/internal/common/workers.js';

export type Monaco = typeof monaco;

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker: (_id, label) => (label === 'yaml' ? new YamlWorker() : new EditorWorker()),
};

// monaco-yaml asks editor.createWebWorker for a worker by label with its createData; Monaco 0.57's
// public function only takes a ready Worker, so give monaco-yaml the factory that does the former.
const monacoForYaml = { ...monaco, editor: { ...monaco.editor, createWebWorker } } as unknown as typeof monaco;

const yaml = configureMonacoYaml(monacoForYaml, {
  enableSchemaRequest: false,
  hover: true,
  completion: true,
  validate: true,
  // The Kubernetes mode reports the most specific anyOf branch's error instead of all of them.
  isKubernetes: true,
  schemas: [],
});

const schemas = new Map<string, SchemasSettings>();

/** Validates the model at `modelUri` against `schema` (or nothing with null). */
export function setModelSchema(modelUri: string, schema: JSONSchema | null): void {
  // A plain https id: the YAML worker normalizes schema ids as URIs, and an unusual scheme came
  // back changed, so it looked the schema up under another name and found nothing.
  if (schema) schemas.set(modelUri, { uri: `https://kubedesk.invalid/schemas/${encodeURIComponent(modelUri.replace(/\W+/g, '-'))}.json`, fileMatch: [modelUri], schema });
  else schemas.delete(modelUri);
  void yaml.update({ schemas: [...schemas.values()] });
}

export { monaco };
