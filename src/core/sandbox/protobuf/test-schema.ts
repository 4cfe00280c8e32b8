// Test support: the generated schema, generating it first if npm's postinstall has not.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultSchemaPath, loadProtobufSchema, type ProtobufSchema } from './schema.js';

export const kubectlPath = fileURLToPath(new URL('../../../../.tools/bin/kubectl', import.meta.url));

export function generatedSchema(): ProtobufSchema {
  if (!existsSync(defaultSchemaPath())) {
    execFileSync(process.execPath, [fileURLToPath(new URL('../../../../scripts/gen-protobuf.mjs', import.meta.url))], { stdio: 'pipe' });
  }
  return loadProtobufSchema();
}
