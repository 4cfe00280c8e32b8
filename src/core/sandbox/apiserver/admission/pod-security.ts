// PodSecurity (k8s.io/pod-security-admission): pods are checked against the Pod Security Standard
// their namespace's pod-security.kubernetes.io/enforce label names; namespaces must carry valid
// labels. Only the enforce mode is implemented: warn and audit need response warnings and audit
// annotations, which the admission contract does not carry, and they never reject anything.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../errors.js';
import type { ApiClient } from '../client.js';
import { aggregateMessage } from './limit-ranger.js';
import { evaluatePod, forbiddenDetail, LATEST_MINOR, type Level } from './pod-security-checks.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbidden, isResource, objs, peek, str, type Obj } from './util.js';

const PREFIX = 'pod-security.kubernetes.io/';
const LEVELS: Level[] = ['privileged', 'baseline', 'restricted'];
const NAMESPACES = { group: '', resource: 'namespaces' };
/** Pod subresources that cannot change what the policy looks at. */
const IGNORED_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);

export interface LevelVersion {
  level: Level;
  /** undefined: "latest". */
  minor?: number;
}

export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${lv.minor === undefined ? 'latest' : `v1.${lv.minor}`}`;
}

/** api.PolicyToEvaluate for the enforce mode, with the field errors of every bad label. */
export function policyFromLabels(labels: Record<string, string>): { enforce: LevelVersion; errors: string[] } {
  const enforce: LevelVersion = { level: 'privileged' };
  const errors: string[] = [];
  const invalid = (label: string, value: string, why: string) => errors.push(`metadata.labels[${PREFIX}${label}]: Invalid value: ${JSON.stringify(value)}: ${why}`);
  for (const mode of ['enforce', 'audit', 'warn']) {
    const level = labels[`${PREFIX}${mode}`];
    if (level !== undefined) {
      const valid = (LEVELS as string[]).includes(level);
      if (!valid) invalid(mode, level, `must be one of ${LEVELS.join(', ')}`);
      // An unreadable enforce label fails closed; warn and audit fail open.
      if (mode === 'enforce') enforce.level = valid ? (level as Level) : 'restricted';
    }
    const version = labels[`${PREFIX}${mode}-version`];
    if (version !== undefined) {
      const m = /^v1\.([0-9]|[1-9][0-9]*)$/.exec(version);
      if (version !== 'latest' && !m) invalid(`${mode}-version`, version, 'must be "latest" or "v1.x"');
      if (mode === 'enforce') enforce.minor = m ? Number(m[1]) : undefined;
    }
  }
  return { enforce, errors };
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

export class PodSecurityPlugin implements AdmissionPlugin {
  readonly name = 'PodSecurity';

  async validate(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (isResource(attributes, '', 'namespaces')) return this.validateNamespace(attributes);
    if (isResource(attributes, '', 'pods')) return this.validatePod(attributes, client);
  }

  private validateNamespace(attributes: AdmissionAttributes): void {
    const ns = attributes.object;
    if (!ns || attributes.subresource !== '' || (attributes.operation !== 'CREATE' && attributes.operation !== 'UPDATE')) return;
    const { errors } = policyFromLabels(ns.metadata.labels ?? {});
    if (errors.length === 0) return;
    if (attributes.operation === 'UPDATE' && attributes.oldObject) {
      // A namespace that already had these bad labels may still be updated otherwise.
      const before = policyFromLabels(attributes.oldObject.metadata.labels ?? {}).errors;
      if (aggregateMessage(before) === aggregateMessage(errors)) return;
    }
    const name = attributes.name || ns.metadata.name || 'Unknown';
    throw ApiError.make(422, 'Invalid', aggregateMessage(errors), { name, kind: 'namespaces' });
  }

  private async validatePod(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    const pod = attributes.object;
    if (!pod || !attributes.namespace || IGNORED_SUBRESOURCES.has(attributes.subresource)) return;
    if (attributes.operation !== 'CREATE' && attributes.operation !== 'UPDATE') return;
    let namespace: KubeObject;
    try {
      namespace = await client.get(NAMESPACES, '', attributes.namespace);
    } catch {
      throw ApiError.make(500, 'InternalError', `failed to lookup namespace ${attributes.namespace}`, { name: attributes.name, kind: 'pods' });
    }
    const { enforce } = policyFromLabels(namespace.metadata.labels ?? {});
    if (enforce.level === 'privileged') return;
    if (attributes.operation === 'UPDATE' && attributes.oldObject && !isSignificantUpdate(pod, attributes.oldObject)) return;
    const violations = evaluatePod(enforce.level, enforce.minor ?? LATEST_MINOR, pod.metadata, peek(pod, 'spec') ?? {});
    if (violations.length === 0) return;
    throw forbidden(attributes, `violates PodSecurity ${JSON.stringify(levelVersionString(enforce))}: ${forbiddenDetail(violations)}`);
  }
}
