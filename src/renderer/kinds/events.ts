import type { KubeObject } from '../../shared/kube.js';
import type { KindView } from './kind-view.js';
import { humanDuration, str } from './format.js';

/** When an event last happened: a series' last observation, lastTimestamp, eventTime, or creation. */
export function eventTime(o: KubeObject): number {
  return Date.parse(str(o, 'series.lastObservedTime') || str(o, 'lastTimestamp') || str(o, 'eventTime') || (o.metadata.creationTimestamp ?? '')) || 0;
}

export const eventsView: KindView = {
  name: 'events',
  group: '',
  resource: 'events',
  title: 'kind.events',
  category: 'cluster',
  namespaced: true,
  // The latest first, as one reads events.
  defaultSort: 0,
  columns: [
    {
      header: 'LAST SEEN',
      live: true,
      value: (o, now) => {
        const at = eventTime(o);
        const count = typeof o.count === 'number' ? o.count : 1;
        const first = Date.parse(str(o, 'firstTimestamp')) || 0;
        const seen = at ? humanDuration(now - at) : '<unknown>';
        // kubectl: "3m (x4 over 10m)" for a repeated event.
        return count > 1 && first ? `${seen} (x${count} over ${humanDuration(now - first)})` : seen;
      },
      sortKey: (o) => -eventTime(o),
    },
    { header: 'TYPE', value: (o) => str(o, 'type'), tone: (v) => (v === 'Warning' ? 'tone-bad' : undefined) },
    { header: 'REASON', value: (o) => str(o, 'reason') },
    { header: 'OBJECT', value: (o) => `${str(o, 'involvedObject.kind').toLowerCase()}/${str(o, 'involvedObject.name')}` },
    { header: 'MESSAGE', value: (o) => str(o, 'message').trim() },
  ],
};
