// Discovery and documentation through kubectl: api-resources, api-versions, explain, version and
// the health endpoints, each compared with what kube-apiserver 1.32 answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { fails, jsonOf, ok, table, type Kubectl } from './kubectl-helpers.js';

// `kubectl api-resources` against kube-apiserver 1.32 (NAME SHORTNAMES APIVERSION), in its order.
const KUBE_1_32_RESOURCES = [
  'bindings - v1',
  'componentstatuses cs v1',
  'configmaps cm v1',
  'endpoints ep v1',
  'events ev v1',
  'limitranges limits v1',
  'namespaces ns v1',
  'nodes no v1',
  'persistentvolumeclaims pvc v1',
  'persistentvolumes pv v1',
  'pods po v1',
  'podtemplates - v1',
  'replicationcontrollers rc v1',
  'resourcequotas quota v1',
  'secrets - v1',
  'serviceaccounts sa v1',
  'services svc v1',
  'mutatingwebhookconfigurations - admissionregistration.k8s.io/v1',
  'validatingadmissionpolicies - admissionregistration.k8s.io/v1',
  'validatingadmissionpolicybindings - admissionregistration.k8s.io/v1',
  'validatingwebhookconfigurations - admissionregistration.k8s.io/v1',
  'customresourcedefinitions crd,crds apiextensions.k8s.io/v1',
  'apiservices - apiregistration.k8s.io/v1',
  'controllerrevisions - apps/v1',
  'daemonsets ds apps/v1',
  'deployments deploy apps/v1',
  'replicasets rs apps/v1',
  'statefulsets sts apps/v1',
  'selfsubjectreviews - authentication.k8s.io/v1',
  'tokenreviews - authentication.k8s.io/v1',
  'localsubjectaccessreviews - authorization.k8s.io/v1',
  'selfsubjectaccessreviews - authorization.k8s.io/v1',
  'selfsubjectrulesreviews - authorization.k8s.io/v1',
  'subjectaccessreviews - authorization.k8s.io/v1',
  'horizontalpodautoscalers hpa autoscaling/v2',
  'cronjobs cj batch/v1',
  'jobs - batch/v1',
  'certificatesigningrequests csr certificates.k8s.io/v1',
  'leases - coordination.k8s.io/v1',
  'endpointslices - discovery.k8s.io/v1',
  'events ev events.k8s.io/v1',
  'flowschemas - flowcontrol.apiserver.k8s.io/v1',
  'prioritylevelconfigurations - flowcontrol.apiserver.k8s.io/v1',
  // metrics.k8s.io as a cluster with metrics-server serves it (kind or minikube with its addon).
  'nodes - metrics.k8s.io/v1beta1',
  'pods - metrics.k8s.io/v1beta1',
  'ingressclasses - networking.k8s.io/v1',
  'ingresses ing networking.k8s.io/v1',
  'networkpolicies netpol networking.k8s.io/v1',
  'runtimeclasses - node.k8s.io/v1',
  'poddisruptionbudgets pdb policy/v1',
  'clusterrolebindings - rbac.authorization.k8s.io/v1',
  'clusterroles - rbac.authorization.k8s.io/v1',
  'rolebindings - rbac.authorization.k8s.io/v1',
  'roles - rbac.authorization.k8s.io/v1',
  'priorityclasses pc scheduling.k8s.io/v1',
  'csidrivers - storage.k8s.io/v1',
  'csinodes - storage.k8s.io/v1',
  'csistoragecapacities - storage.k8s.io/v1',
  'storageclasses sc storage.k8s.io/v1',
  'volumeattachments - storage.k8s.io/v1',
];

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

