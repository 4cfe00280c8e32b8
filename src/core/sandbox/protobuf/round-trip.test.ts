// encode → decode gives back the JSON Go would write, for realistic objects written as Go writes them
// (value structs as {}, pointer zeros kept, empty strings of omitempty fields absent).
import { describe, expect, it } from 'vitest';
import type { KubeObject, ManagedFieldsEntry } from '../../../shared/kube.js';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, isProtobufContentType, KubernetesProtobufError } from './kubernetes-protobuf.js';
import { generatedSchema } from './test-schema.js';
import { ProtoWriter } from './wire.js';

const schema = generatedSchema();
const roundTrip = (obj: KubeObject): KubeObject => decodeKubernetesProtobuf(encodeKubernetesProtobuf(obj, schema), schema);

const managedFields: ManagedFieldsEntry[] = [
  { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {} } } } } },
];

const FIXTURES: Record<string, KubeObject> = {
  Deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '42', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'web', tier: '' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', ''] }] },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: {} }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: { observedGeneration: 3, replicas: 2, conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2026-01-01T00:00:05Z', lastTransitionTime: '2026-01-01T00:00:05Z', reason: 'MinimumReplicasAvailable', message: 'ok' }] },
  },
  Pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true, blockOwnerDeletion: true }], managedFields },
    spec: {
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } },
        { name: 'tok', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3600, path: 'token' } }] } },
      ],
      containers: [
        {
          name: 'app',
          image: 'nginx',
          command: ['sh', '-c', ''],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [
            // EnvVar.value is omitempty: an empty value is not written (HTTPHeader.value below is not).
            { name: 'EMPTY' },
            { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: false } } },
            { name: 'FROM_FIELD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
          ],
          envFrom: [{ configMapRef: { name: 'cfg' } }],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', 'nvidia.com/gpu': '1' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X', value: '' }] }, initialDelaySeconds: 3, periodSeconds: 10 },
          readinessProbe: { tcpSocket: { port: 8080 }, failureThreshold: 1 },
          startupProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 },
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
          securityContext: { runAsNonRoot: true, runAsUser: 0, capabilities: { drop: ['ALL'] } },
        },
      ],
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 0 }],
      securityContext: {},
    },
    status: { phase: 'Running', startTime: '2026-01-01T00:00:00Z', podIPs: [{ ip: '10.0.0.1' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'nginx', imageID: '', started: true, state: { running: { startedAt: '2026-01-01T00:00:01Z' } }, lastState: {} }] },
  },
  Secret: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'default' },
    immutable: false,
    data: { bin: Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('base64'), empty: '' },
    type: 'Opaque',
  },
  Service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace: 'default' },
    spec: {
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' },
        { name: 'https', protocol: 'TCP', port: 443, targetPort: 8443, nodePort: 30443 },
      ],
      selector: { app: 'web' },
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      type: 'NodePort',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      ipFamilyPolicy: 'SingleStack',
    },
    status: { loadBalancer: {} },
  },
  PersistentVolumeClaim: {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default', finalizers: ['kubernetes.io/pvc-protection'] },
    // storageClassName is a *string: "" (no dynamic provisioning) must survive.
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '', volumeMode: 'Filesystem' },
    status: { phase: 'Pending' },
  },
  SelfSubjectAccessReview: {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: {},
    spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods', fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] } } },
    status: { allowed: true, reason: 'RBAC' },
  },
  SubjectAccessReview: {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    metadata: {},
    spec: { user: 'alice', groups: ['devs'], extra: { scopes: ['a', 'b'], none: [] }, nonResourceAttributes: { path: '/healthz', verb: 'get' } },
    status: { allowed: false },
  },
  TokenRequest: {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name: 'robot', namespace: 'default' },
    spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u-1' } },
    status: { token: 'abc', expirationTimestamp: '2026-01-01T01:00:00Z' },
  },
  Eviction: {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: 'p', namespace: 'default' },
    deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'u-1' }, propagationPolicy: 'Background', dryRun: ['All'] },
  },
  Lease: {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'n1', namespace: 'kube-node-lease' },
    spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.123456Z', leaseTransitions: 0 },
  },
  ControllerRevision: {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: 'web-1', namespace: 'default' },
    data: { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'web' } } } } },
    revision: 1,
  },
  HorizontalPodAutoscaler: {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    },
    status: { desiredReplicas: 0 },
  },
  NodeMetrics: {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetrics',
    metadata: { name: 'n1' },
    timestamp: '2026-01-01T00:00:00Z',
    window: '20.5s',
    usage: { cpu: '250m', memory: '1Gi' },
  },
  ValidatingWebhookConfiguration: {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'v' },
    webhooks: [
      {
        name: 'v.example.com',
        clientConfig: { service: { namespace: 'ns', name: 'svc', path: '/validate', port: 443 }, caBundle: Buffer.from('ca').toString('base64') },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: '*' }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 10,
      },
    ],
  },
};

