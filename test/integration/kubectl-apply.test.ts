// Writing with kubectl as the course does: create, apply (client- and server-side), diff, replace,
// patch, delete, and --dry-run=server, each checked against what kubectl prints on a real cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { fails, jsonOf, manifest, ok, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 1 });
  kubectl = kubectlFor(sandbox);
  await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: apply}\n')]);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

const configMap = (name: string, data: Record<string, string>, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apply\n${extra}data:\n${Object.entries(data)
    .map(([k, v]) => `  ${k}: "${v}"\n`)
    .join('')}`;

interface Meta {
  metadata: { name: string; uid: string; resourceVersion: string; annotations?: Record<string, string>; managedFields?: { manager: string; operation: string }[] };
  data?: Record<string, string>;
}

// kubectl hides managedFields unless asked.
const getCm = async (name: string) => jsonOf<Meta>(await ok(kubectl, ['-n', 'apply', 'get', 'configmap', name, '-o', 'json', '--show-managed-fields']));

describe('create', () => {
  it('creates every object of a multi-document file, in order', async () => {
    const file = await manifest(sandbox, 'multi.yaml', `${configMap('m1', { a: '1' })}---\n${configMap('m2', { b: '2' })}`);
    expect(await ok(kubectl, ['create', '-f', file])).toBe('configmap/m1 created\nconfigmap/m2 created\n');
    expect((await getCm('m2')).data).toEqual({ b: '2' });
  });

  it('creates from stdin', async () => {
    expect(await ok(kubectl, ['create', '-f', '-'], { stdin: configMap('from-stdin', { a: '1' }) })).toBe('configmap/from-stdin created\n');
  });

  it('--dry-run=server validates and answers without storing', async () => {
    const file = await manifest(sandbox, 'dry.yaml', configMap('dry', { a: '1' }));
    expect(await ok(kubectl, ['create', '-f', file, '--dry-run=server'])).toBe('configmap/dry created (server dry run)\n');
    expect(await ok(kubectl, ['apply', '-f', file, '--dry-run=server'])).toBe('configmap/dry created (server dry run)\n');
    expect(await ok(kubectl, ['apply', '--server-side', '-f', file, '--dry-run=server'])).toBe('configmap/dry serverside-applied (server dry run)\n');
    expect(await fails(kubectl, ['-n', 'apply', 'get', 'configmap', 'dry'])).toBe('Error from server (NotFound): configmaps "dry" not found');
    // The course's example: kubectl run ... --dry-run=server.
    expect(await ok(kubectl, ['-n', 'apply', 'run', 'nginx', '--image=nginx', '--dry-run=server'])).toBe('pod/nginx created (server dry run)\n');
    expect(await fails(kubectl, ['-n', 'apply', 'get', 'pod', 'nginx'])).toBe('Error from server (NotFound): pods "nginx" not found');
    // A dry-run that would fail fails the same way.
    const bad = await manifest(sandbox, 'dry-bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: dry-bad, namespace: apply}\nspec:\n  containers: [{name: c}]\n');
    expect(await fails(kubectl, ['create', '-f', bad, '--dry-run=server'])).toBe('The Pod "dry-bad" is invalid: spec.containers[0].image: Required value');
  });

  it('--dry-run=client prints without calling the server', async () => {
    expect(await ok(kubectl, ['-n', 'apply', 'run', 'nginx', '--image=nginx', '--dry-run=client'])).toBe('pod/nginx created (dry run)\n');
  });

  it('kubectl run creates a pod with the run label', async () => {
    expect(await ok(kubectl, ['-n', 'apply', 'run', 'pingu', '--image=alpine', '--', 'ping', '127.1'])).toBe('pod/pingu created\n');
    const pod = jsonOf<{ metadata: { labels: Record<string, string> }; spec: { containers: { name: string; image: string; args: string[] }[] } }>(
      await ok(kubectl, ['-n', 'apply', 'get', 'pod', 'pingu', '-o', 'json']),
    );
    expect(pod.metadata.labels).toEqual({ run: 'pingu' });
    expect(pod.spec.containers[0]).toMatchObject({ name: 'pingu', image: 'alpine', args: ['ping', '127.1'] });
  });
});

describe('client-side apply', () => {
  it('created, unchanged, configured; the last-applied annotation follows the file', async () => {
    const v1 = await manifest(sandbox, 'csa-v1.yaml', configMap('csa', { a: '1', b: '2' }));
    expect(await ok(kubectl, ['apply', '-f', v1])).toBe('configmap/csa created\n');
    const created = await getCm('csa');
    expect(JSON.parse(created.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { annotations: {}, name: 'csa', namespace: 'apply' },
      data: { a: '1', b: '2' },
    });
    expect(await ok(kubectl, ['apply', '-f', v1])).toBe('configmap/csa unchanged\n');
    expect((await getCm('csa')).metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    // Removing b from the file removes it from the object (three-way merge), changing a updates it.
    const v2 = await manifest(sandbox, 'csa-v2.yaml', configMap('csa', { a: '10' }));
    expect(await ok(kubectl, ['apply', '-f', v2])).toBe('configmap/csa configured\n');
    const configured = await getCm('csa');
    expect(configured.data).toEqual({ a: '10' });
    expect(configured.metadata.uid).toBe(created.metadata.uid);
    expect(Number(configured.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(configured.metadata.managedFields?.map((m) => [m.manager, m.operation])).toEqual([['kubectl-client-side-apply', 'Update']]);
  });

  it('a field added by someone else survives an apply that does not mention it', async () => {
    const file = await manifest(sandbox, 'csa-keep.yaml', configMap('csa-keep', { a: '1' }));
    await ok(kubectl, ['apply', '-f', file]);
    await ok(kubectl, ['-n', 'apply', 'patch', 'configmap', 'csa-keep', '-p', '{"data":{"extra":"x"}}']);
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('configmap/csa-keep unchanged\n');
    expect((await getCm('csa-keep')).data).toEqual({ a: '1', extra: 'x' });
  });

  it('apply on an object created without it warns and patches the annotation in', async () => {
    const file = await manifest(sandbox, 'csa-created.yaml', configMap('csa-created', { a: '1' }));
    await ok(kubectl, ['create', '-f', file]);
    const r = await kubectl(['apply', '-f', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('configmap/csa-created configured\n');
    expect(r.stderr).toContain('Warning: resource configmaps/csa-created is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply.');
    expect((await getCm('csa-created')).metadata.annotations).toHaveProperty(['kubectl.kubernetes.io/last-applied-configuration']);
  });
});

describe('a whole application (Deployment, Service, Ingress)', () => {
  it('is created, then unchanged: server defaults never make a re-apply look like a change', async () => {
    const file = await manifest(
      sandbox,
      'app.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: apply, labels: {app: app}}
spec:
  replicas: 2
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        resources: {requests: {cpu: 100m, memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: apply}
spec:
  selector: {app: app}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app, namespace: apply}
spec:
  rules:
  - host: app.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}
`,
    );
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('deployment.apps/app created\nservice/app created\ningress.networking.k8s.io/app created\n');
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('deployment.apps/app unchanged\nservice/app unchanged\ningress.networking.k8s.io/app unchanged\n');
    expect(await ok(kubectl, ['apply', '--server-side', '-f', file])).toBe('deployment.apps/app serverside-applied\nservice/app serverside-applied\ningress.networking.k8s.io/app serverside-applied\n');
    expect(await kubectl(['diff', '-f', file])).toMatchObject({ code: 0, stdout: '' });
    const svc = await ok(kubectl, ['-n', 'apply', 'get', 'service', 'app']);
    expect(svc).toMatch(/^app\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+$/m);
    expect(await ok(kubectl, ['-n', 'apply', 'get', 'ingress', 'app'])).toMatch(/^app\s+<none>\s+app\.example\.com\s+80\s+\S+$/m);
  });
});

