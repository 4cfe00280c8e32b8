import type { KindView } from './kind-view.js';
import { ageColumn, field, str } from './format.js';

export const storageClassesView: KindView = {
  name: 'storageclasses',
  group: 'storage.k8s.io',
  resource: 'storageclasses',
  title: 'kind.storageclasses',
  category: 'storage',
  namespaced: false,
  columns: [
    // kubectl marks the default class in the NAME column.
    { header: 'NAME', value: (o) => `${o.metadata.name ?? ''}${o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? ' (default)' : ''}` },
    { header: 'PROVISIONER', value: (o) => str(o, 'provisioner') },
    { header: 'RECLAIMPOLICY', value: (o) => str(o, 'reclaimPolicy', 'Delete') },
    { header: 'VOLUMEBINDINGMODE', value: (o) => str(o, 'volumeBindingMode', 'Immediate') },
    { header: 'ALLOWVOLUMEEXPANSION', value: (o) => String(field(o, 'allowVolumeExpansion') === true) },
    ageColumn,
  ],
};
