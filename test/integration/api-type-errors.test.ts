// Wrongly typed values through every write path, with the real kubectl 1.32: each refusal is what
// kubectl prints against kube-apiserver 1.32, and nothing is stored (same generation, spec and
// managedFields; same resourceVersion where no controller writes). Where each answer comes from:
// - create (POST), update (PUT): handlers/create.go and update.go, transformDecodeError: 400
//   `<Kind> in version "v1" cannot be handled as a <Kind>: json: cannot unmarshal ...` (encoding/json
//   via sigs.k8s.io/json: innermost Go struct, struct fields from the root, Go type).
// - JSON and merge patch: handlers/patch.go jsonPatcher.applyPatchToCurrentObject, 422
//   NewInvalid(GroupKind{}, "", field.Invalid("patch", string(patchedObjJS), decodeErr)); kubectl's
//   checkErr prints "The request is invalid: patch: Invalid value: "<patched JSON>": <decodeErr>".
//   (The patched JSON is the server's own encoding of the object: its key order is not asserted.)
// - strategic merge patch (also kubectl apply's update): patch.go applyPatchToObject, same 422 with
//   fmt.Sprintf("%+v", patchMap) and runtime.DefaultUnstructuredConverter's error ("unrecognized type:
//   int32", kubernetes/kubernetes#73692).
// - server-side apply: managedfields/internal/structuredmerge.go Apply, a plain error, so 500 with no
//   reason: "Error from server: failed to create typed patch object (<ns>/<name>; <group>/<version>,
//   Kind=<Kind>): <structured-merge-diff typed/validate.go errors>"; values it takes but Go cannot hold
//   fail the merged object's conversion: "failed to convert new object (...) to proper version: unable
//   to convert unstructured object to apps/v1, Kind=Deployment: <converter error>" (runtime/scheme.go).
// - custom resources: decoded as unstructured, so creates, updates and JSON/merge patches fail schema
//   validation (422 on the field); server-side apply fails the typed conversion from the CRD's schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { fails, jsonOf, manifest, ok, poll, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;
const NS = 'types';

const QUANTITY = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${NS}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: "25%"}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx
        ports: [{containerPort: 80}]
        resources: {limits: {cpu: 500m, memory: 128Mi}}
