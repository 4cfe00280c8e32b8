// ServiceAccount (plugin/pkg/admission/serviceaccount): every pod runs as a service account that
// exists ("default" unless named), and gets the projected API token volume mounted in each
// container unless automounting is turned off on the pod or the account.
import type { KubeObject } from '../../../../shared/kube.js';
import type { ApiClient } from '../client.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { child, forbidden, isNotFound, isObj, isResource, objs, peek, str, type Obj } from './util.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const VOLUME_PREFIX = 'kube-api-access-';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const ENFORCE_MOUNTABLE_SECRETS = 'kubernetes.io/enforce-mountable-secrets';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour plus 7s, so a stale token is recognisable. */
const TOKEN_EXPIRATION_SECONDS = 3607;
const SERVICE_ACCOUNTS = { group: '', resource: 'serviceaccounts' };
// names.SimpleNameGenerator's alphabet: no vowels (no words), no look-alikes.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMS[Math.floor(Math.random() * ALPHANUMS.length)];
  return out;
}

/** The projected volume kube-apiserver 1.32 adds (TokenVolumeSource). */
export function tokenVolume(name: string): Obj {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

export interface ServiceAccountOptions {
  /** Lookups of "default" retried this many times: the token controller may not have created it yet. */
  defaultLookupAttempts?: number;
  retryIntervalMs?: () => number;
  generateSuffix?: () => string;
}

function isMirrorPod(pod: KubeObject): boolean {
  return pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;
}

function serviceAccountName(spec: Obj): string {
  // The deprecated serviceAccount field is converted into serviceAccountName when it is alone.
  return str(spec, 'serviceAccountName') || str(spec, 'serviceAccount') || '';
}

export class ServiceAccountPlugin implements AdmissionPlugin {
  readonly name = 'ServiceAccount';
  private readonly attempts: number;
  private readonly interval: () => number;
  private readonly suffix: () => string;

  constructor(options: ServiceAccountOptions = {}) {
    this.attempts = options.defaultLookupAttempts ?? 10;
    this.interval = options.retryIntervalMs ?? (() => 100 + Math.floor(Math.random() * 100));
    this.suffix = options.generateSuffix ?? (() => randomSuffix());
  }

  private handles(attributes: AdmissionAttributes): boolean {
    return isResource(attributes, '', 'pods') && attributes.subresource === '' && attributes.object !== undefined;
  }

  private async lookup(client: ApiClient, namespace: string, name: string): Promise<KubeObject> {
    const attempts = name === DEFAULT_SERVICE_ACCOUNT ? this.attempts : 1;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, this.interval()));
      try {
        // The first look is at the cache, as upstream's lister; retries read the store.
        return await client.get(SERVICE_ACCOUNTS, namespace, name, i === 0 ? { resourceVersion: '0' } : undefined);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    // Upstream builds this NotFound from the singular, hence "serviceaccount" and not "serviceaccounts".
    throw new Error(`serviceaccount "${name}" not found`);
  }

  private async serviceAccountFor(attributes: AdmissionAttributes, client: ApiClient, name: string): Promise<KubeObject> {
    try {
      return await this.lookup(client, attributes.namespace, name);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw forbidden(attributes, `error looking up service account ${attributes.namespace}/${name}: ${why}`);
    }
  }

  async admit(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (!this.handles(attributes) || attributes.operation !== 'CREATE') return;
    const pod = attributes.object as KubeObject;
    // Mirror pods are the kubelet's; changing their spec makes it delete them. Validate only.
    if (isMirrorPod(pod)) return this.validate(attributes, client);
    const spec = child(pod, 'spec');
    const name = serviceAccountName(spec) || DEFAULT_SERVICE_ACCOUNT;
    spec.serviceAccountName = name;
    spec.serviceAccount = name;
    const sa = await this.serviceAccountFor(attributes, client, name);
    if (shouldAutomount(sa, spec)) this.mountToken(spec);
    const pullSecrets = objs(spec, 'imagePullSecrets');
    const saPullSecrets = objs(sa, 'imagePullSecrets');
    if (pullSecrets.length === 0 && saPullSecrets.length > 0) {
      spec.imagePullSecrets = saPullSecrets.map((s) => ({ name: str(s, 'name') ?? '' }));
    }
    await this.validate(attributes, client);
  }

  async validate(attributes: AdmissionAttributes, client: ApiClient): Promise<void> {
    if (!this.handles(attributes) || attributes.operation !== 'CREATE') return;
    const pod = attributes.object as KubeObject;
    const spec = peek(pod, 'spec') ?? {};
    if (isMirrorPod(pod)) return validateMirrorPod(attributes, spec);
    const name = serviceAccountName(spec);
    if (!name) throw forbidden(attributes, `no service account specified for pod ${attributes.namespace}/${pod.metadata.name ?? ''}`);
    const sa = await this.serviceAccountFor(attributes, client, name);
    if (sa.metadata.annotations?.[ENFORCE_MOUNTABLE_SECRETS] === 'true') limitSecretReferences(attributes, sa, spec);
  }

  private mountToken(spec: Obj): void {
    const volumes = objs(spec, 'volumes');
    const existing = volumes.find((v) => str(v, 'name')?.startsWith(VOLUME_PREFIX));
    const volumeName = existing ? (str(existing, 'name') as string) : VOLUME_PREFIX + this.suffix();
    let needsVolume = false;
    for (const key of ['initContainers', 'containers']) {
      for (const container of objs(spec, key)) {
        const mounts = objs(container, 'volumeMounts');
        // A container that already mounts something at the token path keeps its own mount.
        if (mounts.some((m) => str(m, 'mountPath') === TOKEN_MOUNT_PATH)) continue;
        container.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
        needsVolume = true;
      }
    }
    if (!existing && needsVolume) spec.volumes = [...volumes, tokenVolume(volumeName)];
  }
}

