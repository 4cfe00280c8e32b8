// kubectl 1.32 commands beyond `create <kind>` that send protobuf bodies: auth can-i / whoami
// (access and identity reviews), create token (TokenRequest), drain (DeleteOptions) and
// autoscale (HorizontalPodAutoscaler). Each decoded body must be the object kubectl built, and our
// encoder must give back kubectl's exact bytes.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/kube.js';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, isProtobufContentType } from './kubernetes-protobuf.js';
import { type FakeApiServer, type RecordedRequest, startFakeApiServer } from './test-kubectl-server.js';
import { generatedSchema, kubectlPath } from './test-schema.js';

const schema = generatedSchema();

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p1', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }] },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
};
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
};
const notFound = (name: string): [number, unknown] => [404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', details: { name, kind: 'pods' }, message: `pods "${name}" not found` }];

let api: FakeApiServer;
let podGone = false;

function respond(req: RecordedRequest): [number, unknown] | undefined {
  const body = req.body.length > 0 && isProtobufContentType(req.contentType) ? decodeKubernetesProtobuf(req.body, schema) : undefined;
  if (req.method === 'POST' && req.path.endsWith('/selfsubjectaccessreviews')) return [201, { ...body, status: { allowed: true } }];
  if (req.method === 'POST' && req.path.endsWith('/selfsubjectrulesreviews')) return [201, { ...body, status: { resourceRules: [], nonResourceRules: [], incomplete: false } }];
  if (req.method === 'POST' && req.path.endsWith('/selfsubjectreviews')) return [201, { ...body, status: { userInfo: { username: 'alice', groups: ['devs'] } } }];
  if (req.method === 'POST' && req.path.endsWith('/token')) return [201, { ...body, status: { token: 'the-token', expirationTimestamp: '2026-01-01T01:00:00Z' } }];
  if (req.method === 'POST' && req.path.endsWith('/eviction')) {
    podGone = true;
    return [201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }];
  }
  if (req.path === '/api/v1/nodes/n1') return [200, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { unschedulable: true } }];
  if (req.method === 'GET' && req.path === '/api/v1/pods') return [200, { apiVersion: 'v1', kind: 'PodList', metadata: {}, items: podGone ? [] : [pod] }];
  if (req.path === '/api/v1/namespaces/default/pods/p1') {
    if (req.method === 'DELETE') podGone = true;
    return podGone ? notFound('p1') : [200, pod];
  }
  if (req.method === 'GET' && req.path === '/apis/apps/v1/namespaces/default/deployments/web') return [200, deployment];
  if (req.method === 'POST') return [201, body];
  return undefined;
}