`;

/** The base Deployment with one piece of text replaced. */
function variant(from: string, to: string): string {
  if (!deployment.includes(from)) throw new Error(`the base manifest has no ${from}`);
  return deployment.replace(from, to);
}

interface Snapshot {
  generation: number;
  resourceVersion: string;
  spec: unknown;
  managedFields: unknown;
}

async function snapshot(resource: string, name: string): Promise<Snapshot> {
  const obj = jsonOf<{ metadata: { generation: number; resourceVersion: string; managedFields?: unknown }; spec: unknown }>(
    await ok(kubectl, ['-n', NS, 'get', resource, name, '-o', 'json']),
  );
  // Status writes (the Deployment controller's) may come at any time: only the main resource's field owners count.
  const owners = (obj.metadata.managedFields as { subresource?: string }[] | undefined)?.filter((m) => m.subresource !== 'status');
  return { generation: obj.metadata.generation, resourceVersion: obj.metadata.resourceVersion, spec: obj.spec, managedFields: owners };
}

/** A refused write stores nothing: the Deployment controller may write status, nothing else changes. */
async function unchanged(before: Snapshot, resource = 'deployment', name = 'web', exactRevision = false): Promise<void> {
  const after = await snapshot(resource, name);
  expect(after.generation).toBe(before.generation);
  expect(after.spec).toEqual(before.spec);
  expect(after.managedFields).toEqual(before.managedFields);
  if (exactRevision) expect(after.resourceVersion).toBe(before.resourceVersion);
}

/** kubectl's last-applied-configuration: the manifest as JSON with sorted keys, then a newline. */
function lastApplied(obj: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)])) : v;
  return `${JSON.stringify(sorted(obj))}\n`;
}

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 1 });
  kubectl = kubectlFor(sandbox);
  await ok(kubectl, ['create', 'namespace', NS]);
  await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'web.yaml', deployment)]);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

describe('spec.replicas: "abc" on a Deployment, through every write path', () => {
  const bad = variant('replicas: 2', 'replicas: "abc"');
  const decodeError = 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32';

  it('create and replace: 400, the decoder names the Go struct field', async () => {
    const fresh = await manifest(sandbox, 'fresh-abc.yaml', bad.replace('name: web', 'name: fresh'));
    expect(await fails(kubectl, ['create', '-f', fresh])).toBe(`Error from server (BadRequest): error when creating "${fresh}": Deployment in version "v1" cannot be handled as a Deployment: ${decodeError}`);
    expect((await kubectl(['-n', NS, 'get', 'deployment', 'fresh'])).stderr).toContain('"fresh" not found');
    const before = await snapshot('deployment', 'web');
    const file = await manifest(sandbox, 'web-abc.yaml', bad);
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(`Error from server (BadRequest): error when replacing "${file}": Deployment in version "v1" cannot be handled as a Deployment: ${decodeError}`);
    await unchanged(before);
  });

  it('server-side apply: 500 from the typed conversion, on a new object and on an existing one', async () => {
    const fresh = await manifest(sandbox, 'fresh-ssa.yaml', bad.replace('name: web', 'name: fresh'));
    expect(await fails(kubectl, ['apply', '--server-side', '-f', fresh])).toBe(
      `Error from server: failed to create typed patch object (${NS}/fresh; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string`,
    );
    expect((await kubectl(['-n', NS, 'get', 'deployment', 'fresh'])).stderr).toContain('"fresh" not found');
    const before = await snapshot('deployment', 'web');
    const file = await manifest(sandbox, 'web-ssa-abc.yaml', bad);
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe(
      `Error from server: failed to create typed patch object (${NS}/web; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string`,
    );
    await unchanged(before);
  });

  it("client-side apply: kubectl's strategic merge patch fails the converter, 422 on the patch", async () => {
    const before = await snapshot('deployment', 'web');
    const file = await manifest(sandbox, 'web-apply-abc.yaml', bad);
    const applied = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { annotations: {}, name: 'web', namespace: NS },
      spec: {
        replicas: 'abc',
        selector: { matchLabels: { app: 'web' } },
        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ image: 'nginx', name: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m', memory: '128Mi' } } }] },
        },
      },
    };
    const patchMap = `map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:${lastApplied(applied)}]] spec:map[replicas:abc]]`;
    expect(await fails(kubectl, ['apply', '-f', file])).toBe(`The request is invalid: patch: Invalid value: ${JSON.stringify(patchMap)}: unrecognized type: int32`);
    await unchanged(before);
  });

  it('kubectl patch: strategic (the patch map), merge and json (the patched object)', async () => {
    const before = await snapshot('deployment', 'web');
    expect(await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '-p', '{"spec":{"replicas":"abc"}}'])).toBe(
      'The request is invalid: patch: Invalid value: "map[spec:map[replicas:abc]]": unrecognized type: int32',
    );
    for (const args of [
      ['--type=merge', '-p', '{"spec":{"replicas":"abc"}}'],
      ['--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":"abc"}]'],
    ]) {
      const err = await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', ...args]);
      expect(err.startsWith('The request is invalid: patch: Invalid value: "{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",')).toBe(true);
      expect(err).toContain('\\"replicas\\":\\"abc\\"');
      expect(err.endsWith(`}": ${decodeError}`)).toBe(true);
    }
    await unchanged(before);
  });
});

