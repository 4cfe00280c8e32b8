import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { createThrough, invalidError, resourceDef, updateThrough } from './strategy-harness.js';

const deployments = resourceDef('apps', 'deployments');
const statefulsets = resourceDef('apps', 'statefulsets');
const daemonsets = resourceDef('apps', 'daemonsets');
const replicasets = resourceDef('apps', 'replicasets');

function nginxDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx-deployment', labels: { app: 'nginx' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.14.2', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

type Spec = Record<string, unknown> & { template: { metadata: Record<string, unknown>; spec: Record<string, unknown> } };

describe('deployments strategy', () => {
  it('keeps hostPort off templates under hostNetwork and writes the serviceAccount alias (1.28+ defaults)', () => {
    const input = nginxDeployment();
    const template = (input.spec as Spec).template;
    template.spec.hostNetwork = true;
    template.spec.serviceAccount = 'robot';
    const spec = (createThrough(deployments, input).spec as Spec).template.spec;
    expect((spec.containers as { ports: unknown[] }[])[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect([spec.serviceAccountName, spec.serviceAccount]).toEqual(['robot', 'robot']);
  });

  it('applies apps/v1 defaults and resets status', () => {
    const input = nginxDeployment();
    input.status = { replicas: 5 };
    const d = createThrough(deployments, input);
    const spec = d.spec as Spec;
    expect(spec.replicas).toBe(3);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(spec.progressDeadlineSeconds).toBe(600);
    expect(spec.template.metadata).toEqual({ creationTimestamp: null, labels: { app: 'nginx' } });
    expect(spec.template.spec.restartPolicy).toBe('Always');
    expect(spec.template.spec.tolerations).toBeUndefined();
    expect(spec.template.spec.priority).toBeUndefined();
    // SetDefaults_Pod pieces apply to pods only, never to templates.
    expect(spec.template.spec.enableServiceLinks).toBeUndefined();
    expect(d.status).toEqual({});
    expect(d.metadata.generation).toBe(1);
  });

  it('defaults replicas to 1', () => {
    const input = nginxDeployment();
    delete (input.spec as Spec).replicas;
    expect((createThrough(deployments, input).spec as Spec).replicas).toBe(1);
  });

  it('rejects a selector that does not match the template labels, worded as kube-apiserver', () => {
    const input = nginxDeployment();
    (input.spec as Spec).template.metadata.labels = { app: 'web', tier: 'frontend' };
    const err = invalidError(() => createThrough(deployments, input));
    expect(err.status.message).toBe(
      'Deployment.apps "nginx-deployment" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "tier":"frontend"}: `selector` does not match template `labels`',
    );
    expect(err.status.details).toMatchObject({ name: 'nginx-deployment', group: 'apps', kind: 'Deployment' });
  });

  it('requires a selector', () => {
    const input = nginxDeployment();
    delete (input.spec as Spec).selector;
    const err = invalidError(() => createThrough(deployments, input));
    expect(err.status.details?.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
        field: 'spec.template.metadata.labels',
      },
    ]);
  });

  it('only accepts restartPolicy Always in templates', () => {
    const input = nginxDeployment();
    (input.spec as Spec).template.spec.restartPolicy = 'Never';
    const err = invalidError(() => createThrough(deployments, input));
    expect(err.status.details?.causes).toEqual([
      { reason: 'FieldValueNotSupported', message: 'Unsupported value: "Never": supported values: "Always"', field: 'spec.template.spec.restartPolicy' },
    ]);
  });

  it('keeps the selector immutable and status unchanged on update, bumping nothing itself', () => {
    const created = createThrough(deployments, nginxDeployment());
    const scaled = structuredClone(created);
    (scaled.spec as Spec).replicas = 5;
    scaled.status = { replicas: 99 };
    expect(updateThrough(deployments, created, scaled).status).toEqual({});

    const reselected = structuredClone(created);
    (reselected.spec as Spec).selector = { matchLabels: { app: 'nginx', tier: 'web' } };
    (reselected.spec as Spec).template.metadata.labels = { app: 'nginx', tier: 'web' };
    const err = invalidError(() => updateThrough(deployments, created, reselected));
    expect(err.status.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx", "tier":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
        field: 'spec.selector',
      },
    ]);
  });

  it('rejects maxUnavailable and maxSurge both zero', () => {
    const input = nginxDeployment();
    (input.spec as Spec).strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } };
    const err = invalidError(() => createThrough(deployments, input));
    expect(err.status.details?.causes?.[0]).toEqual({
      reason: 'FieldValueInvalid',
      // The bad value is an intstr.IntOrString, which Go prints with %#v.
      message: 'Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
      field: 'spec.strategy.rollingUpdate.maxUnavailable',
    });
  });
});

describe('other apps/v1 workloads', () => {
  it('validates statefulset names as DNS labels and skips their pod spec, as upstream', () => {
    const input: KubeObject = {
      metadata: { name: 'web.v1' },
      spec: {
        selector: { matchLabels: { app: 'nginx' } },
        template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx' }] } },
      },
    };
    const causes = invalidError(() => createThrough(statefulsets, input)).status.details?.causes;
    expect(causes?.map((c) => c.field)).toEqual(['metadata.name']);
  });

  it('reports daemonset rolling updates that set both maxSurge and maxUnavailable', () => {
    const ds: KubeObject = {
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'busybox' }] } },
      },
    };
    expect(invalidError(() => createThrough(daemonsets, ds)).status.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero',
        field: 'spec.updateStrategy.rollingUpdate.maxSurge',
      },
    ]);
  });

  it('words an empty replicaset selector the way upstream does', () => {
    const rs: KubeObject = {
      metadata: { name: 'frontend' },
      spec: { selector: {}, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    };
    expect(invalidError(() => createThrough(replicasets, rs)).status.details?.causes?.[0].message).toBe(
      'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    );
  });

  it('defaults statefulsets', () => {
    const sts = createThrough(statefulsets, {
      metadata: { name: 'web' },
      spec: {
        serviceName: 'nginx',
        selector: { matchLabels: { app: 'nginx' } },
        template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.8' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    });
    const spec = sts.spec as Record<string, unknown>;
    expect(spec.podManagementPolicy).toBe('OrderedReady');
    expect(spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'www', creationTimestamp: null },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      },
    ]);
    expect(sts.status).toEqual({ replicas: 0, availableReplicas: 0 });
    const changed = structuredClone(sts);
    (changed.spec as Record<string, unknown>).serviceName = 'other';
    expect(invalidError(() => updateThrough(statefulsets, sts, changed)).status.details?.causes?.[0].message).toBe(
      "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
  });

  it('defaults daemonsets and replicasets', () => {
    const template = { metadata: { labels: { name: 'fluentd' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1' }] } };
    const ds = createThrough(daemonsets, { metadata: { name: 'fluentd', namespace: 'kube-system' }, spec: { selector: { matchLabels: { name: 'fluentd' } }, template } }, 'kube-system');
    expect((ds.spec as Record<string, unknown>).updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
    const rs = createThrough(replicasets, { metadata: { name: 'frontend' }, spec: { selector: { matchLabels: { name: 'fluentd' } }, template } });
    expect((rs.spec as Record<string, unknown>).replicas).toBe(1);
    expect(rs.status).toEqual({ replicas: 0 });
  });
});
