// The PersistentVolume controller with the local-path provisioner of the default StorageClass:
// claims bind to the smallest matching Available volume (class, access modes, capacity, selector,
// volume mode); claims of a class provisioned by kubedesk.io/local-path get a new volume pvc-<uid>
// (at once for Immediate, once the scheduler picked a node for WaitForFirstConsumer); released
// volumes are deleted (Delete) or kept Released (Retain). Also drops the protection finalizers once
// nothing uses a claim or volume (pvc-protection / pv-protection controllers).
import type { KubeObject } from '../../../../shared/kube.js';
import { compareQuantity, parseQuantity } from '../../registry/kinds/quantity.js';
import { labelSelectorFromObject, type LabelSelectorObject } from '../../registry/selectors/index.js';
import type { Informer } from '../informer.js';
import { QueueController, REFS, asObj, isTerminal, key, splitKey, tolerate, type ControllerDeps } from './shared.js';
import type { EventSink } from './shared.js';

export const PROVISIONER = 'kubedesk.io/local-path';
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const PVC_FINALIZER = 'kubernetes.io/pvc-protection';
const PV_FINALIZER = 'kubernetes.io/pv-protection';
const VOLUME_PREFIX = 'pv:';

interface ClaimSpec {
  storageClassName?: string;
  volumeName?: string;
  accessModes?: string[];
  volumeMode?: string;
  selector?: LabelSelectorObject;
  resources?: { requests?: { storage?: string } };
}

interface VolumeSpec {
  storageClassName?: string;
  accessModes?: string[];
  volumeMode?: string;
  capacity?: { storage?: string };
  claimRef?: { namespace?: string; name?: string; uid?: string };
  persistentVolumeReclaimPolicy?: string;
}

export class PersistentVolumeController extends QueueController {
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly classes: Informer;
  private readonly pods: Informer;

  constructor(
    deps: ControllerDeps,
    private readonly provisionerEvents: EventSink,
  ) {
    super(deps);
    this.claims = this.watch(REFS.pvcs, (e) => {
      this.queue.add(key(e.object));
      const volume = (e.object.spec as ClaimSpec | undefined)?.volumeName;
      if (volume) this.queue.add(VOLUME_PREFIX + volume);
    });
    this.volumes = this.watch(REFS.pvs, (e) => {
      this.queue.add(VOLUME_PREFIX + (e.object.metadata.name ?? ''));
      const ref = (e.object.spec as VolumeSpec | undefined)?.claimRef;
      if (ref?.name) this.queue.add(`${ref.namespace ?? ''}/${ref.name}`);
    });
    this.classes = this.watch(REFS.storageClasses, () => undefined);
    // A pod going away may release a terminating claim's protection finalizer.
    this.pods = this.watch(REFS.pods, (e) => {
      for (const vol of (asObj(e.object.spec).volumes as { persistentVolumeClaim?: { claimName?: string } }[] | undefined) ?? []) {
        if (vol.persistentVolumeClaim?.claimName) this.queue.add(`${e.object.metadata.namespace ?? ''}/${vol.persistentVolumeClaim.claimName}`);
      }
    });
  }

  start(): void {
    this.enqueueAll(this.claims);
    for (const v of this.volumes.list()) this.queue.add(VOLUME_PREFIX + (v.metadata.name ?? ''));
  }

  protected async sync(k: string): Promise<void> {
    if (k.startsWith(VOLUME_PREFIX)) return this.syncVolume(k.slice(VOLUME_PREFIX.length));
    const [ns, name] = splitKey(k);
    const pvc = this.claims.get(ns, name);
    if (!pvc) return;
    if (pvc.metadata.deletionTimestamp) return this.releaseClaimFinalizer(pvc);
    const spec = (pvc.spec ?? {}) as ClaimSpec;
    if (spec.volumeName) {
      const pv = this.volumes.get('', spec.volumeName);
      if (pv) await this.bind(pvc, pv);
      return;
    }
    const match = this.findVolume(pvc);
    if (match) return this.bind(pvc, match);
    const className = spec.storageClassName ?? '';
    const sc = className ? this.classes.get('', className) : undefined;
    if (!sc || sc.provisioner !== PROVISIONER) return;
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.metadata.annotations?.[SELECTED_NODE]) {
      this.deps.events.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    await this.provision(pvc, sc);
  }

