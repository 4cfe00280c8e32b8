import type { KindView } from './kind-view.js';
import { age, podReady, podRestarts, podStatus, statusTone } from './format.js';

export const podsView: KindView = {
  kind: 'pods',
  title: 'kind.pods',
  namespaced: true,
  columns: [
    { header: 'NAME', value: (o) => o.metadata.name ?? '' },
    { header: 'READY', value: (o) => podReady(o) },
    { header: 'STATUS', value: (o) => podStatus(o), tone: (v) => `tone-${statusTone(v)}` },
    { header: 'RESTARTS', value: (o, now) => podRestarts(o, now) },
    { header: 'AGE', value: (o, now) => age(o, now) },
  ],
};