describe('discovery and documentation', () => {
  it('api-resources lists resources with short names, versions, scope and kind', async () => {
    const t = table(await ok(kubectl, ['api-resources']));
    expect(t.headers).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const row = (name: string, group?: string) => t.rows.find((r) => r.NAME === name && (!group || r.APIVERSION.startsWith(group)));
    expect(row('pods')).toEqual({ NAME: 'pods', SHORTNAMES: 'po', APIVERSION: 'v1', NAMESPACED: 'true', KIND: 'Pod' });
    expect(row('nodes')).toEqual({ NAME: 'nodes', SHORTNAMES: 'no', APIVERSION: 'v1', NAMESPACED: 'false', KIND: 'Node' });
    expect(row('namespaces')).toEqual({ NAME: 'namespaces', SHORTNAMES: 'ns', APIVERSION: 'v1', NAMESPACED: 'false', KIND: 'Namespace' });
    expect(row('services')).toEqual({ NAME: 'services', SHORTNAMES: 'svc', APIVERSION: 'v1', NAMESPACED: 'true', KIND: 'Service' });
    expect(row('deployments')).toEqual({ NAME: 'deployments', SHORTNAMES: 'deploy', APIVERSION: 'apps/v1', NAMESPACED: 'true', KIND: 'Deployment' });
    expect(row('cronjobs')).toEqual({ NAME: 'cronjobs', SHORTNAMES: 'cj', APIVERSION: 'batch/v1', NAMESPACED: 'true', KIND: 'CronJob' });
    expect(row('customresourcedefinitions')).toEqual({ NAME: 'customresourcedefinitions', SHORTNAMES: 'crd,crds', APIVERSION: 'apiextensions.k8s.io/v1', NAMESPACED: 'false', KIND: 'CustomResourceDefinition' });
    expect(row('events', 'events.k8s.io')).toEqual({ NAME: 'events', SHORTNAMES: 'ev', APIVERSION: 'events.k8s.io/v1', NAMESPACED: 'true', KIND: 'Event' });
    // Exactly kube-apiserver 1.32's resources, core group first, then groups in discovery order.
    expect(t.rows.map((r) => `${r.NAME} ${r.SHORTNAMES || '-'} ${r.APIVERSION}`)).toEqual(KUBE_1_32_RESOURCES);
    const clusterScoped = table(await ok(kubectl, ['api-resources', '--namespaced=false'])).rows;
    expect(clusterScoped.every((r) => r.NAMESPACED === 'false')).toBe(true);
    expect(clusterScoped.map((r) => r.NAME)).toContain('clusterroles');
    const names = (await ok(kubectl, ['api-resources', '-o', 'name'])).split('\n');
    expect(names).toContain('pods');
    expect(names).toContain('deployments.apps');
    const apps = table(await ok(kubectl, ['api-resources', '--api-group=apps'])).rows.map((r) => r.NAME);
    expect(apps).toEqual(['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets']);
  });

  it('api-versions lists the group versions kube-apiserver 1.32 serves by default', async () => {
    expect((await ok(kubectl, ['api-versions'])).trimEnd().split('\n')).toEqual([
      'admissionregistration.k8s.io/v1',
      'apiextensions.k8s.io/v1',
      'apiregistration.k8s.io/v1',
      'apps/v1',
      'authentication.k8s.io/v1',
      'authorization.k8s.io/v1',
      'autoscaling/v1',
      'autoscaling/v2',
      'batch/v1',
      'certificates.k8s.io/v1',
      'coordination.k8s.io/v1',
      'discovery.k8s.io/v1',
      'events.k8s.io/v1',
      'flowcontrol.apiserver.k8s.io/v1',
      'metrics.k8s.io/v1beta1',
      'networking.k8s.io/v1',
      'node.k8s.io/v1',
      'policy/v1',
      'rbac.authorization.k8s.io/v1',
      'scheduling.k8s.io/v1',
      'storage.k8s.io/v1',
      'v1',
    ]);
  });

  it('explain documents kinds and fields', async () => {
    const pod = await ok(kubectl, ['explain', 'pod']);
    expect(pod).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n\s+Pod is a collection of containers/);
    expect(pod).toMatch(/^ {2}spec\t<PodSpec>$/m);
    const spec = await ok(kubectl, ['explain', 'node.spec']);
    expect(spec).toMatch(/^FIELD: spec <NodeSpec>$/m);
    expect(spec).toMatch(/^ {2}taints\t<\[\]Taint>$/m);
    const recursive = await ok(kubectl, ['explain', 'node', '--recursive']);
    expect(recursive).toMatch(/^ {4}annotations\t<map\[string\]string>$/m);
    expect(recursive).toMatch(/^ {6}effect\t<string> -required-$/m);
    const deploy = await ok(kubectl, ['explain', 'deployment.spec.replicas']);
    expect(deploy).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: replicas <integer>/);
    expect(await fails(kubectl, ['explain', 'pod.spec.nope'])).toBe('error: field "nope" does not exist');
  });

  it('get --raw /readyz?verbose and /livez?verbose list the checks as kube-apiserver does', async () => {
    const ready = await ok(kubectl, ['get', '--raw', '/readyz?verbose']);
    const lines = ready.trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual(['[+]ping ok', '[+]log ok', '[+]etcd ok', '[+]etcd-readiness ok', '[+]informer-sync ok']);
    expect(lines).toContain('[+]poststarthook/rbac/bootstrap-roles ok');
    expect(lines).toContain('[+]poststarthook/crd-informer-synced ok');
    expect(lines.slice(-2)).toEqual(['[+]shutdown ok', 'readyz check passed']);
    const live = (await ok(kubectl, ['get', '--raw', '/livez?verbose'])).trimEnd().split('\n');
    expect(live.slice(0, 3)).toEqual(['[+]ping ok', '[+]log ok', '[+]etcd ok']);
    expect(live).not.toContain('[+]informer-sync ok');
    expect(live).not.toContain('[+]shutdown ok');
    expect(live[live.length - 1]).toBe('livez check passed');
    expect(await ok(kubectl, ['get', '--raw', '/readyz'])).toBe('ok');
    expect(await ok(kubectl, ['get', '--raw', '/livez/etcd'])).toBe('ok');
    expect(await fails(kubectl, ['get', '--raw', '/readyz/nope'])).toContain('the server could not find the requested resource');
  });

  it('version reports a 1.32 server', async () => {
    const v = jsonOf<{ serverVersion: { major: string; minor: string; gitVersion: string } }>(await ok(kubectl, ['version', '-o', 'json']));
    expect(v.serverVersion).toMatchObject({ major: '1', minor: '32' });
    expect(v.serverVersion.gitVersion).toMatch(/^v1\.32\.\d+/);
  });
});
