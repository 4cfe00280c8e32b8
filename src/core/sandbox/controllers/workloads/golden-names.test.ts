// Names the controllers give, checked against real clusters' output: each expected name below was seen
// on a real cluster for the same manifest (kubeadm 1.32, kind 1.32, `kubectl create deployment`
// tutorials). Objects go through our API server, so its defaulting is part of what is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { corednsDeployment, kubeProxyDaemonSet } from '../../bootstrap/system-manifests.js';
import { DAEMONSETS, DEPLOYMENTS, PODS, REPLICASETS, REVISIONS, STATEFULSETS } from './common.js';
import { kubeadmCoreDns } from './test-manifests.js';
import { listOf, startFixture, type Fixture } from './test-fixture.js';

/** What `kubectl create deployment NAME --image=IMAGE [-- COMMAND...]` (kubectl 1.32) sends. */
function createDeployment(name: string, image: string, options: { command?: string[]; port?: number } = {}): KubeObject {
  const { command, port } = options;
  const container = { name: image.replace(/^.*\//, '').replace(/[:@].*$/, ''), image, ...(port ? { ports: [{ containerPort: port }] } : {}), resources: {}, ...(command ? { command } : {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container] } }, strategy: {} },
  };
}

function statefulSet(name: string, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: 'nginx',
      replicas: 1,
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80, name: 'web' }] }] } },
    },
  };
}

describe('names seen on real 1.32 clusters', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ nodes: 1 });
  });
  afterAll(async () => {
    await f.close();
  });

  it('Deployment: ReplicaSets named <deployment>-<pod-template-hash>', async () => {
    await f.client.create(DEPLOYMENTS, 'kube-system', kubeadmCoreDns());
    await f.client.create(DEPLOYMENTS, 'default', createDeployment('nginx', 'nginx'));
    await f.client.create(DEPLOYMENTS, 'default', createDeployment('redis', 'redis'));
    await f.client.create(DEPLOYMENTS, 'default', createDeployment('hasher', 'dockercoins/hasher:v0.1'));
    // The hello-minikube tutorial.
    await f.client.create(DEPLOYMENTS, 'default', createDeployment('hello-node', 'registry.k8s.io/e2e-test-images/agnhost:2.39', { command: ['/agnhost', 'netexec', '--http-port=8080'] }));
    // The Deployment example of the Kubernetes documentation (concepts/workloads/controllers/deployment).
    const docs = createDeployment('nginx-deployment', 'nginx:1.14.2', { port: 80 });
    const docsSpec = docs.spec as { replicas: number; template: { metadata: { labels: Record<string, string> } }; selector: { matchLabels: Record<string, string> } };
    docsSpec.replicas = 3;
    docsSpec.selector.matchLabels = { app: 'nginx' };
    docsSpec.template.metadata.labels = { app: 'nginx' };
    await f.client.create(DEPLOYMENTS, 'default', docs);
    await f.client.create({ group: '', resource: 'namespaces' }, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ports' } });
    await f.client.create(DEPLOYMENTS, 'ports', createDeployment('nginx', 'nginx', { port: 80 }));
    await f.settle();
    expect((await listOf(f.client, REPLICASETS, 'kube-system')).map((rs) => rs.metadata.name)).toEqual(['coredns-668d6bf9bc']);
    const names = (await listOf(f.client, REPLICASETS)).map((rs) => rs.metadata.name).sort();
    expect(names).toEqual(['hasher-99bbd4bb', 'hello-node-c74958b5d', 'nginx-5869d7778c', 'nginx-deployment-647677fc66', 'redis-7b47f84cc4']);
    expect((await listOf(f.client, REPLICASETS, 'ports')).map((rs) => rs.metadata.name)).toEqual(['nginx-86c57bc6b8']);
  });

  it("the sandbox's own CoreDNS (bootstrap) is kubeadm's: coredns-668d6bf9bc", async () => {
    await f.client.create({ group: '', resource: 'namespaces' }, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bootstrap' } });
    const dns = corednsDeployment();
    await f.client.create(DEPLOYMENTS, 'bootstrap', { ...dns, metadata: { ...dns.metadata, namespace: 'bootstrap' } });
    await f.settle();
    expect((await listOf(f.client, REPLICASETS, 'bootstrap')).map((rs) => rs.metadata.name)).toEqual(['coredns-668d6bf9bc']);
  });

  it('StatefulSet: revisions named <set>-<hash of the revision data>, the pods labelled with that name', async () => {
    await f.client.create(STATEFULSETS, 'default', statefulSet('web', 'nginx:latest'));
    await f.client.create({ group: '', resource: 'namespaces' }, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    await f.client.create(STATEFULSETS, 'other', statefulSet('web', 'nginx:1.9.1'));
    await f.settle();
    expect((await listOf(f.client, REVISIONS)).map((r) => r.metadata.name)).toEqual(['web-7974cc466']);
    expect((await listOf(f.client, REVISIONS, 'other')).map((r) => r.metadata.name)).toEqual(['web-6bc849cb6b']);
    expect((await f.client.get(PODS, 'default', 'web-0')).metadata.labels?.['controller-revision-hash']).toBe('web-7974cc466');
    // `kubectl patch` of the image keeps imagePullPolicy Always from nginx:latest: another revision than a fresh 1.9.1.
    await f.client.patch(STATEFULSETS, 'default', 'web', 'json', [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.9.1' }]);
    await f.settle();
    expect((await listOf(f.client, REVISIONS)).map((r) => r.metadata.name).sort()).toEqual(['web-567b56dd', 'web-7974cc466']);
  });

  it("DaemonSet: kind 1.32.2's kube-proxy pods carry controller-revision-hash=7bb84c4984", async () => {
    const ds = kubeProxyDaemonSet();
    const containers = (ds.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers;
    containers[0].image = 'registry.k8s.io/kube-proxy:v1.32.2';
    await f.client.create(DAEMONSETS, 'kube-system', ds);
    await f.settle();
    const [revision] = await listOf(f.client, REVISIONS, 'kube-system');
    expect(revision.metadata.name).toBe('kube-proxy-7bb84c4984');
    expect(revision.metadata.labels).toMatchObject({ 'controller-revision-hash': '7bb84c4984', 'k8s-app': 'kube-proxy' });
  });
});
