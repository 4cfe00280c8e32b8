import { describe, expect, it } from 'vitest';
import { messageNameFor } from './kinds.js';
import { generatedSchema } from './test-schema.js';

const schema = generatedSchema();

describe('messageNameFor', () => {
  it.each([
    ['v1', 'Pod', 'k8s.io.api.core.v1.Pod'],
    ['apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment'],
    ['batch/v1', 'CronJob', 'k8s.io.api.batch.v1.CronJob'],
    ['autoscaling/v1', 'Scale', 'k8s.io.api.autoscaling.v1.Scale'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler'],
    ['policy/v1', 'Eviction', 'k8s.io.api.policy.v1.Eviction'],
    ['networking.k8s.io/v1', 'Ingress', 'k8s.io.api.networking.v1.Ingress'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'k8s.io.api.rbac.v1.ClusterRole'],
    ['authorization.k8s.io/v1', 'SelfSubjectAccessReview', 'k8s.io.api.authorization.v1.SelfSubjectAccessReview'],
    ['authentication.k8s.io/v1', 'TokenRequest', 'k8s.io.api.authentication.v1.TokenRequest'],
    ['storage.k8s.io/v1', 'StorageClass', 'k8s.io.api.storage.v1.StorageClass'],
    ['coordination.k8s.io/v1', 'Lease', 'k8s.io.api.coordination.v1.Lease'],
    ['scheduling.k8s.io/v1', 'PriorityClass', 'k8s.io.api.scheduling.v1.PriorityClass'],
    ['discovery.k8s.io/v1', 'EndpointSlice', 'k8s.io.api.discovery.v1.EndpointSlice'],
    ['events.k8s.io/v1', 'Event', 'k8s.io.api.events.v1.Event'],
    ['certificates.k8s.io/v1', 'CertificateSigningRequest', 'k8s.io.api.certificates.v1.CertificateSigningRequest'],
    ['node.k8s.io/v1', 'RuntimeClass', 'k8s.io.api.node.v1.RuntimeClass'],
    ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'k8s.io.api.flowcontrol.v1.FlowSchema'],
    ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'k8s.io.api.admissionregistration.v1.ValidatingAdmissionPolicy'],
    ['internal.apiserver.k8s.io/v1alpha1', 'StorageVersion', 'k8s.io.api.apiserverinternal.v1alpha1.StorageVersion'],
    ['resource.k8s.io/v1beta1', 'ResourceClaim', 'k8s.io.api.resource.v1beta1.ResourceClaim'],
    ['metrics.k8s.io/v1beta1', 'PodMetrics', 'k8s.io.metrics.pkg.apis.metrics.v1beta1.PodMetrics'],
    // Kinds every group version registers come from meta/v1.
    ['v1', 'DeleteOptions', 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions'],
    ['apps/v1', 'DeleteOptions', 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions'],
    ['v1', 'Status', 'k8s.io.apimachinery.pkg.apis.meta.v1.Status'],
    ['meta.k8s.io/v1', 'PartialObjectMetadata', 'k8s.io.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata'],
  ])('%s %s is %s', (apiVersion, kind, message) => {
    expect(messageNameFor(schema, apiVersion, kind)).toBe(message);
  });

  it('refuses custom resources and map entry names', () => {
    expect(() => messageNameFor(schema, 'stable.example.com/v1', 'CronTab')).toThrow(/custom resources are JSON only/);
    expect(() => messageNameFor(schema, 'v1', 'Secret.DataEntry')).toThrow(/no protobuf schema/);
  });
});
