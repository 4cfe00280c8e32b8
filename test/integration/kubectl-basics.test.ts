// The course's everyday kubectl commands against a 3-node sandbox: nodes, namespaces, labels and
// selectors, annotations, get in every output format and -w, describe, cordon/drain.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { KUBECTL, kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { AGE, fails, jsonOf, manifest, ok, poll, table, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

const PODS = `apiVersion: v1
kind: Namespace
metadata:
  name: course
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: course
  labels: {app: web, tier: front}
  annotations: {description: the front end}
spec:
  containers: [{name: nginx, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: course
  labels: {app: api, tier: back}
spec:
  containers: [{name: api, image: "busybox:1.36", command: ["sleep", "3600"]}]
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  namespace: course
  labels: {app: db}
spec:
  containers: [{name: postgres, image: "postgres:16"}]
`;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 3 });
  kubectl = kubectlFor(sandbox);
  const file = await manifest(sandbox, 'pods.yaml', PODS);
  expect(await ok(kubectl, ['apply', '-f', file])).toBe('namespace/course created\npod/web created\npod/api created\npod/db created\n');
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

describe('nodes and namespaces', () => {
  it('get nodes lists the control plane and two workers', async () => {
    const t = table(await ok(kubectl, ['get', 'nodes']));
    expect(t.headers).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(t.rows.map((r) => [r.NAME, r.STATUS, r.ROLES, r.VERSION])).toEqual([
      ['kubedesk-control-plane', 'Ready', 'control-plane', 'v1.32.3'],
      ['kubedesk-worker', 'Ready', '<none>', 'v1.32.3'],
      ['kubedesk-worker2', 'Ready', '<none>', 'v1.32.3'],
    ]);
    for (const r of t.rows) expect(r.AGE).toMatch(AGE);
    // The short name is the same resource.
    expect(table(await ok(kubectl, ['get', 'no'])).rows.map((r) => r.NAME)).toEqual(t.rows.map((r) => r.NAME));
  });

  it('get nodes -o wide adds the node details', async () => {
    const t = table(await ok(kubectl, ['get', 'nodes', '-o', 'wide']));
    expect(t.headers).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    expect(t.rows).toHaveLength(3);
    for (const r of t.rows) {
      expect(r['INTERNAL-IP']).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(r['EXTERNAL-IP']).toBe('<none>');
      expect(r['OS-IMAGE']).not.toBe('');
    }
    expect(new Set(t.rows.map((r) => r['INTERNAL-IP'])).size).toBe(3);
  });

  it('the control-plane node is tainted NoSchedule, the workers are not', async () => {
    const nodes = jsonOf<{ items: { metadata: { name: string; labels: Record<string, string> }; spec: { taints?: unknown[] } }[] }>(
      await ok(kubectl, ['get', 'nodes', '-o', 'json']),
    );
    const [cp, ...workers] = nodes.items;
    expect(cp.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(cp.metadata.labels['node-role.kubernetes.io/control-plane']).toBe('');
    for (const w of workers) expect(w.spec.taints ?? []).toEqual([]);
    const described = await ok(kubectl, ['describe', 'node', 'kubedesk-control-plane']);
    expect(described).toMatch(/^Taints:\s+node-role\.kubernetes\.io\/control-plane:NoSchedule$/m);
    expect(described).toMatch(/^Roles:\s+control-plane$/m);
    expect(await ok(kubectl, ['describe', 'node/kubedesk-worker'])).toMatch(/^Taints:\s+<none>$/m);
  });

  it('cordon, drain and uncordon the control-plane node (the course day-to-day commands)', async () => {
    // The control-plane node is tainted NoSchedule: no test pod runs there, so drain has nothing to evict.
    expect(await ok(kubectl, ['cordon', 'kubedesk-control-plane'])).toBe('node/kubedesk-control-plane cordoned\n');
    expect(table(await ok(kubectl, ['get', 'nodes'])).rows[0].STATUS).toBe('Ready,SchedulingDisabled');
    expect(await ok(kubectl, ['describe', 'node', 'kubedesk-control-plane'])).toMatch(/^Unschedulable:\s+true$/m);
    // No test pod runs there, but kube-system's do: kube-proxy (a DaemonSet's, ignored), the static
    // pods (mirror pods, skipped) and CoreDNS when it was scheduled there (evicted), as on kind.
    const drain = await kubectl(['drain', 'kubedesk-control-plane', '--ignore-daemonsets']);
    expect(drain.code).toBe(0);
    const lines = drain.stdout.trim().split('\n');
    expect(lines[0]).toBe('node/kubedesk-control-plane already cordoned');
    expect(lines.at(-1)).toBe('node/kubedesk-control-plane drained');
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^(evicting pod kube-system\/coredns-[a-z0-9]+-[a-z0-9]{5}|pod\/coredns-[a-z0-9]+-[a-z0-9]{5} evicted)$/);
    expect(drain.stderr).toMatch(/^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-[a-z0-9]{5}$/m);
    expect(await ok(kubectl, ['uncordon', 'kubedesk-control-plane'])).toBe('node/kubedesk-control-plane uncordoned\n');
    expect(table(await ok(kubectl, ['get', 'nodes'])).rows[0].STATUS).toBe('Ready');
    expect(await ok(kubectl, ['get', 'node', 'kubedesk-control-plane', '-o', 'jsonpath={.spec.taints}'])).toBe('[{"effect":"NoSchedule","key":"node-role.kubernetes.io/control-plane"}]');
  });

  it('get ns lists the four system namespaces, ingress-nginx (installed as on minikube) and ours, Active', async () => {
    const t = table(await ok(kubectl, ['get', 'namespaces']));
    expect(t.headers).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(t.rows.map((r) => [r.NAME, r.STATUS])).toEqual([
      ['course', 'Active'],
      ['default', 'Active'],
      ['ingress-nginx', 'Active'],
      ['kube-node-lease', 'Active'],
      ['kube-public', 'Active'],
      ['kube-system', 'Active'],
    ]);
    expect(await ok(kubectl, ['get', 'ns', '-o', 'name'])).toBe('namespace/course\nnamespace/default\nnamespace/ingress-nginx\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n');
  });

  it('an empty namespace says so on stderr', async () => {
    const r = await kubectl(['-n', 'kube-public', 'get', 'pods']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('No resources found in kube-public namespace.\n');
  });

  it('kube-public holds the cluster-info ConfigMap with this server in it', async () => {
    const cm = parseYaml(await ok(kubectl, ['-n', 'kube-public', 'get', 'configmap', 'cluster-info', '-o', 'yaml'])) as { data: { kubeconfig: string } };
    expect(cm.data.kubeconfig).toContain(`server: ${sandbox.url}`);
    expect(table(await ok(kubectl, ['-n', 'kube-public', 'get', 'configmaps'])).rows.map((r) => r.NAME)).toContain('cluster-info');
  });

  it('get all in default shows the kubernetes service', async () => {
    const out = await ok(kubectl, ['get', 'all']);
    expect(out).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    expect(out).toMatch(/^service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\S+$/m);
  });
});

describe('labels and selectors', () => {
  it('get pods does not show labels; --show-labels does', async () => {
    const plain = table(await ok(kubectl, ['-n', 'course', 'get', 'pods']));
    expect(plain.headers).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(plain.rows.map((r) => r.NAME)).toEqual(['api', 'db', 'web']);
    // Whether the pods run yet depends on the scheduler and kubelets, not on get.
    // db (postgres without POSTGRES_PASSWORD) exits 1 as the real image does, so it may be crashing by now.
    for (const r of plain.rows) {
      expect(r.READY).toMatch(/^[01]\/1$/);
      expect(r.STATUS).toMatch(r.NAME === 'db' ? /^(Pending|ContainerCreating|Running|Error|CrashLoopBackOff)$/ : /^(Pending|ContainerCreating|Running)$/);
      expect(r.RESTARTS).toMatch(r.NAME === 'db' ? /^\d+( \(\S+ ago\))?$/ : /^0$/);
    }
    const labelled = table(await ok(kubectl, ['-n', 'course', 'get', 'pods', '--show-labels']));
    expect(labelled.headers).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
    expect(labelled.rows.map((r) => [r.NAME, r.LABELS])).toEqual([
      ['api', 'app=api,tier=back'],
      ['db', 'app=db'],
      ['web', 'app=web,tier=front'],
    ]);
  });

  it('-L adds one column per label key, empty where the label is missing', async () => {
    const t = table(await ok(kubectl, ['-n', 'course', 'get', 'pods', '-L', 'app', '-L', 'tier']));
    expect(t.headers).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'APP', 'TIER']);
    expect(t.rows.map((r) => [r.NAME, r.APP, r.TIER])).toEqual([
      ['api', 'api', 'back'],
      ['db', 'db', ''],
      ['web', 'web', 'front'],
    ]);
  });

  it('-l and --selector filter with equality, inequality, sets and existence', async () => {
    const names = async (...selector: string[]) =>
      table(await ok(kubectl, ['-n', 'course', 'get', 'pods', ...selector])).rows.map((r) => r.NAME);
    expect(await names('-l', 'app=web')).toEqual(['web']);
    expect(await names('--selector=app=web')).toEqual(['web']);
    expect(await names('-l', 'app=web,tier=front')).toEqual(['web']);
    expect(await names('-l', 'app=web,tier=back')).toEqual([]);
    expect(await names('-l', 'app!=web')).toEqual(['api', 'db']);
    expect(await names('-l', 'app in (web,db)')).toEqual(['db', 'web']);
    expect(await names('-l', 'tier notin (front)')).toEqual(['api', 'db']);
    expect(await names('-l', 'tier')).toEqual(['api', 'web']);
    expect(await names('-l', '!tier')).toEqual(['db']);
  });

  it('-A -l searches every namespace and adds the NAMESPACE column', async () => {
    const t = table(await ok(kubectl, ['get', 'pods', '-A', '-l', 'tier']));
    expect(t.headers).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    // The control plane's static pods carry tier=control-plane, as on a kubeadm cluster.
    expect(t.rows.map((r) => [r.NAMESPACE, r.NAME])).toEqual([
      ['course', 'api'],
      ['course', 'web'],
      ['kube-system', 'etcd-kubedesk-control-plane'],
      ['kube-system', 'kube-apiserver-kubedesk-control-plane'],
      ['kube-system', 'kube-controller-manager-kubedesk-control-plane'],
      ['kube-system', 'kube-scheduler-kubedesk-control-plane'],
    ]);
    const r = await kubectl(['get', 'pods', '--all-namespaces', '-l', 'app=nothing']);
    expect(r.stderr).toBe('No resources found\n');
  });

  it('label adds, refuses to overwrite without --overwrite, overwrites, and removes', async () => {
    expect(await ok(kubectl, ['-n', 'course', 'label', 'pod', 'db', 'env=dev'])).toBe('pod/db labeled\n');
    expect(await fails(kubectl, ['-n', 'course', 'label', 'pod', 'db', 'env=prod'])).toBe("error: 'env' already has a value (dev), and --overwrite is false");
    expect(await ok(kubectl, ['-n', 'course', 'label', 'pod', 'db', 'env=prod', '--overwrite'])).toBe('pod/db labeled\n');
    expect(await ok(kubectl, ['-n', 'course', 'get', 'pod', 'db', '-o', 'jsonpath={.metadata.labels}'])).toBe('{"app":"db","env":"prod"}');
    expect(await ok(kubectl, ['-n', 'course', 'label', 'pod', 'db', 'env-'])).toBe('pod/db unlabeled\n');
    expect(await ok(kubectl, ['-n', 'course', 'get', 'pod', 'db', '-o', 'jsonpath={.metadata.labels}'])).toBe('{"app":"db"}');
  });

  it('an invalid label value is refused by the server when kubectl does not check it', async () => {
    const file = await manifest(sandbox, 'bad-label.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad-label, namespace: course, labels: {bad: "-x-"}}\n');
    expect(await fails(kubectl, ['create', '-f', file])).toBe(
      `The ConfigMap "bad-label" is invalid: metadata.labels: Invalid value: "-x-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  });
});

describe('annotations', () => {
  it('annotate adds, is shown by describe, refuses silent overwrite, and removes', async () => {
    expect(await ok(kubectl, ['-n', 'course', 'annotate', 'pod', 'api', 'owner=team-a'])).toBe('pod/api annotated\n');
    expect(await ok(kubectl, ['-n', 'course', 'describe', 'pod', 'api'])).toMatch(/^Annotations:\s+owner: team-a$/m);
    const err = await fails(kubectl, ['-n', 'course', 'annotate', 'pod', 'api', 'owner=team-b']);
    expect(err).toContain("'owner' already has a value (team-a)");
    expect(err).toContain('--overwrite is false');
    expect(await ok(kubectl, ['-n', 'course', 'annotate', 'pod', 'api', 'owner=team-b', '--overwrite'])).toBe('pod/api annotated\n');
    expect(await ok(kubectl, ['-n', 'course', 'get', 'pod', 'api', '-o', 'jsonpath={.metadata.annotations.owner}'])).toBe('team-b');
    expect(await ok(kubectl, ['-n', 'course', 'annotate', 'pod', 'api', 'owner-'])).toBe('pod/api annotated\n');
    const annotations = jsonOf<Record<string, string>>(await ok(kubectl, ['-n', 'course', 'get', 'pod', 'api', '-o', 'jsonpath={.metadata.annotations}']));
    expect(Object.keys(annotations)).toEqual(['kubectl.kubernetes.io/last-applied-configuration']);
  });
});

describe('get output formats', () => {
  it('-o wide on pods adds IP, NODE, NOMINATED NODE and READINESS GATES', async () => {
    const t = table(await ok(kubectl, ['-n', 'course', 'get', 'pods', '-o', 'wide']));
    expect(t.headers).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(t.rows.map((r) => r.NAME)).toEqual(['api', 'db', 'web']);
    for (const r of t.rows) expect(r['READINESS GATES']).toBe('<none>');
  });

  it('-o yaml and -o json print the stored object and lists', async () => {
    const pod = parseYaml(await ok(kubectl, ['-n', 'course', 'get', 'pod', 'web', '-o', 'yaml'])) as Record<string, Record<string, unknown>>;
    expect(pod.apiVersion).toBe('v1');
    expect(pod.kind).toBe('Pod');
    expect(pod.metadata.name).toBe('web');
    expect(pod.metadata.namespace).toBe('course');
    expect(pod.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(pod.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(pod.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Defaults applied by the server.
    expect((pod.spec.containers as Record<string, unknown>[])[0]).toMatchObject({ image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' });
    expect(pod.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', serviceAccountName: 'default' });
    const list = jsonOf<{ apiVersion: string; kind: string; items: { kind: string; metadata: { name: string } }[] }>(await ok(kubectl, ['-n', 'course', 'get', 'pods', '-o', 'json']));
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => [i.kind, i.metadata.name])).toEqual([
      ['Pod', 'api'],
      ['Pod', 'db'],
      ['Pod', 'web'],
    ]);
  });

  it('jsonpath, custom-columns and name', async () => {
    expect(await ok(kubectl, ['-n', 'course', 'get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'])).toBe('api db web');
    expect(await ok(kubectl, ['-n', 'course', 'get', 'pods', '-o=jsonpath={.items[0].spec.containers[0].image}'])).toBe('busybox:1.36');
    expect(await ok(kubectl, ['-n', 'course', 'get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.app}{"\\n"}{end}'])).toBe('api=api\ndb=db\nweb=web\n');
    expect(await ok(kubectl, ['-n', 'course', 'get', 'pods', '-o', 'jsonpath={.items[?(@.metadata.name=="web")].spec.containers[0].name}'])).toBe('nginx');
    expect(jsonOf<{ kind: string }>(await ok(kubectl, ['-n', 'course', 'get', 'pod', 'web', '-o', 'jsonpath={@}'])).kind).toBe('Pod');
    const t = table(await ok(kubectl, ['-n', 'course', 'get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,TIER:.metadata.labels.tier']));
    expect(t.headers).toEqual(['NAME', 'IMAGE', 'TIER']);
    expect(t.rows).toEqual([
      { NAME: 'api', IMAGE: 'busybox:1.36', TIER: 'back' },
      { NAME: 'db', IMAGE: 'postgres:16', TIER: '<none>' },
      { NAME: 'web', IMAGE: 'nginx:1.27', TIER: 'front' },
    ]);
    expect(await ok(kubectl, ['-n', 'course', 'get', 'pods', '-o', 'name'])).toBe('pod/api\npod/db\npod/web\n');
  });

  it('--sort-by orders rows by a field', async () => {
    const byImage = table(await ok(kubectl, ['-n', 'course', 'get', 'pods', '--sort-by=.spec.containers[0].image']));
    expect(byImage.rows.map((r) => r.NAME)).toEqual(['api', 'web', 'db']);
    // kubectl compares strings in natural order, so resourceVersions sort as numbers: newest last.
    const byVersion = table(await ok(kubectl, ['get', 'ns', '--sort-by=.metadata.resourceVersion']));
    expect(byVersion.rows[byVersion.rows.length - 1].NAME).toBe('course');
    const t = table(await ok(kubectl, ['get', 'pods', '-A', '--sort-by=.metadata.name']));
    const names = t.rows.map((r) => r.NAME);
    expect(names.filter((n) => ['api', 'db', 'web'].includes(n))).toEqual(['api', 'db', 'web']);
    // Every namespace's pods in one order by name: kube-system's too.
    expect(names.indexOf('api')).toBeLessThan(names.indexOf('etcd-kubedesk-control-plane'));
    expect(names.indexOf('etcd-kubedesk-control-plane')).toBeLessThan(names.indexOf('kube-apiserver-kubedesk-control-plane'));
    expect(names.indexOf('kube-apiserver-kubedesk-control-plane')).toBeLessThan(names.indexOf('web'));
  });

  it('get -w prints the list, then each change as it happens', async () => {
    const child = spawn(KUBECTL, ['--kubeconfig', sandbox.kubeconfig, '-n', 'course', 'get', 'configmaps', '-l', 'watched=yes', '-w', '--output-watch-events'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const file = await manifest(sandbox, 'watched.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: w1, namespace: course, labels: {watched: "yes"}}\ndata: {a: "1"}\n');
      // The watch may start after the create: the create shows as ADDED either way.
      await ok(kubectl, ['apply', '-f', file]);
      await poll('ADDED event', async () => /^ADDED\s+w1\s+1\s+\S+$/m.test(out));
      await ok(kubectl, ['-n', 'course', 'label', 'configmap', 'w1', 'extra=1']);
      await poll('MODIFIED event', async () => /^MODIFIED\s+w1\s+1\s+\S+$/m.test(out));
      await ok(kubectl, ['-n', 'course', 'delete', 'configmap', 'w1']);
      await poll('DELETED event', async () => /^DELETED\s+w1\s+1\s+\S+$/m.test(out));
      expect(out.split('\n')[0]).toMatch(/^EVENT\s+NAME\s+DATA\s+AGE$/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('describe', () => {
  it('describe pod shows its metadata and containers', async () => {
    const out = await ok(kubectl, ['-n', 'course', 'describe', 'pod', 'web']);
    expect(out).toMatch(/^Name:\s+web$/m);
    expect(out).toMatch(/^Namespace:\s+course$/m);
    expect(out).toMatch(/^Labels:\s+app=web\n\s+tier=front$/m);
    expect(out).toMatch(/^Annotations:\s+description: the front end$/m);
    expect(out).toMatch(/^Containers:\n {2}nginx:\n/m);
    expect(out).toMatch(/^ {4}Image:\s+nginx:1\.27$/m);
    expect(out).toMatch(/^Service Account:\s+default$/m);
  });
});
