// ResourceQuota (plugin/pkg/admission/resourcequota): a create (or a growing update) is refused
// when it would take a namespace's usage past any matching quota's hard limits.
//
// Unlike kube-apiserver, usage is not read from quota.status.used (which the quota controller
// fills in asynchronously) but computed live by listing the namespace, so there is no "status
// unknown for quota" window and no race between two quick creates. The hard limits come from
// spec.hard for the same reason. The quota status controller reuses computeQuotaUsage.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient } from '../client.js';
import { QuotaReservations } from './quota-reservations.js';
import { evaluatorFor, evaluatorsForNames, type Evaluator, type ScopeSelector } from './quota-evaluators.js';
import { add, exceeded, mask, prettyPrint, removeZeros, resourceList, subtractNonNegative, toStrings, ZERO, type ResourceList } from './resource-list.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbidden, isResource, listOrEmpty, objs, peek, str } from './util.js';

const RESOURCE_QUOTAS = { group: '', resource: 'resourcequotas' };
/** Resources quota never looks at (upstream's DefaultIgnoredResources). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

export function quotaScopes(quota: KubeObject): ScopeSelector[] {
  const spec = peek(quota, 'spec');
  const scopes: ScopeSelector[] = [];
  for (const s of Array.isArray(spec?.scopes) ? spec.scopes : []) if (typeof s === 'string') scopes.push({ scopeName: s, operator: 'Exists' });
  for (const e of objs(peek(spec, 'scopeSelector'), 'matchExpressions')) {
    const values = Array.isArray(e.values) ? e.values.filter((v): v is string => typeof v === 'string') : undefined;
    scopes.push({ scopeName: str(e, 'scopeName') ?? '', operator: str(e, 'operator') ?? '', values });
  }
  return scopes;
}

export function quotaHard(quota: KubeObject): ResourceList {
  return resourceList(peek(quota, 'spec'), 'hard');
}

function matchesScopes(evaluator: Evaluator, scopes: ScopeSelector[], obj: KubeObject): boolean {
  return scopes.every((scope) => evaluator.matchesScope(scope, obj));
}

/** Whether `quota` applies to `obj`: it tracks something the evaluator counts, and its scopes match. */
function quotaMatches(evaluator: Evaluator, quota: KubeObject, obj: KubeObject): boolean {
  return evaluator.matchingResources(Object.keys(quotaHard(quota))).length > 0 && matchesScopes(evaluator, quotaScopes(quota), obj);
}

/** Objects admitted but not stored yet, given the names a listing returned. */
type PendingLookup = (namespace: string, group: string, resource: string, listed: Set<string>) => KubeObject[];

async function usageOf(quota: KubeObject, client: ApiClient, now: Date, pending?: PendingLookup): Promise<ResourceList> {
  const names = Object.keys(quotaHard(quota));
  const scopes = quotaScopes(quota);
  const namespace = quota.metadata.namespace ?? '';
  let used: ResourceList = {};
  for (const evaluator of evaluatorsForNames(names)) {
    const tracked = evaluator.matchingResources(names);
    for (const name of tracked) used[name] ??= ZERO;
    const stored = await listOrEmpty(client, { group: evaluator.group, resource: evaluator.resource }, namespace);
    const listed = new Set(stored.map((o) => o.metadata.name ?? ''));
    for (const obj of [...stored, ...(pending?.(namespace, evaluator.group, evaluator.resource, listed) ?? [])]) {
      if (!matchesScopes(evaluator, scopes, obj)) continue;
      used = add(used, mask(evaluator.usage(obj, now), tracked));
    }
  }
  return used;
}

/** Current usage for every resource in the quota's spec.hard that something counts, canonical strings. */
export async function computeQuotaUsage(quota: KubeObject, client: ApiClient, now: Date = new Date()): Promise<Record<string, string>> {
  return toStrings(await usageOf(quota, client, now));
}

export interface ResourceQuotaOptions {
  now?: () => Date;
  /** How long an admitted create is charged while it has not appeared in storage. */
  reservationTtlMs?: number;
}

export class ResourceQuotaPlugin implements AdmissionPlugin {
  readonly name = 'ResourceQuota';
  private readonly now: () => Date;
  private readonly reservations: QuotaReservations;

  constructor(options: ResourceQuotaOptions = {}) {
    const now = options.now ?? (() => new Date());
    this.now = now;
    this.reservations = new QuotaReservations(options.reservationTtlMs ?? 10_000, () => now().getTime());
  }

  async validate(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (!this.relevant(attributes)) return;
    await this.reservations.exclusive(attributes.namespace, () => this.check(attributes, client));
  }

  private relevant(attributes: AdmissionAttributes): boolean {
    const { group, plural } = attributes.resource;
    if (attributes.subresource !== '' || !attributes.namespace || !attributes.object) return false;
    if (isResource(attributes, '', 'namespaces') || IGNORED.has(`${group}/${plural}`)) return false;
    return evaluatorFor(group, plural).handles(attributes.operation);
  }

  private async check(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    const { group, plural } = attributes.resource;
    const evaluator = evaluatorFor(group, plural);
    const quotas = await listOrEmpty(client, RESOURCE_QUOTAS, attributes.namespace);
    if (quotas.length === 0) return;
    const obj = attributes.object as KubeObject;
    obj.metadata.namespace ||= attributes.namespace;

    const interesting: KubeObject[] = [];
    for (const quota of quotas) {
      if (!quotaMatches(evaluator, quota, obj)) continue;
      const restricted = evaluator.matchingResources(Object.keys(quotaHard(quota)));
      const why = evaluator.constraints?.(restricted, obj);
      if (why) throw forbidden(attributes, `failed quota: ${quota.metadata.name ?? ''}: ${why}`);
      interesting.push(quota);
    }
    if (interesting.length === 0) return;

    const now = this.now();
    let delta = evaluator.usage(obj, now);
    const negative = Object.keys(delta).filter((k) => delta[k].mantissa < 0n);
    if (negative.length > 0) throw forbidden(attributes, `quota usage is negative for resource(s): ${negative.sort().join(',')}`);
    // An update is charged only for what it adds.
    const old = attributes.oldObject;
    if (attributes.operation === 'UPDATE' && old?.metadata.resourceVersion) delta = subtractNonNegative(delta, evaluator.usage(old, now));
    delta = removeZeros(delta);
    if (Object.keys(delta).length === 0) return;

    for (const quota of interesting) {
      const hard = quotaHard(quota);
      const requested = mask(delta, Object.keys(hard));
      if (Object.keys(requested).length === 0) continue;
      const used = await usageOf(quota, client, now, (...args) => this.reservations.pending(...args));
      const newUsage = add(used, requested);
      const over = exceeded(mask(newUsage, Object.keys(requested)), hard);
      if (over.length === 0) continue;
      throw forbidden(
        attributes,
        `exceeded quota: ${quota.metadata.name ?? ''}, requested: ${prettyPrint(mask(requested, over))}, used: ${prettyPrint(mask(used, over))}, limited: ${prettyPrint(mask(hard, over))}`,
      );
    }
    if (attributes.operation === 'CREATE' && !attributes.dryRun) this.reservations.add(attributes.namespace, group, plural, obj);
  }
}
