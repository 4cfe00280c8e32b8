// A pod's volumes as files and shared stores for the runtime: configMap, secret, projected (bound
// ServiceAccount token, kube-root-ca.crt, downward API), downwardAPI, emptyDir, hostPath and PVCs.
import type { Container as V1Container, KeyToPath, Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { MountedFile, SharedVolume, VolumeStore } from '../runtime/types.js';
import { fieldRefValue, resourceFieldValue, type ConfigSource } from './container-env.js';

/** MountVolume.SetUp failed: the pod stays ContainerCreating and the kubelet retries. */
export class MountError extends Error {
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(message);
  }
}

export interface TokenRequest {
  audiences?: string[];
  expirationSeconds: number;
  boundObjectRef: { kind: 'Pod'; apiVersion: 'v1'; name: string; uid: string };
}

export interface VolumeDeps {
  config: ConfigSource;
  /** POST serviceaccounts/<sa>/token; resolves with the JWT. */
  requestToken(namespace: string, serviceAccount: string, request: TokenRequest): Promise<string>;
  /** The store behind an emptyDir (per pod), a hostPath (per node path) or a claim (per bound PV). */
  store(kind: 'emptyDir' | 'hostPath' | 'pvc', key: string): VolumeStore;
  /** The PV a claim is bound to ("" while unbound). */
  claimVolume(namespace: string, claim: string): Promise<string | undefined>;
  nodeAllocatable: Record<string, string>;
}

type FileEntry = { path: string; content: string | Uint8Array; mode?: number };
export type ResolvedVolume = { kind: 'files'; files: FileEntry[] } | { kind: 'store'; store: VolumeStore };

function pick(data: Record<string, string | Uint8Array>, items: KeyToPath[] | undefined, defaultMode: number | undefined, what: string, optional: boolean): FileEntry[] {
  if (!items) return Object.entries(data).map(([k, v]) => ({ path: k, content: v, mode: defaultMode }));
  const out: FileEntry[] = [];
  for (const item of items) {
    const v = data[item.key];
    if (v === undefined) {
      if (optional) continue;
      throw new Error(`configmap references non-existent config key: ${item.key}`.replace('configmap', what));
    }
    out.push({ path: item.path, content: v, mode: item.mode ?? defaultMode });
  }
  return out;
}

async function configMapFiles(deps: VolumeDeps, namespace: string, name: string, items: KeyToPath[] | undefined, mode: number | undefined, optional: boolean, volume: string): Promise<FileEntry[]> {
  const cm = await deps.config.configMap(namespace, name);
  if (!cm) {
    if (optional) return [];
    throw new MountError(volume, `configmap "${name}" not found`);
  }
  const data: Record<string, string | Uint8Array> = { ...cm.data };
  for (const [k, v] of Object.entries(cm.binaryData)) data[k] = Buffer.from(v, 'base64');
  try {
    return pick(data, items, mode, 'configmap', optional);
  } catch (error) {
    throw new MountError(volume, (error as Error).message);
  }
}

async function secretFiles(deps: VolumeDeps, namespace: string, name: string, items: KeyToPath[] | undefined, mode: number | undefined, optional: boolean, volume: string): Promise<FileEntry[]> {
  const secret = await deps.config.secret(namespace, name);
  if (!secret) {
    if (optional) return [];
    throw new MountError(volume, `secret "${name}" not found`);
  }
  const data: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(secret)) data[k] = Buffer.from(v, 'base64');
  try {
    return pick(data, items, mode, 'secret', optional);
  } catch (error) {
    throw new MountError(volume, (error as Error).message);
  }
}

function downwardFiles(pod: Pod, items: NonNullable<NonNullable<Volume['downwardAPI']>['items']>, nodeAllocatable: Record<string, string>): FileEntry[] {
  return items.map((item) => {
    let content = '';
    if (item.fieldRef) content = fieldRefValue(pod, item.fieldRef.fieldPath);
    else if (item.resourceFieldRef) {
      const ref = item.resourceFieldRef;
      const target = (pod.spec?.containers ?? []).find((c) => c.name === ref.containerName);
      content = resourceFieldValue(target, ref.resource, ref.divisor, nodeAllocatable);
    }
    return { path: item.path, content, mode: item.mode };
  });
}