function shouldAutomount(sa: KubeObject, spec: Obj): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

interface SecretRef {
  kind: 'mountable' | 'pull';
  name: string;
  /** Projected and ephemeral-container references bar mirror pods but are not limited by the account. */
  mirrorOnly?: boolean;
  /** Why using it is refused when the service account does not list it. */
  refused: (sa: string) => string;
}

/** Every secret name a pod spec references: volumes, env, envFrom and image pull secrets. */
function podSecretRefs(spec: Obj): SecretRef[] {
  const refs: SecretRef[] = [];
  const notListed = (sa: string) => `is not allowed because service account ${sa} does not reference that secret`;
  for (const v of objs(spec, 'volumes')) {
    const name = str(peek(v, 'secret'), 'secretName');
    if (name) refs.push({ kind: 'mountable', name, refused: (sa) => `volume with secret.secretName="${name}" ${notListed(sa)}` });
    for (const source of objs(peek(v, 'projected'), 'sources')) {
      const projected = str(peek(source, 'secret'), 'name');
      if (projected) refs.push({ kind: 'mountable', name: projected, mirrorOnly: true, refused: (sa) => `volume with secret.secretName="${projected}" ${notListed(sa)}` });
    }
  }
  for (const [key, label] of [['initContainers', 'init container'], ['containers', 'container'], ['ephemeralContainers', 'ephemeral container']]) {
    for (const c of objs(spec, key)) {
      const container = str(c, 'name') ?? '';
      for (const e of objs(c, 'envFrom')) {
        const name = str(peek(e, 'secretRef'), 'name');
        if (name) refs.push({ kind: 'mountable', name, mirrorOnly: key === 'ephemeralContainers', refused: (sa) => `${label} ${container} with envFrom referencing secret.secretName="${name}" ${notListed(sa)}` });
      }
      for (const e of objs(c, 'env')) {
        const name = str(peek(peek(e, 'valueFrom'), 'secretKeyRef'), 'name');
        const envVar = str(e, 'name') ?? '';
        if (name) refs.push({ kind: 'mountable', name, mirrorOnly: key === 'ephemeralContainers', refused: (sa) => `${label} ${container} with envVar ${envVar} referencing secret.secretName="${name}" ${notListed(sa)}` });
      }
    }
  }
  objs(spec, 'imagePullSecrets').forEach((s, i) => {
    const name = str(s, 'name');
    if (name) refs.push({ kind: 'pull', name, refused: (sa) => `imagePullSecrets[${i}].name="${name}" is not allowed because service account ${sa} does not reference that imagePullSecret` });
  });
  return refs;
}

function validateMirrorPod(attributes: AdmissionAttributes, spec: Obj): void {
  if (serviceAccountName(spec)) throw forbidden(attributes, 'a mirror pod may not reference service accounts');
  if (podSecretRefs(spec).length > 0) throw forbidden(attributes, 'a mirror pod may not reference secrets');
  for (const v of objs(spec, 'volumes')) {
    if (objs(peek(v, 'projected'), 'sources').some((s) => isObj(s.serviceAccountToken))) {
      throw forbidden(attributes, 'a mirror pod may not use ServiceAccountToken volume projections');
    }
  }
}

/** With enforce-mountable-secrets, a pod may only use the secrets its service account lists. */
function limitSecretReferences(attributes: AdmissionAttributes, sa: KubeObject, spec: Obj): void {
  const mountable = new Set(objs(sa, 'secrets').map((s) => str(s, 'name')));
  const pullable = new Set(objs(sa, 'imagePullSecrets').map((s) => str(s, 'name')));
  for (const ref of podSecretRefs(spec)) {
    if (ref.mirrorOnly) continue;
    const allowed = ref.kind === 'pull' ? pullable : mountable;
    if (!allowed.has(ref.name)) throw forbidden(attributes, ref.refused(sa.metadata.name ?? ''));
  }
}