beforeAll(async () => {
  api = await startFakeApiServer(
    {
      v1: [
        { name: 'pods', kind: 'Pod', namespaced: true },
        { name: 'pods/eviction', kind: 'Eviction', namespaced: true, group: 'policy', version: 'v1' },
        { name: 'nodes', kind: 'Node', namespaced: false },
        { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
        { name: 'serviceaccounts/token', kind: 'TokenRequest', namespaced: true, group: 'authentication.k8s.io', version: 'v1' },
      ],
      'apps/v1': [
        { name: 'deployments', kind: 'Deployment', namespaced: true },
        { name: 'deployments/scale', kind: 'Scale', namespaced: true, group: 'autoscaling', version: 'v1' },
      ],
      'autoscaling/v2': [{ name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true }],
      'autoscaling/v1': [{ name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true }],
      'authorization.k8s.io/v1': [
        { name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false },
        { name: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false },
      ],
      'authentication.k8s.io/v1': [{ name: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false }],
      'policy/v1': [{ name: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true }],
    },
    respond,
  );
});

afterAll(async () => {
  await api?.close();
});

/** Runs kubectl and returns the protobuf bodies it sent, decoded, after checking our encoder's bytes. */
async function bodiesOf(command: string[]): Promise<{ stdout: string; bodies: { method: string; path: string; object: KubeObject }[] }> {
  api.requests.length = 0;
  const stdout = await api.kubectl(command);
  // Node cordoning is a JSON strategic merge patch and drain's Eviction is JSON too; the rest is protobuf.
  const sent = api.requests.filter((r) => r.body.length > 0 && r.method !== 'PATCH' && !r.path.endsWith('/eviction'));
  return {
    stdout,
    bodies: sent.map((r) => {
      expect(r.contentType).toBe('application/vnd.kubernetes.protobuf');
      const object = decodeKubernetesProtobuf(r.body, schema);
      expect(Buffer.from(encodeKubernetesProtobuf(object, schema)).toString('hex')).toBe(r.body.toString('hex'));
      return { method: r.method, path: r.path, object };
    }),
  };
}

describe.skipIf(!existsSync(kubectlPath))('kubectl 1.32 protobuf bodies beyond create', () => {
  it('auth can-i sends SelfSubjectAccessReviews', async () => {
    const resource = await bodiesOf(['auth', 'can-i', 'create', 'deployments.apps', '--subresource=scale']);
    expect(resource.stdout.trim()).toBe('yes');
    expect(resource.bodies).toEqual([
      {
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        object: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          metadata: {},
          spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: 'apps', resource: 'deployments', subresource: 'scale' } },
          // SubjectAccessReviewStatus.allowed has no omitempty: Go's JSON writes false too.
          status: { allowed: false },
        },
      },
    ]);
    const nonResource = await bodiesOf(['auth', 'can-i', 'get', '/healthz']);
    expect(nonResource.bodies[0].object.spec).toEqual({ nonResourceAttributes: { path: '/healthz', verb: 'get' } });
  });

  it('auth can-i --list sends a SelfSubjectRulesReview', async () => {
    const { bodies } = await bodiesOf(['auth', 'can-i', '--list']);
    expect(bodies.map((b) => b.object)).toEqual([
      { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'default' }, status: { incomplete: false } },
    ]);
  });

  it('auth whoami sends a SelfSubjectReview and reads our JSON answer', async () => {
    const { stdout, bodies } = await bodiesOf(['auth', 'whoami', '-o', 'json']);
    expect(bodies.map((b) => b.object)).toEqual([{ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: { userInfo: {} } }]);
    expect((JSON.parse(stdout) as { status: unknown }).status).toEqual({ userInfo: { username: 'alice', groups: ['devs'] } });
  });

  it('create token sends a TokenRequest', async () => {
    const { stdout, bodies } = await bodiesOf(['create', 'token', 'robot', '--duration=1h', '--audience=a', '--audience=b']);
    expect(stdout.trim()).toBe('the-token');
    expect(bodies).toEqual([
      {
        method: 'POST',
        path: '/api/v1/namespaces/default/serviceaccounts/robot/token',
        // TokenRequestStatus.token has no omitempty: Go's JSON writes "" too.
        object: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { audiences: ['a', 'b'], expirationSeconds: 3600 }, status: { token: '' } },
      },
    ]);
  });

  it('drain deletes with protobuf DeleteOptions; its JSON Eviction round-trips through protobuf', async () => {
    podGone = false;
    await bodiesOf(['drain', 'n1', '--grace-period=5', '--timeout=10s']);
    const evictionRequest = api.requests.find((r) => r.path.endsWith('/eviction'));
    expect(evictionRequest?.contentType).toBe('application/json');
    const eviction = JSON.parse(evictionRequest?.body.toString() ?? '{}') as KubeObject;
    expect(decodeKubernetesProtobuf(encodeKubernetesProtobuf(eviction, schema), schema)).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'p1', namespace: 'default' },
      deleteOptions: { gracePeriodSeconds: 5 },
    });
    podGone = false;
    const remove = await bodiesOf(['drain', 'n1', '--disable-eviction', '--grace-period=0', '--timeout=10s']);
    // DeleteOptions is registered in every group version; kubectl labels it with the pod's ("v1").
    expect(remove.bodies.filter((b) => b.method === 'DELETE').map((b) => b.object)).toEqual([{ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 }]);
  });

  it('autoscale sends a HorizontalPodAutoscaler', async () => {
    const { bodies } = await bodiesOf(['autoscale', 'deployment', 'web', '--min=1', '--max=3', '--cpu-percent=50']);
    expect(bodies.map((b) => b.object)).toEqual([
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
        // autoscaling/v1 status counts have no omitempty (v2's currentReplicas has): per-struct Go tags.
        status: { currentReplicas: 0, desiredReplicas: 0 },
      },
    ]);
  });
});
