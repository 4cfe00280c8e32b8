// Runs the real generator (node scripts/gen-openapi.mjs) into a temporary folder and checks the
// documents have what kubectl explain, kubectl apply and field validation rely on.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiService } from './openapi-service.js';
import { type OpenApiSchema, componentsResolver, resolveSchema } from './schema.js';

const script = fileURLToPath(new URL('../../../../scripts/gen-openapi.mjs', import.meta.url));
let dir: string;
let service: OpenApiService;

type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, OpenApiSchema> } };
const doc = (path: string): Doc => service.document(path) as Doc;
const schema = (path: string, name: string): OpenApiSchema => doc(path).components.schemas[name];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubedesk-openapi-'));
  execFileSync(process.execPath, [script, dir], { stdio: 'pipe' });
  service = new OpenApiService({ dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gen-openapi', () => {
  it('is deterministic: a second run gives the same hashes', () => {
    const second = mkdtempSync(join(tmpdir(), 'kubedesk-openapi-'));
    try {
      execFileSync(process.execPath, [script, second], { stdio: 'pipe' });
      expect(readFileSync(join(second, 'manifest.json'), 'utf8')).toBe(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    } finally {
      rmSync(second, { recursive: true, force: true });
    }
  });

  it('lists the group versions in the /openapi/v3 index with hashed URLs', () => {
    const index = service.index() as { paths: Record<string, { serverRelativeURL: string }> };
    for (const path of ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/autoscaling/v2', 'apis/networking.k8s.io/v1', 'apis/rbac.authorization.k8s.io/v1', 'apis/apiextensions.k8s.io/v1', 'apis/coordination.k8s.io/v1']) {
      expect(index.paths[path]?.serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${path.replace(/\./g, '\\.')}\\?hash=[0-9A-F]{128}$`));
    }
    expect(service.document('apis/nope/v1')).toBeUndefined();
  });

  it('describes pods.spec.containers[].image', () => {
    const container = schema('api/v1', 'io.k8s.api.core.v1.Container');
    expect(container.required).toEqual(['name']);
    expect(container.properties?.image).toMatchObject({ type: 'string' });
    expect(container.properties?.image.description).toMatch(/^Container image name/);
    const podSpec = schema('api/v1', 'io.k8s.api.core.v1.PodSpec');
    expect(podSpec.properties?.containers.items).toEqual({ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
  });

  it('marks top-level kinds with x-kubernetes-group-version-kind', () => {
    expect(schema('apis/apps/v1', 'io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(schema('api/v1', 'io.k8s.api.core.v1.Pod')['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(service.schemaFor({ group: 'batch', version: 'v1', kind: 'CronJob' })).toBeDefined();
    expect(schema('apis/apps/v1', 'io.k8s.api.apps.v1.DeploymentSpec')['x-kubernetes-group-version-kind']).toBeUndefined();
  });

  it('carries strategic-merge and list metadata on well-known lists', () => {
    const podSpec = schema('api/v1', 'io.k8s.api.core.v1.PodSpec').properties ?? {};
    expect(podSpec.containers).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] });
    expect(podSpec.volumes).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys' });
    expect(podSpec.tolerations).toMatchObject({ 'x-kubernetes-list-type': 'atomic' });
    const container = schema('api/v1', 'io.k8s.api.core.v1.Container').properties ?? {};
    expect(container.ports).toMatchObject({ 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] });
    expect(container.volumeMounts).toMatchObject({ 'x-kubernetes-patch-merge-key': 'mountPath' });
    const servicePorts = schema('api/v1', 'io.k8s.api.core.v1.ServiceSpec').properties?.ports;
    expect(servicePorts).toMatchObject({ 'x-kubernetes-patch-merge-key': 'port', 'x-kubernetes-list-map-keys': ['port', 'protocol'] });
    const meta = schema('apis/apps/v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').properties ?? {};
    expect(meta.ownerReferences).toMatchObject({ 'x-kubernetes-patch-merge-key': 'uid' });
    expect(meta.finalizers).toMatchObject({ 'x-kubernetes-list-type': 'set' });
  });

  it('types apimachinery values as kube-apiserver does', () => {
    const d = doc('apis/apps/v1');
    expect(d.components.schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ 'x-kubernetes-int-or-string': true, format: 'int-or-string' });
    const rolling = d.components.schemas['io.k8s.api.apps.v1.RollingUpdateDeployment'].properties ?? {};
    expect(rolling.maxSurge.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }]);
    const limits = schema('api/v1', 'io.k8s.api.core.v1.ResourceRequirements').properties?.limits;
    expect(limits?.additionalProperties).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    const meta = d.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties ?? {};
    expect(resolveSchema(meta.creationTimestamp, componentsResolver(d))).toMatchObject({ type: 'string', format: 'date-time' });
    expect(meta.labels).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    const event = schema('api/v1', 'io.k8s.api.core.v1.Event').properties ?? {};
    expect(event.eventTime.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime' }]);
  });

  it('has the paths kubectl explain and the fieldValidation check look for', () => {
    const d = doc('apis/apps/v1');
    const list = d.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].get;
    expect(list['x-kubernetes-action']).toBe('list');
    expect(list['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    const patch = d.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    expect((patch.parameters as { name: string }[]).map((p) => p.name)).toContain('fieldValidation');
    const scale = d.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].get;
    expect(scale['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', kind: 'Scale', version: 'v1' });
    expect(doc('api/v1').paths['/api/v1/namespaces/{namespace}/pods'].get['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Pod', version: 'v1' });
    expect(doc('api/v1').paths['/api/v1/nodes/{name}'].get['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Node', version: 'v1' });
  });

  it('resolves every $ref inside its own document', () => {
    const index = service.index() as { paths: Record<string, unknown> };
    for (const path of Object.keys(index.paths)) {
      const json = service.documentJson(path) ?? '';
      const names = new Set(Object.keys(doc(path).components.schemas));
      for (const m of json.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(names.has(m[1]), `${path}: ${m[1]}`).toBe(true);
      expect(names.has('io.k8s.apimachinery.pkg.apis.meta.v1.Status')).toBe(true);
      expect(names.has('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')).toBe(true);
    }
  });
});
