import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { createThrough, invalidError, resourceDef, updateThrough } from './strategy-harness.js';

const pods = resourceDef('', 'pods');

function nginxPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'nginx', labels: { app: 'nginx' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  };
}

describe('pods strategy', () => {
  it('defaults hostPort to containerPort on pods with hostNetwork', () => {
    const input = nginxPod();
    (input.spec as Record<string, unknown>).hostNetwork = true;
    const pod = createThrough(pods, input);
    expect((pod.spec as { containers: { ports: unknown[] }[] }).containers[0].ports).toEqual([{ containerPort: 80, hostPort: 80, protocol: 'TCP' }]);
  });

  it('defaults an nginx pod as kube-apiserver 1.32 does', () => {
    const pod = createThrough(pods, nginxPod());
    expect(pod.spec).toEqual({
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(pod.metadata.generation).toBeUndefined();
  });

  it('pulls :latest and untagged images Always', () => {
    const pod = nginxPod();
    (pod.spec as { containers: unknown[] }).containers = [
      { name: 'a', image: 'nginx' },
      { name: 'b', image: 'nginx:latest' },
      { name: 'c', image: 'registry.local:5000/nginx' },
      { name: 'd', image: 'busybox@sha256:abc' },
    ];
    const created = createThrough(pods, pod);
    const policies = (created.spec as { containers: { imagePullPolicy: string }[] }).containers.map((c) => c.imagePullPolicy);
    expect(policies).toEqual(['Always', 'Always', 'Always', 'IfNotPresent']);
  });

  it('copies limits to requests, canonicalizes quantities and derives the QoS class', () => {
    const pod = nginxPod();
    (pod.spec as { containers: Record<string, unknown>[] }).containers[0].resources = { limits: { cpu: '0.5', memory: '1024Mi' } };
    const created = createThrough(pods, pod);
    const c = (created.spec as { containers: { resources: unknown }[] }).containers[0];
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
    expect((created.status as { qosClass: string }).qosClass).toBe('Guaranteed');
    (pod.spec as { containers: Record<string, unknown>[] }).containers[0].resources = { requests: { cpu: '100m' } };
    expect((createThrough(pods, pod).status as { qosClass: string }).qosClass).toBe('Burstable');
  });

  it('defaults probes', () => {
    const pod = nginxPod();
    (pod.spec as { containers: Record<string, unknown>[] }).containers[0].livenessProbe = { httpGet: { port: 80 } };
    const created = createThrough(pods, pod);
    expect((created.spec as { containers: { livenessProbe: unknown }[] }).containers[0].livenessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('rejects a container without image with the exact 422', () => {
    const pod = nginxPod();
    delete (pod.spec as { containers: Record<string, unknown>[] }).containers[0].image;
    const err = invalidError(() => createThrough(pods, pod));
    expect(err.code).toBe(422);
    expect(err.status.message).toBe('Pod "nginx" is invalid: spec.containers[0].image: Required value');
    expect(err.status.details?.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }]);
  });

  it('reports several causes at once, in kube order', () => {
    const pod: KubeObject = {
      metadata: { name: 'My_Pod' },
      spec: {
        restartPolicy: 'Sometimes',
        containers: [
          { name: 'web', image: 'nginx', ports: [{ containerPort: 70000 }] },
          { name: 'web', image: 'busybox', resources: { limits: { cpu: '1' }, requests: { cpu: '2' } } },
        ],
      },
    };
    const err = invalidError(() => createThrough(pods, pod));
    expect(err.status.details?.causes?.map((c) => `${c.field}: ${c.message}`)).toEqual([
      expect.stringMatching(/^metadata\.name: Invalid value: "My_Pod": a lowercase RFC 1123 subdomain/),
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      // validateContainers reports a duplicate name after the container's common checks.
      'spec.containers[1].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[1].name: Duplicate value: "web"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
    expect(err.status.message).toMatch(/^Pod "My_Pod" is invalid: \[metadata\.name: Invalid value/);
  });

  it('rejects mounts of undeclared volumes', () => {
    const pod = nginxPod();
    (pod.spec as { containers: Record<string, unknown>[] }).containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }];
    const err = invalidError(() => createThrough(pods, pod));
    expect(err.status.details?.causes).toEqual([{ reason: 'FieldValueNotFound', message: 'Not found: "data"', field: 'spec.containers[0].volumeMounts[0].name' }]);
  });

  it('allows image updates but forbids other spec changes', () => {
    const created = createThrough(pods, nginxPod());
    const newImage = structuredClone(created);
    (newImage.spec as { containers: Record<string, unknown>[] }).containers[0].image = 'nginx:1.28';
    (newImage.status as Record<string, unknown>).phase = 'Running'; // ignored: status comes from the old object
    const updated = updateThrough(pods, created, newImage);
    expect((updated.spec as { containers: { image: string }[] }).containers[0].image).toBe('nginx:1.28');
    expect((updated.status as { phase: string }).phase).toBe('Pending');

    const newPort = structuredClone(created);
    (newPort.spec as { containers: { ports: { containerPort: number }[] }[] }).containers[0].ports[0].containerPort = 8080;
    const err = invalidError(() => updateThrough(pods, created, newPort));
    const [cause] = err.status.details!.causes!;
    expect(cause.field).toBe('spec');
    expect(cause.reason).toBe('FieldValueForbidden');
    expect(cause.message).toMatch(
      /^Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
  });

  it('updates only status through the status subresource', () => {
    const created = createThrough(pods, nginxPod());
    const change = structuredClone(created);
    change.status = { phase: 'Running', podIP: '10.244.0.5' };
    (change.spec as { containers: Record<string, unknown>[] }).containers[0].image = 'ignored';
    const updated = updateThrough(pods, created, change, 'status');
    expect(updated.status).toEqual({ phase: 'Running', podIP: '10.244.0.5', qosClass: 'BestEffort' });
    const requalified = structuredClone(updated);
    requalified.status = { phase: 'Running', qosClass: 'Guaranteed' };
    expect(invalidError(() => updateThrough(pods, updated, requalified, 'status')).status.details?.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "Guaranteed": field is immutable', field: 'status.qosClass' },
    ]);
    expect((updated.spec as { containers: { image: string }[] }).containers[0].image).toBe('nginx:1.27');
  });

  it('warns about hidden env vars, duplicate ports and dotted names', () => {
    const pod = nginxPod();
    pod.metadata.name = 'nginx.web';
    (pod.spec as { containers: Record<string, unknown>[] }).containers[0].env = [
      { name: 'MODE', value: 'a' },
      { name: 'MODE', value: 'b' },
    ];
    (pod.spec as { containers: Record<string, unknown>[] }).containers[0].ports = [{ containerPort: 80 }, { containerPort: 80 }];
    const created = createThrough(pods, pod);
    expect(pods.strategy.warnings?.(created)).toEqual([
      "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
      'spec.containers[0].env[1]: hides previous definition of "MODE", which may be dropped when using apply',
      'spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]',
    ]);
    expect(pods.strategy.warnings?.(createThrough(pods, nginxPod()))).toEqual([]);
  });

  it('validates probes and init container rules as upstream', () => {
    const pod = nginxPod();
    const spec = pod.spec as { containers: Record<string, unknown>[]; initContainers?: Record<string, unknown>[] };
    spec.containers[0].livenessProbe = { httpGet: { port: 80 }, tcpSocket: { port: 80 }, successThreshold: 2 };
    spec.initContainers = [{ name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }];
    const causes = invalidError(() => createThrough(pods, pod)).status.details?.causes;
    expect(causes).toEqual([
      { reason: 'FieldValueForbidden', message: 'Forbidden: may not specify more than 1 handler type', field: 'spec.containers[0].livenessProbe.tcpSocket' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: 2: must be 1', field: 'spec.containers[0].livenessProbe.successThreshold' },
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: may not be set for init containers without restartPolicy=Always',
        field: 'spec.initContainers[0].readinessProbe',
      },
    ]);
  });
});