  private findVolume(pvc: KubeObject): KubeObject | undefined {
    const spec = (pvc.spec ?? {}) as ClaimSpec;
    const wanted = parseQuantity(spec.resources?.requests?.storage ?? '0');
    const selector = spec.selector ? labelSelectorFromObject(spec.selector) : undefined;
    let best: KubeObject | undefined;
    for (const pv of this.volumes.list()) {
      const v = (pv.spec ?? {}) as VolumeSpec;
      if (pv.metadata.deletionTimestamp) continue;
      const ref = v.claimRef;
      if (ref && !(ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name && (!ref.uid || ref.uid === pvc.metadata.uid))) continue;
      if (!ref && (pv.status as { phase?: string } | undefined)?.phase !== 'Available') continue;
      if ((v.storageClassName ?? '') !== (spec.storageClassName ?? '')) continue;
      if ((v.volumeMode ?? 'Filesystem') !== (spec.volumeMode ?? 'Filesystem')) continue;
      if (!(spec.accessModes ?? []).every((m) => (v.accessModes ?? []).includes(m))) continue;
      if (selector && !selector.matches(pv.metadata.labels ?? {})) continue;
      const capacity = parseQuantity(v.capacity?.storage ?? '0');
      if (!capacity || !wanted || compareQuantity(capacity, wanted) < 0) continue;
      // A volume pre-bound to this claim wins; else the smallest that fits.
      if (ref) return pv;
      const bestCapacity = best ? parseQuantity(((best.spec ?? {}) as VolumeSpec).capacity?.storage ?? '0') : undefined;
      if (!best || (bestCapacity && compareQuantity(capacity, bestCapacity) < 0)) best = pv;
    }
    return best;
  }

  private async bind(pvc: KubeObject, pv: KubeObject): Promise<void> {
    const { client } = this.deps;
    const ns = pvc.metadata.namespace ?? '';
    const v = (pv.spec ?? {}) as VolumeSpec;
    if (v.claimRef?.uid !== pvc.metadata.uid) {
      const claimRef = { kind: 'PersistentVolumeClaim', namespace: ns, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion };
      const annotations = { ...(pv.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' };
      const updated = await tolerate(() => client.update(REFS.pvs, '', { ...pv, metadata: { ...pv.metadata, annotations }, spec: { ...v, claimRef } }));
      if (!updated) return this.queue.addAfter(key(pvc), 100);
      pv = updated;
    }
    if ((pv.status as { phase?: string } | undefined)?.phase !== 'Bound') {
      await tolerate(() => client.update(REFS.pvs, '', { ...pv, status: { phase: 'Bound' } }, { subresource: 'status' }));
    }
    const spec = (pvc.spec ?? {}) as ClaimSpec;
    let claim = pvc;
    if (spec.volumeName !== pv.metadata.name || claim.metadata.annotations?.['pv.kubernetes.io/bind-completed'] !== 'yes') {
      const annotations = { ...(pvc.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', ...(spec.volumeName ? {} : { 'pv.kubernetes.io/bound-by-controller': 'yes' }) };
      const updated = await tolerate(() => client.update(REFS.pvcs, ns, { ...pvc, metadata: { ...pvc.metadata, annotations }, spec: { ...spec, volumeName: pv.metadata.name } }));
      if (!updated) return this.queue.addAfter(key(pvc), 100);
      claim = updated;
    }
    const status = asObj(claim.status);
    const pvSpec = (pv.spec ?? {}) as VolumeSpec;
    if (status.phase !== 'Bound') {
      await tolerate(() =>
        client.update(REFS.pvcs, ns, { ...claim, status: { ...status, phase: 'Bound', accessModes: pvSpec.accessModes, capacity: { ...(pvSpec.capacity ?? {}) } } }, { subresource: 'status' }),
      );
    }
  }

  private async provision(pvc: KubeObject, sc: KubeObject): Promise<void> {
    const ns = pvc.metadata.namespace ?? '';
    const name = `pvc-${pvc.metadata.uid ?? ''}`;
    const spec = (pvc.spec ?? {}) as ClaimSpec;
    const node = pvc.metadata.annotations?.[SELECTED_NODE];
    const annotations = pvc.metadata.annotations ?? {};
    if (annotations['volume.kubernetes.io/storage-provisioner'] !== PROVISIONER) {
      this.deps.events.event(pvc, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${PROVISIONER}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
      const marked = { ...annotations, 'volume.beta.kubernetes.io/storage-provisioner': PROVISIONER, 'volume.kubernetes.io/storage-provisioner': PROVISIONER };
      const updated = await tolerate(() => this.deps.client.update(REFS.pvcs, ns, { ...pvc, metadata: { ...pvc.metadata, annotations: marked } }));
      if (!updated) return this.queue.addAfter(key(pvc), 100);
      pvc = updated;
    }
    this.provisionerEvents.event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${pvc.metadata.name ?? ''}"`);
    const pv: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER, ...(node ? { 'local.path.provisioner/selected-node': node } : {}) } },
      spec: {
        capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
        accessModes: spec.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: typeof sc.reclaimPolicy === 'string' ? sc.reclaimPolicy : 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: spec.volumeMode ?? 'Filesystem',
        claimRef: { kind: 'PersistentVolumeClaim', namespace: ns, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion },
        hostPath: { path: `/var/local-path-provisioner/${name}_${ns}_${pvc.metadata.name ?? ''}`, type: 'DirectoryOrCreate' },
        ...(node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } } : {}),
      },
    };
    const created = await tolerate(() => this.deps.client.create(REFS.pvs, '', pv), [409]);
    if (created) this.provisionerEvents.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
    const live = created ?? (await tolerate(() => this.deps.client.get(REFS.pvs, '', name), [404]));
    if (live) await this.bind(pvc, live);
  }

