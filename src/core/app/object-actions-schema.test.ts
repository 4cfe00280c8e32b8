import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findKindSchema, toEditorSchema } from './object-actions-schema.js';

type Json = Record<string, unknown>;

// The OpenAPI v3 document the sandbox serves for apps/v1 (generated from Kubernetes' own).
const doc = JSON.parse(readFileSync(fileURLToPath(new URL('../sandbox/openapi/generated/apis__apps__v1.json', import.meta.url)), 'utf8')) as { components: { schemas: Json } };
const schemas = doc.components.schemas;

describe('editor schema from /openapi/v3', () => {
  const name = findKindSchema(schemas, 'apps', 'v1', 'Deployment');
  const { key, schema } = toEditorSchema(schemas, name as string, 'apps/v1', 'Deployment');
  const defs = schema.definitions as Record<string, Json>;

  it('finds the kind by its group-version-kind', () => {
    expect(name).toBe('io.k8s.api.apps.v1.Deployment');
    expect(findKindSchema(schemas, 'apps', 'v1', 'Nope')).toBeUndefined();
    expect(key).toBe('apps/v1/Deployment');
  });

  it('keeps only reachable definitions, with every ref local and resolvable', () => {
    expect(defs['io.k8s.api.apps.v1.DeploymentSpec']).toBeDefined();
    expect(defs['io.k8s.api.core.v1.PodSpec']).toBeDefined();
    expect(defs['io.k8s.api.apps.v1.StatefulSetSpec']).toBeUndefined();
    const text = JSON.stringify(schema);
    expect(text).not.toContain('#/components/schemas/');
    for (const m of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) expect(defs[m[1]], m[1]).toBeDefined();
  });

  it('pins apiVersion and kind, and turns Kubernetes extensions into plain JSON schema', () => {
    const props = schema.properties as Record<string, Json>;
    expect(props.apiVersion.enum).toEqual(['apps/v1']);
    expect(props.kind.enum).toEqual(['Deployment']);
    expect(schema.required).toEqual(expect.arrayContaining(['apiVersion', 'kind']));
    const intOrString = defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
    expect(intOrString.anyOf).toEqual([{ type: 'integer' }, { type: 'string' }]);
    expect(intOrString.oneOf).toBeUndefined();
    expect(intOrString.format).toBeUndefined();
    expect(JSON.stringify(schema)).not.toContain('x-kubernetes-');
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].type).toEqual(['string', 'null']);
  });

  it('refuses unknown fields where the API would, not in free-form maps', () => {
    expect(defs['io.k8s.api.apps.v1.DeploymentSpec'].additionalProperties).toBe(false);
    const labels = (defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties as Record<string, Json>).labels;
    expect(labels.additionalProperties).toEqual({ type: 'string' });
  });
});
