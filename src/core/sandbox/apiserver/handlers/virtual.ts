// Creates on resources that are not stored: TokenRequest (serviceaccounts/token), Binding
// (pods/binding, bindings) and Eviction (pods/eviction), answered as kube-apiserver answers them.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ServiceAccountTokens } from '../auth/tokens.js';
import type { ApiClient } from '../client.js';
import { ApiError } from '../errors.js';
import type { VirtualCreate } from '../http-types.js';
import { isObject } from '../../registry/store/object-util.js';
import { successStatus } from '../content.js';

const SA = { group: '', resource: 'serviceaccounts' };
const PODS = { group: '', resource: 'pods' };

export function tokenRequestHandler(tokens: ServiceAccountTokens, client: ApiClient): VirtualCreate {
  return async (_user, target, name, body, dryRun) => {
    const sa = await client.get(SA, target.namespace, name);
    const spec = (isObject(body.spec) ? body.spec : {}) as { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: { kind?: string; name?: string; uid?: string } };
    const expirationSeconds = spec.expirationSeconds ?? 3600;
    if (expirationSeconds < 600) {
      throw ApiError.invalid('TokenRequest', 'authentication.k8s.io', name, [
        { reason: 'FieldValueInvalid', message: `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`, field: 'spec.expirationSeconds' },
      ]);
    }
    if (expirationSeconds > 2 ** 32) {
      throw ApiError.invalid('TokenRequest', 'authentication.k8s.io', name, [
        { reason: 'FieldValueTooLong', message: `Invalid value: ${expirationSeconds}: may not specify a duration larger than 2^32 seconds`, field: 'spec.expirationSeconds' },
      ]);
    }
    let boundObject: { kind: 'Pod' | 'Secret'; name: string; uid: string } | undefined;
    const ref = spec.boundObjectRef;
    if (ref?.kind) {
      if (ref.kind !== 'Pod' && ref.kind !== 'Secret') throw ApiError.badRequest(`cannot bind token to object of type ${ref.kind}`);
      const live = await client.get(ref.kind === 'Pod' ? PODS : { group: '', resource: 'secrets' }, target.namespace, ref.name ?? '');
      if (ref.uid && ref.uid !== live.metadata.uid) {
        throw ApiError.conflict({ group: '', resource: ref.kind === 'Pod' ? 'pods' : 'secrets' }, ref.name ?? '', `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
      }
      boundObject = { kind: ref.kind, name: live.metadata.name ?? '', uid: live.metadata.uid ?? '' };
    }
    const issued = tokens.issueToken({
      namespace: target.namespace,
      serviceAccountName: name,
      serviceAccountUid: sa.metadata.uid ?? '',
      audiences: spec.audiences,
      expirationSeconds,
      boundObject,
    });
    const response: KubeObject = {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace: target.namespace, creationTimestamp: null as unknown as string },
      spec: { audiences: issued.claims.aud ?? [], expirationSeconds, boundObjectRef: ref ?? null },
      status: { token: dryRun ? '' : issued.token, expirationTimestamp: issued.expirationTimestamp },
    };
    return { object: response, code: 201 };
  };
}

/** pods/binding: what the scheduler posts to assign a pod to a node. */
export function bindingHandler(client: ApiClient): VirtualCreate {
  return async (_user, target, name, body, dryRun) => {
    const podName = name || body.metadata?.name || '';
    const node = isObject(body.target) ? (body.target.name as string | undefined) : undefined;
    if (!node) {
      throw ApiError.invalid('Binding', '', podName, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }]);
    }
    const pod = await client.get(PODS, target.namespace, podName);
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    if (pod.metadata.deletionTimestamp) throw ApiError.conflict({ group: '', resource: 'pods' }, podName, `pod ${podName} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw ApiError.conflict({ group: '', resource: 'pods' }, podName, `pod ${podName} is already assigned to node "${spec.nodeName}"`);
    if (!dryRun) {
      await client.patch(PODS, target.namespace, podName, 'merge', {
        metadata: { resourceVersion: pod.metadata.resourceVersion, annotations: isObject(body.metadata?.annotations) ? body.metadata.annotations : undefined },
        spec: { nodeName: node },
      }, { fieldManager: 'kube-scheduler' });
    }
    return { object: successStatus(), code: 201 };
  };
}

/** pods/eviction: a deletion that PodDisruptionBudgets may refuse (429), as `kubectl drain` uses it. */
export function evictionHandler(client: ApiClient, pdbAllows: (pod: KubeObject) => Promise<string | undefined>): VirtualCreate {
  return async (_user, target, name, body, dryRun) => {
    const pod = await client.get(PODS, target.namespace, name);
    const refusal = await pdbAllows(pod);
    if (refusal) {
      throw ApiError.make(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', {
        causes: [{ reason: 'DisruptionBudget', message: refusal }],
      });
    }
    const options = isObject(body.deleteOptions) ? (body.deleteOptions as { gracePeriodSeconds?: number }) : {};
    await client.delete(PODS, target.namespace, name, { gracePeriodSeconds: options.gracePeriodSeconds, dryRun, preconditions: { uid: pod.metadata.uid } });
    return { object: successStatus(), code: 201 };
  };
}