  private async syncVolume(name: string): Promise<void> {
    const pv = this.volumes.get('', name);
    if (!pv) return;
    const { client } = this.deps;
    const spec = (pv.spec ?? {}) as VolumeSpec;
    const phase = (pv.status as { phase?: string } | undefined)?.phase;
    const ref = spec.claimRef;
    const claim = ref?.name ? this.claims.get(ref.namespace ?? '', ref.name) : undefined;
    const claimGone = ref?.uid !== undefined && (!claim || claim.metadata.uid !== ref.uid);
    if (pv.metadata.deletionTimestamp) {
      if ((claimGone || !ref) && (pv.metadata.finalizers ?? []).includes(PV_FINALIZER)) {
        await tolerate(() => client.update(REFS.pvs, '', { ...pv, metadata: { ...pv.metadata, finalizers: (pv.metadata.finalizers ?? []).filter((f) => f !== PV_FINALIZER) } }));
      }
      return;
    }
    if (!ref) {
      if (phase !== 'Available') await tolerate(() => client.update(REFS.pvs, '', { ...pv, status: { phase: 'Available' } }, { subresource: 'status' }));
      return;
    }
    if (!claimGone) return;
    if (spec.persistentVolumeReclaimPolicy === 'Delete') {
      await tolerate(() => client.delete(REFS.pvs, '', name));
      return;
    }
    if (phase !== 'Released') await tolerate(() => client.update(REFS.pvs, '', { ...pv, status: { phase: 'Released' } }, { subresource: 'status' }));
  }

  /** pvc-protection: a terminating claim goes once no running pod uses it. */
  private async releaseClaimFinalizer(pvc: KubeObject): Promise<void> {
    if (!(pvc.metadata.finalizers ?? []).includes(PVC_FINALIZER)) return;
    const name = pvc.metadata.name;
    const inUse = this.pods.list(pvc.metadata.namespace ?? '').some(
      (p) => !isTerminal(p) && ((asObj(p.spec).volumes as { persistentVolumeClaim?: { claimName?: string } }[] | undefined) ?? []).some((v) => v.persistentVolumeClaim?.claimName === name),
    );
    if (inUse) return;
    await tolerate(() => this.deps.client.update(REFS.pvcs, pvc.metadata.namespace ?? '', { ...pvc, metadata: { ...pvc.metadata, finalizers: (pvc.metadata.finalizers ?? []).filter((f) => f !== PVC_FINALIZER) } }));
  }
}
