import type { KindView } from './kind-view.js';
import { accessModes, ageColumn, field, nameColumn, str } from './format.js';

export const persistentVolumeClaimsView: KindView = {
  name: 'persistentvolumeclaims',
  group: '',
  resource: 'persistentvolumeclaims',
  title: 'kind.persistentvolumeclaims',
  category: 'storage',
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'STATUS', value: (o) => str(o, 'status.phase'), tone: (v) => (v === 'Bound' ? 'tone-ok' : v === 'Lost' ? 'tone-bad' : 'tone-warn') },
    { header: 'VOLUME', value: (o) => str(o, 'spec.volumeName') },
    { header: 'CAPACITY', value: (o) => str(o, 'status.capacity.storage') },
    { header: 'ACCESS MODES', value: (o) => accessModes(field(o, 'status.accessModes')) },
    { header: 'STORAGECLASS', value: (o) => str(o, 'spec.storageClassName', '<unset>') },
    { header: 'VOLUMEATTRIBUTESCLASS', value: (o) => str(o, 'spec.volumeAttributesClassName', '<unset>') },
    ageColumn,
  ],
};