describe('server-side apply', () => {
  it('serverside-applied each time; managed fields belong to kubectl as Apply', async () => {
    const v1 = await manifest(sandbox, 'ssa-v1.yaml', configMap('ssa', { a: '1' }));
    expect(await ok(kubectl, ['apply', '--server-side', '-f', v1])).toBe('configmap/ssa serverside-applied\n');
    const first = await getCm('ssa');
    expect(first.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    expect(first.metadata.managedFields?.map((m) => [m.manager, m.operation])).toEqual([['kubectl', 'Apply']]);
    expect(await ok(kubectl, ['apply', '--server-side', '-f', v1])).toBe('configmap/ssa serverside-applied\n');
    expect((await getCm('ssa')).metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const v2 = await manifest(sandbox, 'ssa-v2.yaml', configMap('ssa', { a: '2', b: '3' }));
    expect(await ok(kubectl, ['apply', '--server-side', '-f', v2])).toBe('configmap/ssa serverside-applied\n');
    expect((await getCm('ssa')).data).toEqual({ a: '2', b: '3' });
    // Fields the manager stops applying are removed.
    expect(await ok(kubectl, ['apply', '--server-side', '-f', v1])).toBe('configmap/ssa serverside-applied\n');
    expect((await getCm('ssa')).data).toEqual({ a: '1' });
  });

  it('a field owned by another manager is a conflict until --force-conflicts', async () => {
    const file = await manifest(sandbox, 'ssa-conflict.yaml', configMap('ssa-conflict', { a: '1' }));
    await ok(kubectl, ['apply', '--server-side', '-f', file]);
    expect(await ok(kubectl, ['-n', 'apply', 'patch', 'configmap', 'ssa-conflict', '-p', '{"data":{"a":"other"}}'])).toBe('configmap/ssa-conflict patched\n');
    const err = await fails(kubectl, ['apply', '--server-side', '-f', file]);
    expect(err.split('\n')[0]).toBe('error: Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .data.a');
    expect(err).toContain('command with the `--force-conflicts` flag.');
    expect(await ok(kubectl, ['apply', '--server-side', '--force-conflicts', '-f', file])).toBe('configmap/ssa-conflict serverside-applied\n');
    const cm = await getCm('ssa-conflict');
    expect(cm.data).toEqual({ a: '1' });
    expect(cm.metadata.managedFields?.map((m) => m.manager)).toEqual(['kubectl']);
  });

  it('--field-manager names the owner', async () => {
    const file = await manifest(sandbox, 'ssa-fm.yaml', configMap('ssa-fm', { a: '1' }));
    await ok(kubectl, ['apply', '--server-side', '--field-manager=course', '-f', file]);
    expect((await getCm('ssa-fm')).metadata.managedFields?.map((m) => [m.manager, m.operation])).toEqual([['course', 'Apply']]);
  });
});

describe('diff', () => {
  it('exits 0 with no output when live matches, 1 with a unified diff otherwise', async () => {
    const v1 = await manifest(sandbox, 'diff-v1.yaml', configMap('diffed', { a: '1' }));
    await ok(kubectl, ['apply', '-f', v1]);
    const same = await kubectl(['diff', '-f', v1]);
    expect(same).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const v2 = await manifest(sandbox, 'diff-v2.yaml', configMap('diffed', { a: '2' }));
    const changed = await kubectl(['diff', '-f', v2]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^diff -u -N \S+\/v1\.ConfigMap\.apply\.diffed \S+\/v1\.ConfigMap\.apply\.diffed$/m);
    expect(changed.stdout).toMatch(/^- {2}a: "1"$/m);
    expect(changed.stdout).toMatch(/^\+ {2}a: "2"$/m);
    // The generation-independent fields: resourceVersion does not show as a change.
    expect(changed.stdout).not.toMatch(/^[-+]\s+resourceVersion/m);
    // diff changed nothing.
    expect((await getCm('diffed')).data).toEqual({ a: '1' });
    const created = await kubectl(['diff', '-f', await manifest(sandbox, 'diff-new.yaml', configMap('diff-new', { z: '1' }))]);
    expect(created.code).toBe(1);
    expect(created.stdout).toMatch(/^\+ {2}z: "1"$/m);
    expect(await fails(kubectl, ['-n', 'apply', 'get', 'configmap', 'diff-new'])).toBe('Error from server (NotFound): configmaps "diff-new" not found');
    const ssa = await kubectl(['diff', '--server-side', '-f', v2]);
    expect(ssa.code).toBe(1);
    expect(ssa.stdout).toMatch(/^\+ {2}a: "2"$/m);
  });
});

describe('replace, patch, delete', () => {
  it('replace swaps the whole object and keeps its uid', async () => {
    const file = await manifest(sandbox, 'rep.yaml', configMap('rep', { a: '1', b: '2' }));
    await ok(kubectl, ['create', '-f', file]);
    const before = await getCm('rep');
    const next = await manifest(sandbox, 'rep2.yaml', configMap('rep', { c: '3' }));
    expect(await ok(kubectl, ['replace', '-f', next])).toBe('configmap/rep replaced\n');
    const after = await getCm('rep');
    expect(after.data).toEqual({ c: '3' });
    expect(after.metadata.uid).toBe(before.metadata.uid);
    // --force deletes and re-creates: a new uid.
    expect(await ok(kubectl, ['replace', '--force', '-f', next])).toBe('configmap "rep" deleted\nconfigmap/rep replaced\n');
    expect((await getCm('rep')).metadata.uid).not.toBe(before.metadata.uid);
  });

  it('patch: strategic (default), merge and json, and "no change"', async () => {
    await ok(kubectl, ['create', '-f', await manifest(sandbox, 'pat.yaml', configMap('pat', { a: '1' }))]);
    expect(await ok(kubectl, ['-n', 'apply', 'patch', 'configmap', 'pat', '-p', '{"data":{"b":"2"}}'])).toBe('configmap/pat patched\n');
    expect(await ok(kubectl, ['-n', 'apply', 'patch', 'configmap', 'pat', '-p', '{"data":{"b":"2"}}'])).toBe('configmap/pat patched (no change)\n');
    expect(await ok(kubectl, ['-n', 'apply', 'patch', 'configmap', 'pat', '--type=merge', '-p', '{"data":{"a":null}}'])).toBe('configmap/pat patched\n');
    expect(await ok(kubectl, ['-n', 'apply', 'patch', 'configmap', 'pat', '--type=json', '-p', '[{"op":"add","path":"/data/c","value":"3"}]'])).toBe('configmap/pat patched\n');
    expect((await getCm('pat')).data).toEqual({ b: '2', c: '3' });
    expect(await fails(kubectl, ['-n', 'apply', 'patch', 'configmap', 'pat', '--type=json', '-p', '[{"op":"remove","path":"/data/zzz"}]'])).toBe(
      'The request is invalid: the server rejected our request due to an error in our request',
    );
  });

  it("patch of the course's CronJob suspends and resumes it; strategic merge keeps list items by name", async () => {
    const file = await manifest(
      sandbox,
      'cron.yaml',
      `apiVersion: batch/v1
kind: CronJob
metadata: {name: exemple-cronjob, namespace: apply}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox
            command: ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"]
`,
    );
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('cronjob.batch/exemple-cronjob created\n');
    expect(await ok(kubectl, ['-n', 'apply', 'patch', 'cronjob', 'exemple-cronjob', '-p', '{"spec" : {"suspend" : true }}'])).toBe('cronjob.batch/exemple-cronjob patched\n');
    expect(await ok(kubectl, ['-n', 'apply', 'get', 'cronjob', 'exemple-cronjob', '-o', 'jsonpath={.spec.suspend}'])).toBe('true');
    expect(await ok(kubectl, ['-n', 'apply', 'patch', 'cronjob', 'exemple-cronjob', '-p', '{"spec" : {"suspend" : false }}'])).toBe('cronjob.batch/exemple-cronjob patched\n');
    const out = await ok(kubectl, ['-n', 'apply', 'get', 'cronjobs']);
    expect(out).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/m);
    expect(out).toMatch(/^exemple-cronjob\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\S+$/m);
    const containerPatch = '{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"hello","image":"busybox:1.36"}]}}}}}}';
    await ok(kubectl, ['-n', 'apply', 'patch', 'cronjob', 'exemple-cronjob', '-p', containerPatch]);
    const cj = jsonOf<{ spec: { jobTemplate: { spec: { template: { spec: { containers: { image: string; command: string[] }[] } } } } } }>(
      await ok(kubectl, ['-n', 'apply', 'get', 'cronjob', 'exemple-cronjob', '-o', 'json']),
    );
    expect(cj.spec.jobTemplate.spec.template.spec.containers).toHaveLength(1);
    expect(cj.spec.jobTemplate.spec.template.spec.containers[0]).toMatchObject({ image: 'busybox:1.36', command: ['/bin/sh', '-c', 'date; echo Hello from the Kubernetes cluster'] });
  });

  it('delete by name, by file, by label and --all; a dry-run delete keeps the object', async () => {
    const file = await manifest(sandbox, 'del.yaml', `${configMap('del-1', { a: '1' }, '  labels: {del: "yes"}\n')}---\n${configMap('del-2', { a: '1' }, '  labels: {del: "yes"}\n')}`);
    await ok(kubectl, ['create', '-f', file]);
    expect(await ok(kubectl, ['-n', 'apply', 'delete', 'configmap', 'del-1', '--dry-run=server'])).toBe('configmap "del-1" deleted (server dry run)\n');
    expect((await getCm('del-1')).metadata.name).toBe('del-1');
    expect(await ok(kubectl, ['-n', 'apply', 'delete', 'configmap', '-l', 'del=yes'])).toBe('configmap "del-1" deleted\nconfigmap "del-2" deleted\n');
    await ok(kubectl, ['create', '-f', file]);
    expect(await ok(kubectl, ['delete', '-f', file])).toBe('configmap "del-1" deleted\nconfigmap "del-2" deleted\n');
    const r = await kubectl(['delete', '-f', file, '--ignore-not-found']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    await ok(kubectl, ['create', '-f', file]);
    expect(await ok(kubectl, ['-n', 'apply', 'delete', 'configmap', 'del-1', 'del-2'])).toBe('configmap "del-1" deleted\nconfigmap "del-2" deleted\n');
  });

  it('delete --all empties a namespace of one kind', async () => {
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'all.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: del-all}\n')]);
    const file = await manifest(sandbox, 'all-cms.yaml', ['s1', 's2'].map((n) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${n}, namespace: del-all}\nstringData: {k: v}\n`).join('---\n'));
    await ok(kubectl, ['create', '-f', file]);
    expect(await ok(kubectl, ['-n', 'del-all', 'delete', 'secrets', '--all'])).toBe('secret "s1" deleted\nsecret "s2" deleted\n');
    expect((await kubectl(['-n', 'del-all', 'get', 'secrets'])).stderr).toBe('No resources found in del-all namespace.\n');
  });
});

describe("the course's day-to-day commands", () => {
  it('scale and set image on a deployment', async () => {
    const file = await manifest(
      sandbox,
      'nginx-deploy.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nginx, namespace: apply}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: nginx}}\n  template:\n    metadata: {labels: {app: nginx}}\n    spec:\n      containers: [{name: nginx, image: "nginx:1.14"}]\n',
    );
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('deployment.apps/nginx created\n');
    expect(await ok(kubectl, ['-n', 'apply', 'scale', '--replicas=5', 'deployment', 'nginx'])).toBe('deployment.apps/nginx scaled\n');
    expect(await ok(kubectl, ['-n', 'apply', 'set', 'image', 'deployment', 'nginx', 'nginx=nginx:1.15'])).toBe('deployment.apps/nginx image updated\n');
    expect(await ok(kubectl, ['-n', 'apply', 'get', 'deployment', 'nginx', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.generation}'])).toBe('5 nginx:1.15 3');
    expect(await ok(kubectl, ['-n', 'apply', 'describe', 'deployment', 'nginx'])).toMatch(/^Replicas:\s+5 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/m);
    expect(await ok(kubectl, ['-n', 'apply', 'get', 'deploy,po', '--show-labels'])).toMatch(/^deployment\.apps\/nginx\s+\S+\s+\d+\s+\d+\s+\S+\s+<none>$/m);
  });

  it('cluster-info and a default namespace set in the context', async () => {
    expect(await ok(kubectl, ['cluster-info'])).toContain(`Kubernetes control plane is running at ${sandbox.url}`);
    await ok(kubectl, ['config', 'set-context', '--current', '--namespace', 'apply']);
    try {
      expect(await ok(kubectl, ['config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.namespace}'])).toBe('apply');
      expect(await ok(kubectl, ['get', 'deployment', 'nginx', '-o', 'name'])).toBe('deployment.apps/nginx\n');
    } finally {
      await ok(kubectl, ['config', 'set-context', '--current', '--namespace', '']);
    }
  });
});
