// PodSecurity (k8s.io/pod-security-admission): pods are checked against the Pod Security Standards
// their namespace's pod-security.kubernetes.io/* labels name: "enforce" rejects, "warn" returns
// warnings (pods and workload templates), and tightening a namespace's enforce label warns about
// the pods already there. Audit annotations are not produced (there is no audit log).
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../errors.js';
import type { ApiClient } from '../client.js';
import { aggregateMessage } from './limit-ranger.js';
import { evaluatePod, forbiddenDetail, LATEST_MINOR, type Level } from './pod-security-checks.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbidden, isResource, listOrEmpty, objs, peek, str, type Obj } from './util.js';

const PREFIX = 'pod-security.kubernetes.io/';
const LEVELS: Level[] = ['privileged', 'baseline', 'restricted'];
const NAMESPACES = { group: '', resource: 'namespaces' };
const PODS = { group: '', resource: 'pods' };
/** Pod subresources that cannot change what the policy looks at. */
const IGNORED_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);
/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATHS: Record<string, string[]> = {
  '/replicationcontrollers': ['spec', 'template'],
  '/podtemplates': ['template'],
  'apps/replicasets': ['spec', 'template'],
  'apps/deployments': ['spec', 'template'],
  'apps/statefulsets': ['spec', 'template'],
  'apps/daemonsets': ['spec', 'template'],
  'batch/jobs': ['spec', 'template'],
  'batch/cronjobs': ['spec', 'jobTemplate', 'spec', 'template'],
};
/** How many existing pods a namespace label change is checked against, as upstream. */
const MAX_PODS_TO_CHECK = 3000;

export interface LevelVersion {
  level: Level;
  /** undefined: "latest". */
  minor?: number;
}

export interface Policy {
  enforce: LevelVersion;
  warn: LevelVersion;
  /** Field errors for every unreadable label. */
  errors: string[];
}

