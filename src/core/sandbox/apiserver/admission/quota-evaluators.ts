// What a ResourceQuota counts for each kind, as pkg/quota/v1/evaluator/core: pods (compute
// resources, only while not terminal), services (count, node ports, load balancers), PVCs (count
// and storage, also per storage class) and a plain object count for everything else.
import type { KubeObject } from '../../../../shared/kube.js';
import type { AdmissionOperation } from './types.js';
import { podLimits, podRequests } from './pod-resources.js';
import { compareQuantity, type Quantity } from '../../registry/kinds/quantity.js';
import { add, quantity, resourceList, roundUp, type ResourceList } from './resource-list.js';
import { isObj, objs, peek, str, type Obj } from './util.js';

export interface ScopeSelector {
  scopeName: string;
  operator: string;
  values?: string[];
}

export interface Evaluator {
  /** Group and plural of the resource it counts. */
  group: string;
  resource: string;
  handles(operation: AdmissionOperation): boolean;
  /** The quota resource names among `names` this evaluator tracks. */
  matchingResources(names: string[]): string[];
  usage(obj: KubeObject, now: Date): ResourceList;
  matchesScope(scope: ScopeSelector, obj: KubeObject): boolean;
  /** Why the object cannot be admitted under a quota that tracks `required`, or undefined. */
  constraints?(required: string[], obj: KubeObject): string | undefined;
}

const ONE = quantity('1')!;
const ZERO_Q = quantity('0')!;

/** Legacy names for object counts of core resources that predate "count/". */
const LEGACY_COUNT: Record<string, string> = {
  configmaps: 'configmaps',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
  secrets: 'secrets',
};

