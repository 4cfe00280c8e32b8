// Generates the OpenAPI v3 documents the sandbox API server serves at /openapi/v3 (kubectl explain,
// kubectl apply's patch metadata and field validation) into src/core/sandbox/openapi/generated/.
// Inputs are npm dependencies only: @kubernetes/client-node's models and API classes (field names,
// types, paths) and kubernetes-types' JSDoc (descriptions), parsed with the TypeScript parser.
// Plain Node ESM so postinstall can run it without tsx; deterministic, so reruns give equal bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// An output folder argument is for tests; the default is where OpenApiService looks.
const outDir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'src', 'core', 'sandbox', 'openapi', 'generated');
const require = createRequire(import.meta.url);
const started = Date.now();

let ts;
let typesDir;
let clientDir;
try {
  ts = (await import('typescript')).default;
  typesDir = dirname(require.resolve('kubernetes-types/package.json'));
  clientDir = dirname(require.resolve('@kubernetes/client-node/package.json'));
} catch (error) {
  console.log(`gen-openapi: typescript, kubernetes-types or @kubernetes/client-node is not installed (production install?); skipping (${error.message})`);
  process.exit(0);
}

const { readKubernetesTypesDocs } = await import('../src/core/sandbox/openapi/generator/k8s-types-docs.mjs');
const { ClientModels } = await import('../src/core/sandbox/openapi/generator/client-models.mjs');
const { SchemaRegistry } = await import('../src/core/sandbox/openapi/generator/schemas.mjs');
const { buildDocument } = await import('../src/core/sandbox/openapi/generator/documents.mjs');
const { DOCUMENTS, GROUPS, documentPath } = await import('../src/core/sandbox/openapi/generator/names.mjs');

// The version our sandbox reports; documents are labelled with it, as kube-apiserver does.
const KUBE_VERSION = 'v1.32.3';

const registry = new SchemaRegistry(readKubernetesTypesDocs(ts, typesDir), new ClientModels(ts, join(clientDir, 'dist', 'gen', 'models')));
const apisDir = join(clientDir, 'dist', 'gen', 'apis');

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const manifest = {};
for (const spec of DOCUMENTS) {
  const path = documentPath(GROUPS[spec.dir].group, spec.version);
  const json = JSON.stringify(buildDocument(spec, registry, apisDir, KUBE_VERSION));
  const file = `${path.replace(/\//g, '__')}.json`;
  writeFileSync(join(outDir, file), json);
  manifest[path] = { file, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
}
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`gen-openapi: wrote ${readdirSync(outDir).length - 1} documents to ${outDir} in ${Date.now() - started} ms`);