describe('encode then decode', () => {
  it.each(Object.keys(FIXTURES))('gives back a %s', (kind) => {
    expect(roundTrip(FIXTURES[kind])).toEqual(FIXTURES[kind]);
  });

  it('writes what Go keeps and drops what omitempty drops', () => {
    const decoded = roundTrip({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: '', creationTimestamp: undefined }, data: { a: '' } });
    // Value structs and zero omitempty strings: metadata.namespace "" is dropped, map values kept.
    expect(decoded).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '' } });
    // A Deployment without status or strategy gets them as {}, as Go's JSON writes value structs.
    const deployment = roundTrip({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } });
    expect(deployment).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: {}, spec: {} }, strategy: {} }, status: {} });
  });

  it('writes map entries sorted by key, as Kubernetes does, so equal objects give equal bytes', () => {
    const a = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { b: '2', a: '1' } } }, schema);
    const b = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '1', b: '2' } } }, schema);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('decodes a v1 List whose items are embedded objects', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] }, status: {} };
    expect(roundTrip({ apiVersion: 'v1', kind: 'List', metadata: {}, items: [pod] })).toEqual({ apiVersion: 'v1', kind: 'List', metadata: {}, items: [pod] });
  });
});

describe('bodies from writers other than gogo', () => {
  it('fills the value fields Go would have: structs as {}, zeros of fields without omitempty', () => {
    const hpa = new ProtoWriter();
    const metadata = new ProtoWriter();
    metadata.bytesField(1, new TextEncoder().encode('web'));
    hpa.bytesField(1, metadata.finish());
    const envelope = new ProtoWriter();
    const typeMeta = new ProtoWriter();
    typeMeta.bytesField(1, new TextEncoder().encode('autoscaling/v1'));
    typeMeta.bytesField(2, new TextEncoder().encode('HorizontalPodAutoscaler'));
    envelope.raw(Uint8Array.from([0x6b, 0x38, 0x73, 0]));
    envelope.bytesField(1, typeMeta.finish());
    envelope.bytesField(2, hpa.finish());
    expect(decodeKubernetesProtobuf(envelope.finish(), schema)).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
  });
});

describe('embedded objects', () => {
  it('decodes a WatchEvent whose object is itself a k8s protobuf envelope', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', resourceVersion: '7' }, spec: {}, status: {} };
    const object = new ProtoWriter();
    object.bytesField(1, encodeKubernetesProtobuf(pod, schema));
    const event = new ProtoWriter();
    event.bytesField(1, new TextEncoder().encode('ADDED'));
    event.bytesField(2, object.finish());
    const envelope = new ProtoWriter();
    const typeMeta = new ProtoWriter();
    typeMeta.bytesField(1, new TextEncoder().encode('v1'));
    typeMeta.bytesField(2, new TextEncoder().encode('WatchEvent'));
    envelope.raw(Uint8Array.from([0x6b, 0x38, 0x73, 0]));
    envelope.bytesField(1, typeMeta.finish());
    envelope.bytesField(2, event.finish());
    expect(decodeKubernetesProtobuf(envelope.finish(), schema)).toEqual({ apiVersion: 'v1', kind: 'WatchEvent', type: 'ADDED', object: pod });
  });
});

describe('errors', () => {
  it('refuses a body without the k8s magic and says to send JSON', () => {
    const error = (() => {
      try {
        decodeKubernetesProtobuf(new TextEncoder().encode('{"kind":"Pod"}'), schema);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(KubernetesProtobufError);
    expect((error as KubernetesProtobufError).reason).toBe('NotProtobuf');
    expect((error as Error).message).toMatch(/does not start with the 4 bytes "k8s\\0".*application\/json/);
  });

  it('names an unknown kind', () => {
    expect(() => encodeKubernetesProtobuf({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: {} }, schema)).toThrow(/no protobuf schema for CronTab in stable.example.com\/v1/);
  });

  it('reports a truncated body as malformed', () => {
    const bytes = encodeKubernetesProtobuf(FIXTURES.Pod, schema);
    expect(() => decodeKubernetesProtobuf(bytes.subarray(0, bytes.length - 30), schema)).toThrow(expect.objectContaining({ reason: 'Malformed' }));
  });

  it('says which field has the wrong JSON type', () => {
    expect(() => encodeKubernetesProtobuf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: { replicas: 'two' } }, schema)).toThrow(/Deployment\.spec\.replicas: expected an integer, got "two"/);
  });
});

describe('isProtobufContentType', () => {
  it('accepts the protobuf media type with parameters, in any case', () => {
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(isProtobufContentType('Application/VND.kubernetes.protobuf; stream=watch')).toBe(true);
    expect(isProtobufContentType('application/json')).toBe(false);
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf+json')).toBe(false);
    expect(isProtobufContentType(undefined)).toBe(false);
  });
});
