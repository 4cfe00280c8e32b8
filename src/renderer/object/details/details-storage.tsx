// Claims and volumes: phase, binding (each links to the other), class, capacity, access modes.
// eslint-disable-next-line no-restricted-imports -- Kubernetes' core API group's types, not our src/core layer
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import { i18n } from '../../i18n.js';
import { Fields, Section } from '../detail-parts.js';
import { ObjectLink, type OpenObject } from '../object-links.js';

export function ClaimDetails({ obj, open }: { obj: KubeObject; open: OpenObject }) {
  const { t } = i18n;
  const pvc = obj as unknown as PersistentVolumeClaim;
  const volume = pvc.spec?.volumeName;
  return (
    <Section title={t('object.status')}>
      <Fields
        rows={[
          [t('object.pvc.phase'), pvc.status?.phase],
          [t('object.pvc.volume'), volume ? <ObjectLink refTo={{ apiVersion: 'v1', kind: 'PersistentVolume', name: volume }} open={open} /> : undefined],
          [t('object.pvc.storageClass'), pvc.spec?.storageClassName],
          [t('object.pvc.capacity'), pvc.status?.capacity?.storage ?? pvc.spec?.resources?.requests?.storage],
          [t('object.pvc.accessModes'), (pvc.status?.accessModes ?? pvc.spec?.accessModes ?? []).join(', ')],
        ]}
      />
    </Section>
  );
}

export function VolumeDetails({ obj, open }: { obj: KubeObject; open: OpenObject }) {
  const { t } = i18n;
  const pv = obj as unknown as PersistentVolume;
  const claim = pv.spec?.claimRef;
  return (
    <Section title={t('object.status')}>
      <Fields
        rows={[
          [t('object.pvc.phase'), pv.status?.phase],
          [t('object.pvc.claim'), claim?.name ? <ObjectLink refTo={{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.name, namespace: claim.namespace }} uid={claim.uid} open={open} /> : undefined],
          [t('object.pvc.storageClass'), pv.spec?.storageClassName],
          [t('object.pvc.capacity'), pv.spec?.capacity?.storage],
          [t('object.pvc.accessModes'), (pv.spec?.accessModes ?? []).join(', ')],
        ]}
      />
    </Section>
  );
}