describe('the scale subresource: an autoscaling/v1 Scale, decoded as any body', () => {
  it('kubectl patch --subresource=scale refuses a wrongly typed replicas', async () => {
    const before = await snapshot('deployment', 'web');
    const scale = ['-n', NS, 'patch', 'deployment', 'web', '--subresource=scale'];
    expect(await fails(kubectl, [...scale, '-p', '{"spec":{"replicas":"abc"}}'])).toBe(
      'The request is invalid: patch: Invalid value: "map[spec:map[replicas:abc]]": unrecognized type: int32',
    );
    const merge = await fails(kubectl, [...scale, '--type=merge', '-p', '{"spec":{"replicas":"abc"}}']);
    expect(merge.startsWith('The request is invalid: patch: Invalid value: "{')).toBe(true);
    expect(merge).toContain('\\"kind\\":\\"Scale\\"');
    expect(merge.endsWith('": json: cannot unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32')).toBe(true);
    await unchanged(before);
  });
});

describe('nested values', () => {
  it('a container port given as a string', async () => {
    const before = await snapshot('deployment', 'web');
    const bad = variant('containerPort: 80', 'containerPort: "x"');
    const file = await manifest(sandbox, 'web-port.yaml', bad);
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(
      `Error from server (BadRequest): error when replacing "${file}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32`,
    );
    // structured-merge-diff names list items by their keys; protocol's default "TCP" is part of the key.
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe(
      `Error from server: failed to create typed patch object (${NS}/web; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="nginx"].ports[containerPort="x",protocol="TCP"].containerPort: expected numeric (int or float), got string`,
    );
    const smp = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":"x"}]}]}}}}';
    expect(await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '-p', smp])).toBe(
      'The request is invalid: patch: Invalid value: "map[spec:map[template:map[spec:map[containers:[map[name:nginx ports:[map[containerPort:x]]]]]]]]": unrecognized type: int32',
    );
    const json = '[{"op":"replace","path":"/spec/template/spec/containers/0/ports/0/containerPort","value":"x"}]';
    expect(await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '--type=json', '-p', json])).toMatch(
      /^The request is invalid: patch: Invalid value: ".*": json: cannot unmarshal string into Go struct field ContainerPort\.spec\.template\.spec\.containers\.ports\.containerPort of type int32$/s,
    );
    await unchanged(before);
  });

  it('a malformed quantity fails its own decoder on every path', async () => {
    const before = await snapshot('deployment', 'web');
    const file = await manifest(sandbox, 'web-cpu.yaml', variant('cpu: 500m', 'cpu: abc'));
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(
      `Error from server (BadRequest): error when replacing "${file}": Deployment in version "v1" cannot be handled as a Deployment: ${QUANTITY}`,
    );
    // A Quantity is an untyped scalar to structured-merge-diff: the merged object's conversion refuses it.
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe(
      `Error from server: failed to convert new object (${NS}/web; apps/v1, Kind=Deployment) to proper version: unable to convert unstructured object to apps/v1, Kind=Deployment: ${QUANTITY}`,
    );
    const smp = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","resources":{"limits":{"cpu":"abc"}}}]}}}}';
    expect(await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '-p', smp])).toBe(
      `The request is invalid: patch: Invalid value: "map[spec:map[template:map[spec:map[containers:[map[name:nginx resources:map[limits:map[cpu:abc]]]]]]]]": ${QUANTITY}`,
    );
    const json = '[{"op":"add","path":"/spec/template/spec/containers/0/resources/requests","value":{"memory":"lots"}}]';
    expect((await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '--type=json', '-p', json])).endsWith(`": ${QUANTITY}`)).toBe(true);
    await unchanged(before);
  });

  it('an int-or-string takes both, and nothing else', async () => {
    const percent = await manifest(sandbox, 'web-surge-percent.yaml', variant('maxSurge: 1', 'maxSurge: "50%"'));
    expect(await ok(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', percent])).toBe('deployment.apps/web serverside-applied\n');
    expect(await ok(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":2}}}}'])).toBe(
      'deployment.apps/web patched\n',
    );
    const before = await snapshot('deployment', 'web');
    expect((before.spec as { strategy: { rollingUpdate: { maxSurge: unknown } } }).strategy.rollingUpdate.maxSurge).toBe(2);
    const file = await manifest(sandbox, 'web-surge-bool.yaml', variant('maxSurge: 1', 'maxSurge: true'));
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(
      `Error from server (BadRequest): error when replacing "${file}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32`,
    );
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe(
      `Error from server: failed to convert new object (${NS}/web; apps/v1, Kind=Deployment) to proper version: unable to convert unstructured object to apps/v1, Kind=Deployment: json: cannot unmarshal bool into Go value of type int32`,
    );
    expect(await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '-p', '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":true}}}}'])).toBe(
      'The request is invalid: patch: Invalid value: "map[spec:map[strategy:map[rollingUpdate:map[maxSurge:true]]]]": json: cannot unmarshal bool into Go value of type int32',
    );
    await unchanged(before);
  });

  it('a boolean given as a string', async () => {
    const before = await snapshot('deployment', 'web');
    const file = await manifest(sandbox, 'web-hostnet.yaml', variant('      containers:', '      hostNetwork: "yes"\n      containers:'));
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(
      `Error from server (BadRequest): error when replacing "${file}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.hostNetwork of type bool`,
    );
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe(
      `Error from server: failed to create typed patch object (${NS}/web; apps/v1, Kind=Deployment): .spec.template.spec.hostNetwork: expected boolean, got &{yes}`,
    );
    expect(await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"hostNetwork":"yes"}}}}'])).toBe(
      'The request is invalid: patch: Invalid value: "map[spec:map[template:map[spec:map[hostNetwork:yes]]]]": unrecognized type: bool',
    );
    expect(await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"template":{"spec":{"hostNetwork":"yes"}}}}'])).toMatch(
      /": json: cannot unmarshal string into Go struct field PodSpec\.spec\.template\.spec\.hostNetwork of type bool$/,
    );
    await unchanged(before);
  });

  it('an array given as an object', async () => {
    const before = await snapshot('deployment', 'web');
    const file = await manifest(
      sandbox,
      'web-containers-map.yaml',
      variant('      - name: nginx\n        image: nginx\n        ports: [{containerPort: 80}]\n        resources: {limits: {cpu: 500m, memory: 128Mi}}\n', '        name: nginx\n        image: nginx\n'),
    );
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(
      `Error from server (BadRequest): error when replacing "${file}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container`,
    );
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe(
      `Error from server: failed to create typed patch object (${NS}/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: expected list, got &{map[image:nginx name:nginx]}`,
    );
    expect(await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"template":{"spec":{"containers":{"name":"nginx"}}}}}'])).toMatch(
      /": json: cannot unmarshal object into Go struct field PodSpec\.spec\.template\.spec\.containers of type \[\]v1\.Container$/,
    );
    await unchanged(before);
  });

  it('a fraction where an integer goes: a number to the typed conversion, not to Go', async () => {
    const before = await snapshot('deployment', 'web');
    const file = await manifest(sandbox, 'web-fraction.yaml', variant('replicas: 2', 'replicas: 1.5'));
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(
      `Error from server (BadRequest): error when replacing "${file}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32`,
    );
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe(
      `Error from server: failed to convert new object (${NS}/web; apps/v1, Kind=Deployment) to proper version: unable to convert unstructured object to apps/v1, Kind=Deployment: cannot convert float64 to int32`,
    );
    expect(await fails(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '-p', '{"spec":{"replicas":1.5}}'])).toBe(
      'The request is invalid: patch: Invalid value: "map[spec:map[replicas:1.5]]": cannot convert float64 to int32',
    );
    await unchanged(before);
  });

  it('several wrong values in one apply are listed together', async () => {
    const before = await snapshot('deployment', 'web');
    const file = await manifest(sandbox, 'web-several.yaml', variant('replicas: 2', 'replicas: "two"').replace('image: nginx', 'image: 5'));
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe(
      `Error from server: failed to create typed patch object (${NS}/web; apps/v1, Kind=Deployment): errors:\n` +
        '  .spec.replicas: expected numeric (int or float), got string\n' +
        '  .spec.template.spec.containers[name="nginx"].image: expected string, got &value.valueUnstructured{Value:5}',
    );
    await unchanged(before);
  });
});

