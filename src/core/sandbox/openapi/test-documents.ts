// Test support: the generated documents folder, generating it first if npm's postinstall has not.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function generatedDocumentsDir(): string {
  const dir = fileURLToPath(new URL('./generated', import.meta.url));
  if (!existsSync(join(dir, 'manifest.json'))) {
    execFileSync(process.execPath, [fileURLToPath(new URL('../../../../scripts/gen-openapi.mjs', import.meta.url))], { stdio: 'pipe' });
  }
  return dir;
}
