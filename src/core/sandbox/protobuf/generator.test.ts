// scripts/gen-protobuf.mjs against the real kubectl binary: deterministic, fast, and reading the facts
// that only the binary holds (gogo nullable options, Go JSON names, inline embedding, omitempty).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtobufSchemaFile, ProtoField } from './schema.js';
import { kubectlPath } from './test-schema.js';

const script = fileURLToPath(new URL('../../../../scripts/gen-protobuf.mjs', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'gen-protobuf-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function generate(dir: string): { stdout: string; ms: number } {
  const started = Date.now();
  const stdout = execFileSync(process.execPath, [script, kubectlPath, dir], { encoding: 'utf8' });
  return { stdout, ms: Date.now() - started };
}

describe.skipIf(!existsSync(kubectlPath))('gen-protobuf', () => {
  let stdout = '';
  let ms = 0;
  let text = '';
  let schema: ProtobufSchemaFile = { files: [], messages: {} };
  beforeAll(() => {
    ({ stdout, ms } = generate(join(out, 'a')));
    text = readFileSync(join(out, 'a', 'schema.json'), 'utf8');
    schema = JSON.parse(text) as ProtobufSchemaFile;
  });
  const field = (message: string, name: string): ProtoField | undefined => schema.messages[message]?.fields.find((f) => f.name === name);

  it('finds every API group descriptor in a few seconds, and reruns give equal bytes', () => {
    expect(stdout).toMatch(/gen-protobuf: 67 descriptors/);
    expect(ms).toBeLessThan(5000);
    expect(schema.files).toContain('k8s.io/api/core/v1/generated.proto');
    expect(schema.files).toContain('k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto');
    generate(join(out, 'b'));
    expect(readFileSync(join(out, 'b', 'schema.json'), 'utf8')).toBe(text);
  });

  it('marks Go pointers (gogo nullable) and map entries', () => {
    expect(field('k8s.io.api.apps.v1.DeploymentSpec', 'replicas')?.pointer).toBe(true);
    expect(field('k8s.io.api.apps.v1.DeploymentStatus', 'replicas')?.pointer).toBeUndefined();
    expect(field('k8s.io.api.apps.v1.Deployment', 'metadata')?.pointer).toBeUndefined();
    expect(field('k8s.io.api.core.v1.PodSpec', 'securityContext')?.pointer).toBe(true);
    expect(schema.messages['k8s.io.api.core.v1.Secret.DataEntry']?.mapEntry).toBe(true);
  });

  it('reads JSON names and inline embedding from the Go struct tags', () => {
    expect(field('k8s.io.api.core.v1.Volume', 'volumeSource')).toMatchObject({ inline: true });
    expect(field('k8s.io.api.core.v1.Volume', 'volumeSource')?.jsonName).toBeUndefined();
    expect(field('k8s.io.api.core.v1.SecretKeySelector', 'localObjectReference')).toMatchObject({ inline: true });
    expect(field('k8s.io.api.core.v1.Probe', 'handler')).toMatchObject({ inline: true });
    // Its tag is `json:",inline" protobuf:"bytes,1,req"`, without a proto name.
    expect(field('k8s.io.api.core.v1.EphemeralContainer', 'ephemeralContainerCommon')).toMatchObject({ inline: true });
    expect(field('k8s.io.api.node.v1.RuntimeClass', 'handler')).toMatchObject({ jsonName: 'handler' });
    expect(field('k8s.io.api.core.v1.Pod', 'metadata')).toMatchObject({ jsonName: 'metadata' });
    expect(field('k8s.io.api.networking.v1.IngressClassParametersReference', 'aPIGroup')).toMatchObject({ jsonName: 'apiGroup' });
    expect(field('k8s.io.api.authentication.v1.BoundObjectReference', 'uID')).toMatchObject({ jsonName: 'uid' });
  });

  it('tells omitempty per struct, even where two structs share a field name and number', () => {
    // autoscaling/v1 `json:"currentReplicas"`, autoscaling/v2 `json:"currentReplicas,omitempty"`.
    expect(field('k8s.io.api.autoscaling.v1.HorizontalPodAutoscalerStatus', 'currentReplicas')?.always).toBe(true);
    expect(field('k8s.io.api.autoscaling.v2.HorizontalPodAutoscalerStatus', 'currentReplicas')?.always).toBeUndefined();
    // HTTPHeader.value is a string without omitempty; PodDNSConfigOption.value a *string with it.
    expect(field('k8s.io.api.core.v1.HTTPHeader', 'value')?.always).toBe(true);
    expect(field('k8s.io.api.core.v1.EnvVar', 'value')?.always).toBeUndefined();
  });

  it('skips, exiting 0, when kubectl is absent (production install)', () => {
    const message = execFileSync(process.execPath, [script, join(out, 'no-kubectl'), join(out, 'c')], { encoding: 'utf8' });
    expect(message).toMatch(/is absent \(production install\?\); skipping/);
    expect(existsSync(join(out, 'c'))).toBe(false);
  });
});
