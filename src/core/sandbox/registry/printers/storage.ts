// PersistentVolumes, claims and storage.k8s.io kinds, as kube-apiserver prints them.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { CSIDriver, CSINode, StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { TablePrinter } from '../types.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, docColumn, nameOf } from './table.js';

function as<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

/** helper.GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order, each once. */
export function accessModes(modes: readonly string[] | undefined): string {
  const list = modes ?? [];
  const out: string[] = [];
  if (list.includes('ReadWriteOnce')) out.push('RWO');
  if (list.includes('ReadOnlyMany')) out.push('ROX');
  if (list.includes('ReadWriteMany')) out.push('RWX');
  if (list.includes('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** The class from spec.storageClassName, or the legacy beta annotation. */
function storageClassOf(obj: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  const beta = obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (beta !== undefined) return beta;
  return obj.spec?.storageClassName ?? '';
}

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Capacity', 'string', 'PersistentVolumeSpec.capacity'),
    docColumn('Access Modes', 'string', 'PersistentVolumeSpec.accessModes'),
    docColumn('Reclaim Policy', 'string', 'PersistentVolumeSpec.persistentVolumeReclaimPolicy'),
    docColumn('Status', 'string', 'PersistentVolumeStatus.phase'),
    docColumn('Claim', 'string', 'PersistentVolumeSpec.claimRef'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    docColumn('Reason', 'string', 'PersistentVolumeStatus.reason'),
    AGE_COLUMN,
    docColumn('VolumeMode', 'string', 'PersistentVolumeSpec.volumeMode', 1),
  ],
  cells(obj, now) {
    const pv = as<PersistentVolume>(obj);
    const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '';
    const phase = obj.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '');
    return [
      nameOf(obj),
      pv.spec?.capacity?.storage ?? '0',
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      storageClassOf(pv),
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      ageOf(obj, now),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Status', 'string', 'PersistentVolumeClaimStatus.phase'),
    docColumn('Volume', 'string', 'PersistentVolumeClaimSpec.volumeName'),
    docColumn('Capacity', 'string', 'PersistentVolumeClaimStatus.capacity'),
    docColumn('Access Modes', 'string', 'PersistentVolumeClaimStatus.accessModes'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE_COLUMN,
    docColumn('VolumeMode', 'string', 'PersistentVolumeClaimSpec.volumeMode', 1),
  ],
  cells(obj, now) {
    const pvc = as<PersistentVolumeClaim>(obj);
    const phase = obj.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
    const bound = Boolean(pvc.spec?.volumeName);
    return [
      nameOf(obj),
      phase,
      pvc.spec?.volumeName ?? '',
      bound ? (pvc.status?.capacity?.storage ?? '0') : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      ageOf(obj, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
};

function isDefaultClass(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

export const storageClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Provisioner', 'string', 'StorageClass.provisioner'),
    docColumn('ReclaimPolicy', 'string', 'StorageClass.reclaimPolicy'),
    docColumn('VolumeBindingMode', 'string', 'StorageClass.volumeBindingMode'),
    docColumn('AllowVolumeExpansion', 'string', 'StorageClass.allowVolumeExpansion'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const sc = as<StorageClass>(obj);
    return [
      isDefaultClass(obj) ? `${nameOf(obj)} (default)` : nameOf(obj),
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      ageOf(obj, now),
    ];
  },
};

export const csiNodePrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), AGE_COLUMN],
  cells: (obj, now) => [nameOf(obj), (as<CSINode>(obj).spec?.drivers ?? []).length, ageOf(obj, now)],
};

export const csiDriverPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('AttachRequired', 'boolean', 'CSIDriverSpec.attachRequired'),
    docColumn('PodInfoOnMount', 'boolean', 'CSIDriverSpec.podInfoOnMount'),
    docColumn('StorageCapacity', 'boolean', 'CSIDriverSpec.storageCapacity'),
    docColumn('TokenRequests', 'string', 'CSIDriverSpec.tokenRequests'),
    docColumn('RequiresRepublish', 'boolean', 'CSIDriverSpec.requiresRepublish'),
    docColumn('Modes', 'string', 'CSIDriverSpec.volumeLifecycleModes'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const spec = as<CSIDriver>(obj).spec;
    const modes = (spec?.volumeLifecycleModes ?? []).join(',');
    const tokens = spec?.tokenRequests ? spec.tokenRequests.map((t) => t.audience).join(',') : '<unset>';
    return [
      nameOf(obj),
      spec?.attachRequired ?? true,
      spec?.podInfoOnMount ?? false,
      spec?.storageCapacity ?? false,
      tokens,
      spec?.requiresRepublish ?? false,
      modes || '<none>',
      ageOf(obj, now),
    ];
  },
};

export const volumeAttachmentPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    // Upstream marks Attacher with format "name" too.
    { ...docColumn('Attacher', 'string', 'VolumeAttachmentSpec.attacher'), format: 'name' },
    docColumn('PV', 'string', 'VolumeAttachmentSource.persistentVolumeName'),
    docColumn('Node', 'string', 'VolumeAttachmentSpec.nodeName'),
    docColumn('Attached', 'boolean', 'VolumeAttachmentStatus.attached'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const va = as<VolumeAttachment>(obj);
    return [nameOf(obj), va.spec?.attacher ?? '', va.spec?.source?.persistentVolumeName ?? '', va.spec?.nodeName ?? '', va.status?.attached ?? false, ageOf(obj, now)];
  },
};