export async function resolveVolume(pod: Pod, volume: Volume, deps: VolumeDeps): Promise<ResolvedVolume> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const uid = pod.metadata?.uid ?? '';
  if (volume.configMap) {
    const v = volume.configMap;
    return { kind: 'files', files: await configMapFiles(deps, namespace, v.name ?? '', v.items, v.defaultMode, v.optional === true, volume.name) };
  }
  if (volume.secret) {
    const v = volume.secret;
    return { kind: 'files', files: await secretFiles(deps, namespace, v.secretName ?? '', v.items, v.defaultMode, v.optional === true, volume.name) };
  }
  if (volume.downwardAPI) return { kind: 'files', files: downwardFiles(pod, volume.downwardAPI.items ?? [], deps.nodeAllocatable) };
  if (volume.projected) {
    const files: FileEntry[] = [];
    const mode = volume.projected.defaultMode;
    for (const source of volume.projected.sources ?? []) {
      if (source.serviceAccountToken) {
        const t = source.serviceAccountToken;
        const token = await deps.requestToken(namespace, pod.spec?.serviceAccountName ?? 'default', {
          ...(t.audience ? { audiences: [t.audience] } : {}),
          expirationSeconds: t.expirationSeconds ?? 3607,
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata?.name ?? '', uid },
        });
        files.push({ path: t.path, content: token, mode });
      } else if (source.configMap) {
        const c = source.configMap;
        files.push(...(await configMapFiles(deps, namespace, c.name ?? '', c.items, mode, c.optional === true, volume.name)));
      } else if (source.secret) {
        const s = source.secret;
        files.push(...(await secretFiles(deps, namespace, s.name ?? '', s.items, mode, s.optional === true, volume.name)));
      } else if (source.downwardAPI) {
        files.push(...downwardFiles(pod, source.downwardAPI.items ?? [], deps.nodeAllocatable));
      }
    }
    return { kind: 'files', files };
  }
  if (volume.emptyDir) return { kind: 'store', store: deps.store('emptyDir', `${uid}/${volume.name}`) };
  if (volume.hostPath) return { kind: 'store', store: deps.store('hostPath', volume.hostPath.path) };
  if (volume.persistentVolumeClaim) {
    const claim = volume.persistentVolumeClaim.claimName;
    const pv = await deps.claimVolume(namespace, claim);
    if (pv === undefined) throw new MountError(volume.name, `persistentvolumeclaim "${claim}" not found`);
    // An unbound claim still gets data that outlives the pod, keyed by the claim until a PV exists.
    return { kind: 'store', store: deps.store('pvc', pv || `${namespace}/${claim}`) };
  }
  // Volume types with no simulated backing (nfs, csi...): an empty directory, so pods still start.
  return { kind: 'store', store: deps.store('emptyDir', `${uid}/${volume.name}`) };
}

export async function resolveVolumes(pod: Pod, deps: VolumeDeps): Promise<Map<string, ResolvedVolume>> {
  const out = new Map<string, ResolvedVolume>();
  for (const v of pod.spec?.volumes ?? []) out.set(v.name, await resolveVolume(pod, v, deps));
  return out;
}

function join(dir: string, rel: string): string {
  return `${dir.replace(/\/+$/, '')}/${rel.replace(/^\/+/, '')}`;
}

/** A container's mounts: file volumes become files under mountPath (or one file with subPath). */
export function containerMounts(container: V1Container, volumes: Map<string, ResolvedVolume>): { files: MountedFile[]; volumes: SharedVolume[] } {
  const files: MountedFile[] = [];
  const shared: SharedVolume[] = [];
  for (const m of container.volumeMounts ?? []) {
    const v = volumes.get(m.name);
    if (!v) continue;
    if (v.kind === 'store') {
      shared.push({ mountPath: m.mountPath, readOnly: m.readOnly === true, store: v.store });
      continue;
    }
    for (const f of v.files) {
      if (m.subPath && f.path !== m.subPath) continue;
      files.push({ path: m.subPath ? m.mountPath : join(m.mountPath, f.path), content: f.content, ...(f.mode !== undefined ? { mode: f.mode } : {}) });
    }
  }
  return { files, volumes: shared };
}