describe('undeclared fields a write may carry (--validate=warn or false) are dropped, as decoding into the Go struct drops them', () => {
  it('create, client-side apply and merge patch store none of them', async () => {
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: ${NS}}\ndata: {a: b}\nbogus: 1\n`;
    expect(await ok(kubectl, ['create', '--validate=false', '-f', await manifest(sandbox, 'cm-extra.yaml', cm)])).toBe('configmap/extra created\n');
    expect(jsonOf(await ok(kubectl, ['-n', NS, 'get', 'configmap', 'extra', '-o', 'json'])).bogus).toBeUndefined();
    const file = await manifest(sandbox, 'web-extra.yaml', variant('replicas: 2', 'replicas: 2\n  foo: 1'));
    // Strict (kubectl's default): kubectl apply's strategic merge patch fails the converter's strict check, 422 on the patch.
    const strict = await fails(kubectl, ['apply', '-f', file]);
    expect(strict).toMatch(
      /^The request is invalid: patch: Invalid value: "map\[metadata:map\[annotations:map\[kubectl\.kubernetes\.io\/last-applied-configuration:.* spec:map\[foo:1.*\]": strict decoding error: unknown field "spec\.foo"$/s,
    );
    const applied = await kubectl(['apply', '--validate=warn', '-f', file]);
    expect(applied.stderr).toBe('Warning: unknown field "spec.foo"\n');
    expect(applied.stdout).toBe('deployment.apps/web configured\n');
    await ok(kubectl, ['-n', NS, 'patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"bar":1,"template":{"spec":{"baz":2}}}}']);
    const spec = jsonOf<{ spec: Record<string, unknown> & { template: { spec: Record<string, unknown> } } }>(await ok(kubectl, ['-n', NS, 'get', 'deployment', 'web', '-o', 'json'])).spec;
    expect([spec.foo, spec.bar, spec.template.spec.baz]).toEqual([undefined, undefined, undefined]);
  });
});

describe('a Service, where nothing else writes: the store revision does not move', () => {
  const service = `apiVersion: v1\nkind: Service\nmetadata: {name: svc, namespace: ${NS}}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n`;

  it('every path refuses, the resourceVersion stays', async () => {
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'svc.yaml', service)]);
    const before = await snapshot('service', 'svc');
    const file = await manifest(sandbox, 'svc-bad.yaml', service.replace('port: 80', 'port: "80"'));
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(
      `Error from server (BadRequest): error when replacing "${file}": Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32`,
    );
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe(
      `Error from server: failed to create typed patch object (${NS}/svc; /v1, Kind=Service): .spec.ports[port="80",protocol="TCP"].port: expected numeric (int or float), got string`,
    );
    expect(await fails(kubectl, ['-n', NS, 'patch', 'service', 'svc', '--type=json', '-p', '[{"op":"replace","path":"/spec/ports/0/targetPort","value":true}]'])).toMatch(
      /": json: cannot unmarshal bool into Go struct field ServicePort\.spec\.ports\.targetPort of type int32$/,
    );
    await unchanged(before, 'service', 'svc', true);
  });

  it("server-side apply refuses undeclared fields whatever fieldValidation says: structured-merge-diff's 500", async () => {
    const before = await snapshot('service', 'svc');
    // kubernetes/kubernetes#122480: a field removed from the API (spec.topologyKeys, gone in 1.22)
    const file = await manifest(sandbox, 'svc-topology.yaml', service.replace('  selector:', '  topologyKeys: ["*"]\n  selector:'));
    const refused = `Error from server: failed to create typed patch object (${NS}/svc; /v1, Kind=Service): .spec.topologyKeys: field not declared in schema`;
    for (const validate of ['--validate=strict', '--validate=warn', '--validate=false']) {
      expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', validate, '-f', file])).toBe(refused);
    }
    // several: each struct's first undeclared field, list items by their keys (the port's protocol is its key default)
    const several = await manifest(
      sandbox,
      'svc-several.yaml',
      service.replace('name: svc,', 'name: svc, labelz: {a: b},').replace('targetPort: 8080', 'targetPort: 8080, nodePortz: 1'),
    );
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', several])).toBe(
      `Error from server: failed to create typed patch object (${NS}/svc; /v1, Kind=Service): errors:\n` +
        '  .metadata.labelz: field not declared in schema\n' +
        '  .spec.ports[port=80,protocol="TCP"].nodePortz: field not declared in schema',
    );
    // a port without its key: the list is named, walked no further, listed with the rest
    const unkeyed = await manifest(sandbox, 'svc-unkeyed.yaml', service.replace('name: svc,', 'name: svc, labelz: {a: b},').replace('port: 80, ', ''));
    expect(await fails(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', unkeyed])).toBe(
      `Error from server: failed to create typed patch object (${NS}/svc; /v1, Kind=Service): errors:\n` +
        '  .metadata.labelz: field not declared in schema\n' +
        '  .spec.ports: element 0: associative list with keys has an element that omits key field "port" (and doesn\'t have default value)',
    );
    await unchanged(before, 'service', 'svc', true);
    // a new object is not created
    const fresh = await manifest(sandbox, 'svc-fresh-topology.yaml', service.replace('name: svc', 'name: fresh').replace('  selector:', '  topologyKeys: ["*"]\n  selector:'));
    expect(await fails(kubectl, ['apply', '--server-side', '-f', fresh])).toBe(refused.replace(`${NS}/svc;`, `${NS}/fresh;`));
    expect((await kubectl(['-n', NS, 'get', 'service', 'fresh'])).stderr).toContain('"fresh" not found');
    // create and client-side apply keep fieldValidation's strict decoding error
    expect(await fails(kubectl, ['create', '-f', fresh])).toBe(
      `Error from server (BadRequest): error when creating "${fresh}": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.topologyKeys"`,
    );
    expect(await fails(kubectl, ['apply', '-f', file])).toMatch(/^The request is invalid: patch: Invalid value: ".*": strict decoding error: unknown field "spec\.topologyKeys"$/s);
    await unchanged(before, 'service', 'svc', true);
  });
});