export function objectCountName(group: string, resource: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

/** "count/deployments.apps" → {group: "apps", resource: "deployments"}. */
export function parseObjectCountName(name: string): { group: string; resource: string } | undefined {
  if (!name.startsWith('count/')) return undefined;
  const rest = name.slice('count/'.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
}

const noScopes = (): boolean => false;

export function objectCountEvaluator(group: string, resource: string): Evaluator {
  const names = [objectCountName(group, resource)];
  if (!group && LEGACY_COUNT[resource]) names.push(LEGACY_COUNT[resource]);
  return {
    group,
    resource,
    handles: (op) => op === 'CREATE',
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    usage: () => Object.fromEntries(names.map((n) => [n, ONE])),
    matchesScope: noScopes,
  };
}

// ---- pods ----

const POD_RESOURCES = [
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
];
/** Resources that every container must set explicitly once a quota tracks them (a historical rule). */
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** Extended resources ("example.com/gpu") are quota'd only as "requests.example.com/gpu". */
function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

function isExtendedQuotaName(name: string): boolean {
  return name.startsWith('requests.') && isExtendedResource(name.slice('requests.'.length));
}

/** podComputeUsageHelper: requests/limits mapped to quota names. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: ONE };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (requests[r]) out[r] = out[`requests.${r}`] = requests[r];
    if (limits[r]) out[`limits.${r}`] = limits[r];
  }
  for (const [name, q] of Object.entries(requests)) {
    if (name.startsWith('hugepages-')) out[name] = out[`requests.${name}`] = q;
    if (isExtendedResource(name)) out[`requests.${name}`] = q;
  }
  return out;
}

/** Terminal pods, and pods past their deletion grace period, no longer use compute quota. */
function isQuotaActive(pod: KubeObject, now: Date): boolean {
  const phase = str(pod.status, 'phase');
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata;
  if (deletionTimestamp && typeof deletionGracePeriodSeconds === 'number') {
    if (now.getTime() > Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

function specOf(obj: KubeObject): Obj {
  return peek(obj, 'spec') ?? {};
}

export function isBestEffort(spec: Obj): boolean {
  for (const c of [...objs(spec, 'initContainers'), ...objs(spec, 'containers')]) {
    const resources = peek(c, 'resources');
    for (const which of ['requests', 'limits']) {
      const list = resourceList(resources, which);
      if (['cpu', 'memory'].some((r) => list[r] && list[r].mantissa !== 0n)) return false;
    }
  }
  return true;
}

function usesCrossNamespaceAffinity(spec: Obj): boolean {
  const affinity = peek(spec, 'affinity');
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = peek(affinity, kind);
    const terms = [
      ...objs(a, 'requiredDuringSchedulingIgnoredDuringExecution'),
      ...objs(a, 'preferredDuringSchedulingIgnoredDuringExecution').map((t) => peek(t, 'podAffinityTerm') ?? {}),
    ];
    if (terms.some((t) => (Array.isArray(t.namespaces) && t.namespaces.length > 0) || isObj(t.namespaceSelector))) return true;
  }
  return false;
}

function podMatchesScope(scope: ScopeSelector, pod: KubeObject): boolean {
  const spec = specOf(pod);
  const deadline = spec.activeDeadlineSeconds;
  const terminating = typeof deadline === 'number' && deadline >= 0;
  const priorityClass = str(spec, 'priorityClassName') ?? '';
  switch (scope.scopeName) {
    case 'Terminating':
      return terminating;
    case 'NotTerminating':
      return !terminating;
    case 'BestEffort':
      return isBestEffort(spec);
    case 'NotBestEffort':
      return !isBestEffort(spec);
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespaceAffinity(spec);
    case 'PriorityClass':
      // Matched as a label selector over {PriorityClass: <name>}, a label absent when the pod has no class.
      switch (scope.operator) {
        case 'Exists':
          return priorityClass !== '';
        case 'DoesNotExist':
          return priorityClass === '';
        case 'In':
          return priorityClass !== '' && (scope.values ?? []).includes(priorityClass);
        case 'NotIn':
          return priorityClass === '' || !(scope.values ?? []).includes(priorityClass);
      }
      return false;
  }
  return false;
}

export const podEvaluator: Evaluator = {
  group: '',
  resource: 'pods',
  handles: (op) => op === 'CREATE',
  matchingResources: (input) =>
    input.filter((n) => POD_RESOURCES.includes(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-') || isExtendedQuotaName(n)),
  usage(pod, now) {
    const result: ResourceList = { 'count/pods': ONE };
    if (!isQuotaActive(pod, now)) return result;
    const spec = specOf(pod);
    return add(result, computeUsage(podRequests(spec, true), podLimits(spec, true)));
  },
  matchesScope: podMatchesScope,
  constraints(required, pod) {
    const requiredSet = required.filter((r) => VALIDATION_SET.has(r));
    const missing = new Map<string, Set<string>>();
    const spec = specOf(pod);
    for (const c of [...objs(spec, 'containers'), ...objs(spec, 'initContainers')]) {
      const resources = peek(c, 'resources');
      const own = computeUsage(resourceList(resources, 'requests'), resourceList(resources, 'limits'));
      for (const r of requiredSet) {
        if (r in own) continue;
        const names = missing.get(r) ?? new Set<string>();
        names.add(str(c, 'name') ?? '');
        missing.set(r, names);
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...(missing.get(r) as Set<string>)].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },
};

// ---- services ----

const SERVICE_RESOURCES = ['count/services', 'services', 'services.nodeports', 'services.loadbalancers'];

export const serviceEvaluator: Evaluator = {
  group: '',
  resource: 'services',
  // Updates count too: a ClusterIP service can become a NodePort or LoadBalancer one.
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matchingResources: (input) => input.filter((n) => SERVICE_RESOURCES.includes(n)),
  usage(svc) {
    const spec = specOf(svc);
    const ports = objs(spec, 'ports');
    const type = str(spec, 'type');
    const result: ResourceList = { 'count/services': ONE, services: ONE, 'services.loadbalancers': ZERO_Q, 'services.nodeports': ZERO_Q };
    const count = (n: number) => quantity(String(n))!;
    if (type === 'NodePort') result['services.nodeports'] = count(ports.length);
    if (type === 'LoadBalancer') {
      // Without node port allocation only explicitly requested node ports are used.
      const nodePorts = spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => typeof p.nodePort === 'number' && p.nodePort !== 0).length : ports.length;
      result['services.nodeports'] = count(nodePorts);
      result['services.loadbalancers'] = ONE;
    }
    return result;
  },
  matchesScope: noScopes,
};

// ---- persistent volume claims ----

const PVC_RESOURCES = ['persistentvolumeclaims', 'count/persistentvolumeclaims', 'requests.storage'];
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

export function claimClass(pvc: KubeObject): string {
  return pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? str(specOf(pvc), 'storageClassName') ?? '';
}

export const pvcEvaluator: Evaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  // Updates count too: a claim can be expanded.
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matchingResources: (input) => input.filter((n) => PVC_RESOURCES.includes(n) || PVC_RESOURCES.some((r) => n.endsWith(STORAGE_CLASS_SUFFIX + r))),
  usage(pvc) {
    const result: ResourceList = { persistentvolumeclaims: ONE, 'count/persistentvolumeclaims': ONE };
    const cls = claimClass(pvc);
    if (cls) result[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = ONE;
    const requested = resourceList(peek(specOf(pvc), 'resources'), 'requests').storage;
    const allocated = resourceList(pvc.status, 'allocatedResources').storage;
    // Storage counts in whole bytes; during an expansion the claim holds the larger of both.
    let storage = requested ? roundUp(requested) : undefined;
    if (allocated) storage = storage ? larger(storage, roundUp(allocated)) : roundUp(allocated);
    if (storage) {
      result['requests.storage'] = storage;
      if (cls) result[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = storage;
    }
    return result;
  },
  matchesScope: noScopes,
};

function larger(a: Quantity, b: Quantity): Quantity {
  return compareQuantity(b, a) > 0 ? b : a;
}

const SPECIFIC: Evaluator[] = [podEvaluator, serviceEvaluator, pvcEvaluator];

/** The evaluator for a resource: a specific one, else an object count. */
export function evaluatorFor(group: string, resource: string): Evaluator {
  return SPECIFIC.find((e) => e.group === group && e.resource === resource) ?? objectCountEvaluator(group, resource);
}

/** The evaluators a quota's resource names need, one per counted resource. */
export function evaluatorsForNames(names: string[]): Evaluator[] {
  const out = new Map<string, Evaluator>();
  for (const e of SPECIFIC) if (e.matchingResources(names).length > 0) out.set(`${e.group}/${e.resource}`, e);
  for (const name of names) {
    const gr = parseObjectCountName(name) ?? (LEGACY_COUNT[name] ? { group: '', resource: name } : undefined);
    if (!gr || out.has(`${gr.group}/${gr.resource}`)) continue;
    out.set(`${gr.group}/${gr.resource}`, evaluatorFor(gr.group, gr.resource));
  }
  return [...out.values()];
}
