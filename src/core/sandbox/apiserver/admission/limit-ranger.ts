// LimitRanger (plugin/pkg/admission/limitranger): containers get the LimitRange defaults for the
// requests and limits they leave out, then pods and PVCs are checked against min, max and
// maxLimitRequestRatio. Pods are only handled on create: their resources are immutable after.
import type { KubeObject } from '../../../../shared/kube.js';
import { formatQuantity, milliValue, parseQuantity, type Quantity } from '../../registry/kinds/quantity.js';
import type { ApiClient } from '../client.js';
import { podLimits, podRequests } from './pod-resources.js';
import { resourceList, type ResourceList } from './resource-list.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { child, forbidden, isResource, listOrEmpty, objs, peek, str, strMap, type Obj, LISTER } from './util.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';
const LIMIT_RANGES = { group: '', resource: 'limitranges' };
/** resource.MaxMilliValue: beyond it a milli value would overflow int64, so upstream compares whole units. */
const MAX_MILLI_VALUE = 9223372036854775n;

/** A LimitRangeItem with SetDefaults_LimitRangeItem applied (idempotent if the store already did). */
interface LimitItem {
  type: string;
  min: Record<string, string>;
  max: Record<string, string>;
  defaults: Record<string, string>;
  defaultRequest: Record<string, string>;
  maxLimitRequestRatio: Record<string, string>;
}

export function limitItems(limitRange: KubeObject): LimitItem[] {
  return objs(peek(limitRange, 'spec'), 'limits').map((raw) => {
    const item: LimitItem = {
      type: str(raw, 'type') ?? '',
      min: strMap(raw, 'min'),
      max: strMap(raw, 'max'),
      defaults: strMap(raw, 'default'),
      defaultRequest: strMap(raw, 'defaultRequest'),
      maxLimitRequestRatio: strMap(raw, 'maxLimitRequestRatio'),
    };
    if (item.type === 'Container') {
      // Default limit falls back to max; default request to the default limit, then to min.
      for (const [k, v] of Object.entries(item.max)) item.defaults[k] ??= v;
      for (const [k, v] of Object.entries(item.defaults)) item.defaultRequest[k] ??= v;
      for (const [k, v] of Object.entries(item.min)) item.defaultRequest[k] ??= v;
    }
    return item;
  });
}

