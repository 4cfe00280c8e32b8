import type { KindView } from './kind-view.js';
import { accessModes, ageColumn, field, nameColumn, str } from './format.js';

export const persistentVolumesView: KindView = {
  name: 'persistentvolumes',
  group: '',
  resource: 'persistentvolumes',
  title: 'kind.persistentvolumes',
  category: 'storage',
  namespaced: false,
  columns: [
    nameColumn,
    { header: 'CAPACITY', value: (o) => str(o, 'spec.capacity.storage') },
    { header: 'ACCESS MODES', value: (o) => accessModes(field(o, 'spec.accessModes')) },
    { header: 'RECLAIM POLICY', value: (o) => str(o, 'spec.persistentVolumeReclaimPolicy') },
    { header: 'STATUS', value: (o) => str(o, 'status.phase'), tone: (v) => (v === 'Bound' ? 'tone-ok' : v === 'Failed' ? 'tone-bad' : 'tone-warn') },
    { header: 'CLAIM', value: (o) => (field(o, 'spec.claimRef') ? `${str(o, 'spec.claimRef.namespace')}/${str(o, 'spec.claimRef.name')}` : '') },
    { header: 'STORAGECLASS', value: (o) => str(o, 'spec.storageClassName') },
    { header: 'VOLUMEATTRIBUTESCLASS', value: (o) => str(o, 'spec.volumeAttributesClassName', '<unset>') },
    { header: 'REASON', value: (o) => str(o, 'status.reason') },
    ageColumn,
  ],
};