export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${lv.minor === undefined ? 'latest' : `v1.${lv.minor}`}`;
}

function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && a.minor === b.minor;
}

/** api.PolicyToEvaluate: an unreadable enforce level fails closed (restricted), warn fails open. */
export function policyFromLabels(labels: Record<string, string>): Policy {
  const policy: Policy = { enforce: { level: 'privileged' }, warn: { level: 'privileged' }, errors: [] };
  const invalid = (label: string, value: string, why: string) =>
    policy.errors.push(`metadata.labels[${PREFIX}${label}]: Invalid value: ${JSON.stringify(value)}: ${why}`);
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    const target = mode === 'enforce' ? policy.enforce : mode === 'warn' ? policy.warn : undefined;
    const level = labels[`${PREFIX}${mode}`];
    if (level !== undefined) {
      const valid = (LEVELS as string[]).includes(level);
      if (!valid) invalid(mode, level, `must be one of ${LEVELS.join(', ')}`);
      if (target) target.level = valid ? (level as Level) : mode === 'enforce' ? 'restricted' : 'privileged';
    }
    const version = labels[`${PREFIX}${mode}-version`];
    if (version !== undefined) {
      const m = /^v1\.([0-9]|[1-9][0-9]*)$/.exec(version);
      if (version !== 'latest' && !m) invalid(`${mode}-version`, version, 'must be "latest" or "v1.x"');
      if (target) target.minor = m ? Number(m[1]) : undefined;
    }
  }
  return policy;
}

function violationsOf(lv: LevelVersion, meta: KubeObject['metadata'], spec: Obj): string | undefined {
  const violations = evaluatePod(lv.level, lv.minor ?? LATEST_MINOR, meta, spec);
  return violations.length > 0 ? forbiddenDetail(violations) : undefined;
}

function warn(attributes: AdmissionAttributes, message: string): void {
  (attributes.warnings ??= []).push(message);
}

/** Only image and seccomp-annotation changes (and new ephemeral containers) can change the verdict. */
function isSignificantUpdate(pod: KubeObject, old: KubeObject): boolean {
  const spec = peek(pod, 'spec') ?? {};
  const oldSpec = peek(old, 'spec') ?? {};
  const ann = pod.metadata.annotations ?? {};
  const oldAnn = old.metadata.annotations ?? {};
  const seccompPod = 'seccomp.security.alpha.kubernetes.io/pod';
  if (ann[seccompPod] !== oldAnn[seccompPod]) return true;
  const changed = (c: Obj, o: Obj) => {
    const key = `container.seccomp.security.alpha.kubernetes.io/${str(c, 'name') ?? ''}`;
    return str(c, 'image') !== str(o, 'image') || ann[key] !== oldAnn[key];
  };
  for (const key of ['containers', 'initContainers']) {
    const now = objs(spec, key);
    const before = objs(oldSpec, key);
    if (now.length !== before.length || now.some((c, i) => changed(c, before[i]))) return true;
  }
  const oldEphemeral = objs(oldSpec, 'ephemeralContainers');
  return objs(spec, 'ephemeralContainers').some((c) => {
    const o = oldEphemeral.find((e) => str(e, 'name') === str(c, 'name'));
    return !o || changed(c, o);
  });
}

const STRICTNESS: Record<Level, number> = { privileged: 0, baseline: 1, restricted: 2 };

export class PodSecurityPlugin implements AdmissionPlugin {
  readonly name = 'PodSecurity';

  async validate(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (attributes.operation !== 'CREATE' && attributes.operation !== 'UPDATE') return;
    if (!attributes.object) return;
    if (isResource(attributes, '', 'namespaces')) return this.validateNamespace(attributes, client);
    if (isResource(attributes, '', 'pods')) return this.validatePod(attributes, client);
    const path = TEMPLATE_PATHS[`${attributes.resource.group}/${attributes.resource.plural}`];
    if (path && attributes.subresource === '') return this.validateController(attributes, client, path);
  }

  private async policyFor(attributes: AdmissionAttributes, client: ApiClient): Promise<Policy> {
    try {
      // From the cache, as upstream's namespace lister (it falls back to the store for a namespace it lacks).
      const ns = await client.get(NAMESPACES, '', attributes.namespace, { resourceVersion: '0' });
      return policyFromLabels(ns.metadata.labels ?? {});
    } catch {
      throw ApiError.make(500, 'InternalError', `failed to lookup namespace ${attributes.namespace}`, { name: attributes.name, kind: attributes.resource.plural });
    }
  }

  private async validateNamespace(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    const ns = attributes.object as KubeObject;
    if (attributes.subresource !== '') return;
    const policy = policyFromLabels(ns.metadata.labels ?? {});
    const old = attributes.operation === 'UPDATE' && attributes.oldObject ? policyFromLabels(attributes.oldObject.metadata.labels ?? {}) : undefined;
    // A namespace that already had these bad labels may still be updated otherwise.
    if (policy.errors.length > 0 && (!old || aggregateMessage(old.errors) !== aggregateMessage(policy.errors))) {
      throw ApiError.make(422, 'Invalid', aggregateMessage(policy.errors), { name: attributes.name || ns.metadata.name || 'Unknown', kind: 'namespaces' });
    }
    if (!old) return;
    // Tightening enforce: warn about the pods already running that the new level would refuse.
    const next = policy.enforce;
    const prev = old.enforce;
    if (sameLevelVersion(next, prev) || next.level === 'privileged') return;
    if (next.minor === prev.minor && STRICTNESS[next.level] <= STRICTNESS[prev.level]) return;
    const name = ns.metadata.name ?? attributes.name;
    for (const w of await this.existingPodWarnings(client, name, next)) warn(attributes, w);
  }

  private async existingPodWarnings(client: ApiClient, namespace: string, enforce: LevelVersion): Promise<string[]> {
    const pods = await listOrEmpty(client, PODS, namespace);
    const counts = new Map<string, { first: string; count: number }>();
    for (const pod of pods.slice(0, MAX_PODS_TO_CHECK)) {
      const violations = evaluatePod(enforce.level, enforce.minor ?? LATEST_MINOR, pod.metadata, peek(pod, 'spec') ?? {});
      if (violations.length === 0) continue;
      // Pods are grouped by their reasons only (no details), as upstream does.
      const reason = violations.map((v) => v.reason).join(', ');
      const podName = pod.metadata.name ?? '';
      const seen = counts.get(reason);
      if (!seen) counts.set(reason, { first: podName, count: 1 });
      else counts.set(reason, { first: podName < seen.first ? podName : seen.first, count: seen.count + 1 });
    }
    const warnings: string[] = [];
    if (pods.length > MAX_PODS_TO_CHECK) warnings.push(`new PodSecurity enforce level only checked against the first ${MAX_PODS_TO_CHECK} of ${pods.length} existing pods`);
    if (counts.size > 0) warnings.push(`existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(levelVersionString(enforce))}`);
    const decorated = [...counts].map(([reason, { first, count }]) => {
      if (count === 1) return `${first}: ${reason}`;
      return `${first} (and ${count - 1} other ${count === 2 ? 'pod' : 'pods'}): ${reason}`;
    });
    return [...warnings, ...decorated.sort()];
  }

  private async validatePod(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    const pod = attributes.object as KubeObject;
    if (!attributes.namespace || IGNORED_SUBRESOURCES.has(attributes.subresource)) return;
    const policy = await this.policyFor(attributes, client);
    if (policy.enforce.level === 'privileged' && policy.warn.level === 'privileged') return;
    if (attributes.operation === 'UPDATE' && attributes.oldObject && !isSignificantUpdate(pod, attributes.oldObject)) return;
    const spec = peek(pod, 'spec') ?? {};
    const denied = violationsOf(policy.enforce, pod.metadata, spec);
    if (denied) throw forbidden(attributes, `violates PodSecurity ${JSON.stringify(levelVersionString(policy.enforce))}: ${denied}`);
    this.warnLevel(attributes, policy.warn, pod.metadata, spec);
  }

  /** Workloads are never refused (their pods are); they only get the warn level's warnings. */
  private async validateController(attributes: AdmissionAttributes, client: ApiClient, path: string[]): Promise<void> {
    if (!attributes.namespace) return;
    const policy = await this.policyFor(attributes, client);
    if (policy.warn.level === 'privileged') return;
    let template: Obj | undefined = attributes.object;
    for (const key of path) template = peek(template, key);
    if (!template) return;
    const meta = (peek(template, 'metadata') ?? {}) as KubeObject['metadata'];
    this.warnLevel(attributes, policy.warn, meta, peek(template, 'spec') ?? {});
  }

  private warnLevel(attributes: AdmissionAttributes, lv: LevelVersion, meta: KubeObject['metadata'], spec: Obj): void {
    const detail = violationsOf(lv, meta, spec);
    if (detail) warn(attributes, `would violate PodSecurity ${JSON.stringify(levelVersionString(lv))}: ${detail}`);
  }
}