function canonical(value: string): string {
  const q = parseQuantity(value);
  return q ? formatQuantity(q) : value;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** Quantity.Value(): whole units rounded up. */
function wholeValue(q: Quantity): bigint {
  return ceilDiv(milliValue(q), 1000n);
}

/** requestLimitEnforcedValues: compare in milli units unless that could overflow. */
function comparable(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [bigint, bigint, bigint] {
  const values = [req, lim, enforced].map((q) => (q ? wholeValue(q) : 0n));
  if (values.every((v) => v <= MAX_MILLI_VALUE)) return [req, lim, enforced].map((q) => (q ? milliValue(q) : 0n)) as [bigint, bigint, bigint];
  return values as [bigint, bigint, bigint];
}

function minConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[name];
  const lim = limits[name];
  const [r, l, e] = comparable(req, lim, enforced);
  const min = `minimum ${name} usage per ${type} is ${formatQuantity(enforced)}`;
  if (!req) return `${min}.  No request is specified`;
  if (r < e) return `${min}, but request is ${formatQuantity(req)}`;
  if (lim && l < e) return `${min}, but limit is ${formatQuantity(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[name];
  const lim = limits[name];
  const [r, l, e] = comparable(req, lim, enforced);
  const max = `maximum ${name} usage per ${type} is ${formatQuantity(enforced)}`;
  if (!lim) return `${max}.  No limit is specified`;
  if (l > e) return `${max}, but limit is ${formatQuantity(lim)}`;
  if (req && r > e) return `${max}, but request is ${formatQuantity(req)}`;
  return undefined;
}

/** For PVCs, whose limits are not user input: max applies to the request. */
function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList): string | undefined {
  const req = requests[name];
  const [r, , e] = comparable(req, undefined, enforced);
  const max = `maximum ${name} usage per ${type} is ${formatQuantity(enforced)}`;
  if (!req) return `${max}.  No request is specified`;
  if (r > e) return `${max}, but request is ${formatQuantity(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[name];
  const lim = limits[name];
  const [r, l] = comparable(req, lim, enforced);
  const head = `${name} max limit to request ratio per ${type} is ${formatQuantity(enforced)}`;
  if (!req || r === 0n) return `${head}, but no request is specified or request is 0`;
  if (!lim || l === 0n) return `${head}, but no limit is specified or limit is 0`;
  const ratio = Number(l) / Number(r);
  const enforcedValue = wholeValue(enforced);
  const exceeds = enforcedValue <= MAX_MILLI_VALUE ? ratio * 1000 > Number(milliValue(enforced)) : ratio > Number(enforcedValue);
  return exceeds ? `${head}, but provided ratio is ${ratio.toFixed(6)}` : undefined;
}

function parsed(values: Record<string, string>): [string, Quantity][] {
  return Object.entries(values).flatMap(([k, v]) => {
    const q = parseQuantity(v);
    return q ? [[k, q] as [string, Quantity]] : [];
  });
}

function checkAll(item: LimitItem, requests: ResourceList, limits: ResourceList, errors: string[]): void {
  const push = (message: string | undefined) => message && errors.push(message);
  for (const [k, q] of parsed(item.min)) push(minConstraint(item.type, k, q, requests, limits));
  for (const [k, q] of parsed(item.max)) push(maxConstraint(item.type, k, q, requests, limits));
  for (const [k, q] of parsed(item.maxLimitRequestRatio)) push(ratioConstraint(item.type, k, q, requests, limits));
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several deduplicated in brackets. */
export function aggregateMessage(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

export function validatePodLimits(item: LimitItem, spec: Obj, errors: string[]): void {
  if (item.type === 'Container') {
    for (const key of ['containers', 'initContainers']) {
      for (const c of objs(spec, key)) {
        const resources = peek(c, 'resources');
        checkAll(item, resourceList(resources, 'requests'), resourceList(resources, 'limits'), errors);
      }
    }
  }
  // Pod-level checks use the effective pod values, without overhead (only the scheduler counts it).
  if (item.type === 'Pod') checkAll(item, podRequests(spec), podLimits(spec), errors);
}

function validatePvcLimits(item: LimitItem, pvc: KubeObject, errors: string[]): void {
  if (item.type !== 'PersistentVolumeClaim') return;
  const requests = resourceList(peek(peek(pvc, 'spec'), 'resources'), 'requests');
  for (const [k, q] of parsed(item.min)) {
    const message = minConstraint(item.type, k, q, requests, {});
    if (message) errors.push(message);
  }
  for (const [k, q] of parsed(item.max)) {
    const message = maxRequestConstraint(item.type, k, q, requests);
    if (message) errors.push(message);
  }
}

/** Fill in defaults; returns the annotation fragments ("cpu, memory request for container nginx"). */
function mergeContainer(container: Obj, label: string, defaults: { requests: Record<string, string>; limits: Record<string, string> }): string[] {
  const resources = child(container, 'resources');
  const notes: string[] = [];
  for (const which of ['requests', 'limits'] as const) {
    const set: string[] = [];
    const current = peek(resources, which) ?? {};
    for (const [k, v] of Object.entries(defaults[which])) {
      if (k in current) continue;
      current[k] = canonical(v);
      set.push(k);
    }
    if (set.length > 0) {
      resources[which] = current;
      notes.push(`${set.sort().join(', ')} ${which === 'requests' ? 'request' : 'limit'} for ${label} ${str(container, 'name') ?? ''}`);
    }
  }
  return notes;
}

export function applyPodDefaults(items: LimitItem[], pod: KubeObject): void {
  const defaults = { requests: {} as Record<string, string>, limits: {} as Record<string, string> };
  for (const item of items) {
    if (item.type !== 'Container') continue;
    Object.assign(defaults.requests, item.defaultRequest);
    Object.assign(defaults.limits, item.defaults);
  }
  const spec = child(pod, 'spec');
  const notes = [
    ...objs(spec, 'containers').flatMap((c) => mergeContainer(c, 'container', defaults)),
    ...objs(spec, 'initContainers').flatMap((c) => mergeContainer(c, 'init container', defaults)),
  ];
  if (notes.length === 0) return;
  pod.metadata.annotations = { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

export class LimitRangerPlugin implements AdmissionPlugin {
  readonly name = 'LimitRanger';

  private handles(attributes: AdmissionAttributes): boolean {
    if (attributes.subresource !== '' || !attributes.object || !attributes.namespace) return false;
    if (attributes.operation !== 'CREATE' && attributes.operation !== 'UPDATE') return false;
    // Objects on their way out are left alone.
    if (attributes.oldObject?.metadata.deletionTimestamp) return false;
    if (isResource(attributes, '', 'pods')) return attributes.operation === 'CREATE';
    return isResource(attributes, '', 'persistentvolumeclaims');
  }

  private async limitRanges(attributes: AdmissionAttributes, client: ApiClient): Promise<KubeObject[]> {
    return listOrEmpty(client, LIMIT_RANGES, attributes.namespace, LISTER);
  }

  async admit(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (!this.handles(attributes) || !isResource(attributes, '', 'pods')) return;
    // Each LimitRange is applied in turn, as upstream does (a later one's annotation wins).
    for (const lr of await this.limitRanges(attributes, client)) applyPodDefaults(limitItems(lr), attributes.object as KubeObject);
  }

  async validate(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (!this.handles(attributes)) return;
    const obj = attributes.object as KubeObject;
    const isPod = isResource(attributes, '', 'pods');
    for (const lr of await this.limitRanges(attributes, client)) {
      const errors: string[] = [];
      for (const item of limitItems(lr)) {
        if (isPod) validatePodLimits(item, peek(obj, 'spec') ?? {}, errors);
        else validatePvcLimits(item, obj, errors);
      }
      if (errors.length > 0) throw forbidden(attributes, aggregateMessage(errors));
    }
  }
}