describe('custom resources: their openAPIV3Schema', () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec: {type: string}
              replicas: {type: integer}
              paused: {type: boolean}
              tags: {type: array, items: {type: string}}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
  const cronTab = (spec: string) => `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: ct, namespace: ${NS}}\nspec: ${spec}\n`;
  const invalidReplicas = 'The CronTab "ct" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"';

  beforeAll(async () => {
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'crd.yaml', crd)]);
    await poll('the CronTab kind served', async () => (await kubectl(['get', 'crontabs', '-A'])).code === 0, 60_000);
  });

  it('create, apply, replace and merge patch fail schema validation; server-side apply the typed conversion', async () => {
    const bad = await manifest(sandbox, 'ct-bad.yaml', cronTab('{cronSpec: "* * * * */5", replicas: "abc"}'));
    expect(await fails(kubectl, ['create', '-f', bad])).toBe(invalidReplicas);
    expect(await fails(kubectl, ['apply', '--server-side', '-f', bad])).toBe(
      `Error from server: failed to create typed patch object (${NS}/ct; stable.example.com/v1, Kind=CronTab): .spec.replicas: expected numeric (int or float), got string`,
    );
    expect((await kubectl(['-n', NS, 'get', 'crontab', 'ct'])).stderr).toContain('"ct" not found');

    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'ct.yaml', cronTab('{cronSpec: "* * * * */5", replicas: 2}'))]);
    const before = await snapshot('crontab', 'ct');
    expect(await fails(kubectl, ['apply', '-f', bad])).toBe(invalidReplicas);
    expect(await fails(kubectl, ['replace', '-f', bad])).toBe(invalidReplicas);
    expect(await fails(kubectl, ['-n', NS, 'patch', 'crontab', 'ct', '--type=merge', '-p', '{"spec":{"tags":{"a":"b"}}}'])).toBe(
      'The CronTab "ct" is invalid: spec.tags: Invalid value: "object": spec.tags in body must be of type array: "object"',
    );
    const several = await manifest(sandbox, 'ct-several.yaml', cronTab('{cronSpec: "* * * * */5", replicas: 2, paused: "yes", tags: {a: b}}'));
    expect(await fails(kubectl, ['apply', '--server-side', '-f', several])).toBe(
      `Error from server: failed to create typed patch object (${NS}/ct; stable.example.com/v1, Kind=CronTab): errors:\n` +
        '  .spec.paused: expected boolean, got &{yes}\n' +
        '  .spec.tags: expected list, got &{map[a:b]}',
    );
    await unchanged(before, 'crontab', 'ct', true);
  });

  it('server-side apply refuses fields its structural schema does not declare; x-kubernetes-preserve-unknown-fields holds anything', async () => {
    const before = await snapshot('crontab', 'ct');
    const undeclared = await manifest(sandbox, 'ct-undeclared.yaml', cronTab('{cronSpec: "* * * * */5", replicas: 2, foo: 1}'));
    const refused = `Error from server: failed to create typed patch object (${NS}/ct; stable.example.com/v1, Kind=CronTab): .spec.foo: field not declared in schema`;
    expect(await fails(kubectl, ['apply', '--server-side', '-f', undeclared])).toBe(refused);
    expect(await fails(kubectl, ['apply', '--server-side', '--validate=false', '-f', undeclared])).toBe(refused);
    const several = await manifest(sandbox, 'ct-undeclared-several.yaml', `${cronTab('{cronSpec: "* * * * */5", replicas: 2, extra: {any: [1, {b: 2}]}}').replace('name: ct,', 'name: ct, labelz: {},')}statuz: {}\n`);
    expect(await fails(kubectl, ['apply', '--server-side', '-f', several])).toBe(
      `Error from server: failed to create typed patch object (${NS}/ct; stable.example.com/v1, Kind=CronTab): errors:\n` +
        '  .metadata.labelz: field not declared in schema\n' +
        '  .statuz: field not declared in schema',
    );
    await unchanged(before, 'crontab', 'ct', true);
    const fresh = await manifest(sandbox, 'ct-fresh-undeclared.yaml', cronTab('{cronSpec: "* * * * */5", foo: 1}').replace('name: ct', 'name: fresh'));
    expect(await fails(kubectl, ['apply', '--server-side', '-f', fresh])).toBe(refused.replace(`${NS}/ct;`, `${NS}/fresh;`));
    expect((await kubectl(['-n', NS, 'get', 'crontab', 'fresh'])).stderr).toContain('"fresh" not found');
    const free = await manifest(sandbox, 'ct-free.yaml', cronTab('{cronSpec: "* * * * */5", extra: {any: [1, {b: 2}], x: {w: z}}}').replace('name: ct', 'name: free'));
    expect(await ok(kubectl, ['apply', '--server-side', '-f', free])).toBe('crontab.stable.example.com/free serverside-applied\n');
    expect(jsonOf<{ spec: { extra: unknown } }>(await ok(kubectl, ['-n', NS, 'get', 'crontab', 'free', '-o', 'json'])).spec.extra).toEqual({ any: [1, { b: 2 }], x: { w: 'z' } });
  });

  it('a valid client-side apply of a custom resource still goes through (managedFields are not unknown fields)', async () => {
    expect(await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'ct-3.yaml', cronTab('{cronSpec: "* * * * */5", replicas: 3}'))])).toBe(
      'crontab.stable.example.com/ct configured\n',
    );
  });
});
