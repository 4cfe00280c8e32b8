// What the control plane does on its own after a kubectl command: namespace deletion (Terminating,
// then gone with its contents), garbage collection of ownerReferences (background, foreground,
// orphan) and CustomResourceDefinitions (served once Established, validated, explained).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KUBECTL, kubectlFor, removeDir, run, startSandbox, type RunningSandbox } from './harness.js';
import { fails, jsonOf, manifest, ok, poll, table, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 1 });
  kubectl = kubectlFor(sandbox);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

const gone = async (args: string[]) => (await kubectl(args)).stderr.includes('(NotFound)');

describe('namespaces', () => {
  it('a new namespace is Active with the kubernetes finalizer, its default ServiceAccount and root CA', async () => {
    expect(await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'ns-a.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n')])).toBe('namespace/team-a created\n');
    const ns = jsonOf<{ metadata: { labels: Record<string, string> }; spec: unknown; status: unknown }>(await ok(kubectl, ['get', 'ns', 'team-a', '-o', 'json']));
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    await poll('default ServiceAccount', async () => (await kubectl(['-n', 'team-a', 'get', 'serviceaccount', 'default'])).code === 0);
    await poll('kube-root-ca.crt', async () => (await kubectl(['-n', 'team-a', 'get', 'configmap', 'kube-root-ca.crt'])).code === 0);
  });

  it('kubectl delete ns waits until the namespace and everything in it are gone', async () => {
    const file = await manifest(
      sandbox,
      'ns-content.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: doomed}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1, namespace: doomed}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s1, namespace: doomed}\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    expect(await ok(kubectl, ['delete', 'ns', 'doomed'])).toBe('namespace "doomed" deleted\n');
    expect(await fails(kubectl, ['get', 'ns', 'doomed'])).toBe('Error from server (NotFound): namespaces "doomed" not found');
    expect((await kubectl(['-n', 'doomed', 'get', 'configmaps,secrets'])).stderr).toBe('No resources found in doomed namespace.\n');
    // The name can be used again at once.
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('namespace/doomed created\nconfigmap/c1 created\nsecret/s1 created\n');
  });

  it('content held by a finalizer keeps the namespace Terminating, with conditions saying why', async () => {
    await ok(kubectl, [
      'apply',
      '-f',
      await manifest(sandbox, 'ns-held.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: held}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: keep, namespace: held, finalizers: [example.com/hold]}\n'),
    ]);
    expect(await ok(kubectl, ['delete', 'ns', 'held', '--wait=false'])).toBe('namespace "held" deleted\n');
    const t = table(await ok(kubectl, ['get', 'ns', 'held']));
    expect(t.rows.map((r) => [r.NAME, r.STATUS])).toEqual([['held', 'Terminating']]);
    // Nothing new may be created in a Terminating namespace.
    const extra = await manifest(sandbox, 'ns-held-extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, namespace: held}\n');
    expect(await fails(kubectl, ['create', '-f', extra])).toBe(
      `Error from server (Forbidden): error when creating "${extra}": configmaps "late" is forbidden: unable to create new content in namespace held because it is being terminated`,
    );
    const described = await poll('deletion conditions', async () => {
      const out = await ok(kubectl, ['describe', 'ns', 'held']);
      return out.includes('NamespaceFinalizersRemaining') ? out : undefined;
    });
    expect(described).toMatch(/^Status:\s+Terminating$/m);
    expect(described).toMatch(/^ {2}NamespaceContentRemaining\s+True\s+.+\s+SomeResourcesRemain\s+Some resources are remaining: configmaps\. has 1 resource instances$/m);
    expect(described).toMatch(/^ {2}NamespaceFinalizersRemaining\s+True\s+.+\s+SomeFinalizersRemain\s+Some content in the namespace has finalizers remaining: example\.com\/hold in 1 resource instances$/m);
    // The held object is being deleted, not gone.
    expect(await ok(kubectl, ['-n', 'held', 'get', 'configmap', 'keep', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).not.toBe('');
    await ok(kubectl, ['-n', 'held', 'patch', 'configmap', 'keep', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    await poll('namespace held gone', () => gone(['get', 'ns', 'held']));
  });

  it('the system namespaces may not be deleted', async () => {
    expect(await fails(kubectl, ['delete', 'ns', 'default'])).toBe('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
    expect(await fails(kubectl, ['delete', 'ns', 'kube-system'])).toBe('Error from server (Forbidden): namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });
});

describe('garbage collection', () => {
  /** An owner ConfigMap and a dependent that names it in ownerReferences. */
  async function ownerAndDependent(prefix: string, dependentExtra = ''): Promise<{ ownerUid: string }> {
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, `${prefix}-owner.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${prefix}-owner}\n`)]);
    const ownerUid = await ok(kubectl, ['get', 'configmap', `${prefix}-owner`, '-o', 'jsonpath={.metadata.uid}']);
    const dependent = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${prefix}-dep
${dependentExtra}  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: ${prefix}-owner
    uid: ${ownerUid}
    blockOwnerDeletion: true
`;
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, `${prefix}-dep.yaml`, dependent)]);
    return { ownerUid };
  }

  it('background (the default): the owner goes at once, then its dependents', async () => {
    await ownerAndDependent('bg');
    expect(await ok(kubectl, ['delete', 'configmap', 'bg-owner'])).toBe('configmap "bg-owner" deleted\n');
    await poll('dependent collected', () => gone(['get', 'configmap', 'bg-dep']));
  });

  it('foreground: the owner waits, with the foregroundDeletion finalizer, until its dependents are gone', async () => {
    // A finalizer on the dependent makes the wait observable.
    await ownerAndDependent('fg', '  finalizers: [example.com/hold]\n');
    expect(await ok(kubectl, ['delete', 'configmap', 'fg-owner', '--cascade=foreground', '--wait=false'])).toBe('configmap "fg-owner" deleted\n');
    const owner = jsonOf<{ metadata: { finalizers?: string[]; deletionTimestamp?: string } }>(await ok(kubectl, ['get', 'configmap', 'fg-owner', '-o', 'json']));
    expect(owner.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(owner.metadata.deletionTimestamp).toBeDefined();
    await poll('dependent being deleted', async () => (await ok(kubectl, ['get', 'configmap', 'fg-dep', '-o', 'jsonpath={.metadata.deletionTimestamp}'])) !== '');
    expect((await kubectl(['get', 'configmap', 'fg-owner'])).code).toBe(0);
    await ok(kubectl, ['patch', 'configmap', 'fg-dep', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    await poll('dependent gone', () => gone(['get', 'configmap', 'fg-dep']));
    await poll('owner gone after its dependent', () => gone(['get', 'configmap', 'fg-owner']));
  });

  it('foreground without --wait=false: kubectl returns once both are gone', async () => {
    await ownerAndDependent('fgw');
    expect(await ok(kubectl, ['delete', 'configmap', 'fgw-owner', '--cascade=foreground'])).toBe('configmap "fgw-owner" deleted\n');
    expect(await gone(['get', 'configmap', 'fgw-owner'])).toBe(true);
    await poll('dependent gone', () => gone(['get', 'configmap', 'fgw-dep']));
  });

  it('orphan: the dependent stays and loses its ownerReference', async () => {
    await ownerAndDependent('or');
    expect(await ok(kubectl, ['delete', 'configmap', 'or-owner', '--cascade=orphan'])).toBe('configmap "or-owner" deleted\n');
    await poll('owner gone', () => gone(['get', 'configmap', 'or-owner']));
    await poll('ownerReferences removed', async () => (await ok(kubectl, ['get', 'configmap', 'or-dep', '-o', 'jsonpath={.metadata.ownerReferences}'])) === '');
    // And it is not collected later.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await kubectl(['get', 'configmap', 'or-dep'])).code).toBe(0);
  });

  it('a dependent whose owner never existed is collected', async () => {
    const dangling = `apiVersion: v1
kind: ConfigMap
metadata:
  name: dangling
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: ghost, uid: 00000000-0000-0000-0000-000000000001}
`;
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'dangling.yaml', dangling)]);
    await poll('dangling dependent collected', () => gone(['get', 'configmap', 'dangling']));
  });

  it('a dependent with one live owner left is kept', async () => {
    const { ownerUid } = await ownerAndDependent('two');
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'two-owner2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two-owner2}\n')]);
    const uid2 = await ok(kubectl, ['get', 'configmap', 'two-owner2', '-o', 'jsonpath={.metadata.uid}']);
    const refs = JSON.stringify([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'two-owner', uid: ownerUid },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'two-owner2', uid: uid2 },
    ]);
    await ok(kubectl, ['patch', 'configmap', 'two-dep', '--type=merge', '-p', `{"metadata":{"ownerReferences":${refs}}}`]);
    await ok(kubectl, ['delete', 'configmap', 'two-owner']);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await kubectl(['get', 'configmap', 'two-dep'])).code).toBe(0);
    await ok(kubectl, ['delete', 'configmap', 'two-owner2']);
    await poll('dependent collected with its last owner', () => gone(['get', 'configmap', 'two-dep']));
  });
});

describe('custom resources', () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: The desired schedule.
            properties:
              cronSpec: {type: string, description: The cron schedule.}
              image: {type: string}
              replicas: {type: integer, minimum: 1}
            required: [cronSpec]
`;
  const cronTab = (name: string, spec: string) => `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: ${name}}\nspec: ${spec}\n`;

  it('before the CRD, the kind is unknown', async () => {
    const file = await manifest(sandbox, 'ct-early.yaml', cronTab('early', '{cronSpec: "* * * * *"}'));
    expect(await fails(kubectl, ['apply', '-f', file])).toBe(
      `error: resource mapping not found for name: "early" namespace: "" from "${file}": no matches for kind "CronTab" in version "stable.example.com/v1"\nensure CRDs are installed first`,
    );
  });

  it('an invalid CRD is refused with every reason', async () => {
    const file = await manifest(
      sandbox,
      'crd-bad.yaml',
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: foo.stable.example.com}\nspec:\n  group: stable.example.com\n  scope: Namespaced\n  names: {plural: widgets, kind: Widget}\n  versions: [{name: v1, served: true, storage: true}]\n',
    );
    expect(await fails(kubectl, ['apply', '-f', file])).toBe(
      'The CustomResourceDefinition "foo.stable.example.com" is invalid: \n' +
        '* metadata.name: Invalid value: "foo.stable.example.com": must be spec.names.plural+"."+spec.group\n' +
        '* spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
    );
  });

  it('a CRD becomes Established and its resource is served', async () => {
    expect(await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'crd.yaml', crd)])).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n');
    expect(await ok(kubectl, ['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s'])).toBe(
      'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met\n',
    );
    const empty = await kubectl(['get', 'crontabs']);
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    const t = table(await ok(kubectl, ['get', 'crd']));
    expect(t.headers).toEqual(['NAME', 'CREATED AT']);
    expect(t.rows.map((r) => r.NAME)).toEqual(['crontabs.stable.example.com']);
    const resources = table(await ok(kubectl, ['api-resources', '--api-group=stable.example.com']));
    expect(resources.rows).toEqual([{ NAME: 'crontabs', SHORTNAMES: 'ct', APIVERSION: 'stable.example.com/v1', NAMESPACED: 'true', KIND: 'CronTab' }]);
  });

  it('custom objects are created, listed with their printer columns, and read back', async () => {
    expect(await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'ct.yaml', cronTab('my-cron', '{cronSpec: "* * * * */5", image: my-cron-image, replicas: 2}'))])).toBe(
      'crontab.stable.example.com/my-cron created\n',
    );
    const t = table(await ok(kubectl, ['get', 'crontabs']));
    expect(t.headers).toEqual(['NAME', 'SPEC', 'REPLICAS', 'AGE']);
    expect(t.rows.map((r) => [r.NAME, r.SPEC, r.REPLICAS])).toEqual([['my-cron', '* * * * */5', '2']]);
    expect(await ok(kubectl, ['get', 'ct', 'my-cron', '-o', 'jsonpath={.spec.image}'])).toBe('my-cron-image');
    expect(await ok(kubectl, ['get', 'crontab.stable.example.com/my-cron', '-o', 'name'])).toBe('crontab.stable.example.com/my-cron\n');
    expect(await ok(kubectl, ['label', 'ct', 'my-cron', 'team=a'])).toBe('crontab.stable.example.com/my-cron labeled\n');
    expect(await ok(kubectl, ['patch', 'ct', 'my-cron', '--type=merge', '-p', '{"spec":{"replicas":3}}'])).toBe('crontab.stable.example.com/my-cron patched\n');
    expect(await ok(kubectl, ['get', 'ct', '-l', 'team=a', '-o', 'jsonpath={.items[0].spec.replicas}'])).toBe('3');
    expect(await ok(kubectl, ['apply', '--server-side', '-f', await manifest(sandbox, 'ct-ssa.yaml', cronTab('ssa-cron', '{cronSpec: "0 * * * *"}'))])).toBe(
      'crontab.stable.example.com/ssa-cron serverside-applied\n',
    );
  });

  it('invalid custom objects are 422 with every schema violation', async () => {
    const file = await manifest(sandbox, 'ct-bad.yaml', cronTab('bad-cron', '{cronSpec: 5, replicas: 0}'));
    expect(await fails(kubectl, ['apply', '-f', file])).toBe(
      'The CronTab "bad-cron" is invalid: \n' +
        '* spec.cronSpec: Invalid value: "integer": spec.cronSpec in body must be of type string: "integer"\n' +
        '* spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    );
    const missing = await manifest(sandbox, 'ct-missing.yaml', cronTab('missing-cron', '{image: x}'));
    expect(await fails(kubectl, ['create', '-f', missing])).toBe('The CronTab "missing-cron" is invalid: spec.cronSpec: Required value');
    const unknown = await manifest(sandbox, 'ct-unknown.yaml', cronTab('unknown-cron', '{cronSpec: "* * * * *", foo: bar}'));
    expect(await fails(kubectl, ['create', '-f', unknown])).toBe(
      `Error from server (BadRequest): error when creating "${unknown}": CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.foo"`,
    );
  });

  it('explain reads the CRD schema', async () => {
    const spec = await ok(kubectl, ['explain', 'crontab.spec']);
    expect(spec).toMatch(/^GROUP:\s+stable\.example\.com\nKIND:\s+CronTab\nVERSION:\s+v1\n\nFIELD: spec <Object>\n/);
    expect(spec).toMatch(/^DESCRIPTION:\n\s+The desired schedule\.$/m);
    expect(spec).toMatch(/^ {2}cronSpec\t<string> -required-\n\s+The cron schedule\.$/m);
    expect(spec).toMatch(/^ {2}replicas\t<integer>$/m);
  });

  it('deleting the CRD deletes its objects and stops serving the resource', async () => {
    expect(await ok(kubectl, ['delete', 'crd', 'crontabs.stable.example.com'])).toBe('customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted\n');
    // kubectl still has crontabs in its discovery cache, so it asks and the server answers 404.
    await poll('crontabs no longer served', async () =>
      (await kubectl(['get', 'crontabs'])).stderr.includes('Error from server (NotFound): Unable to list "stable.example.com/v1, Resource=crontabs": the server could not find the requested resource'),
    );
    const fresh = await run(KUBECTL, ['--kubeconfig', sandbox.kubeconfig, '--cache-dir', join(sandbox.dataDir, 'fresh-cache'), 'get', 'crontabs']);
    expect(fresh.stderr).toBe('error: the server doesn\'t have a resource type "crontabs"\n');
    // Re-created, the resource starts empty.
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'crd.yaml', crd)]);
    await ok(kubectl, ['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
    await poll('crontabs served again', async () => (await kubectl(['get', 'crontabs'])).stderr === 'No resources found in default namespace.\n');
  });
});
