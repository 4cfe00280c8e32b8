// `kubectl get events`: one printer for core/v1 and events.k8s.io/v1 Events (they are one stored
// object; the latter names its fields differently).
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { TablePrinter } from '../types.js';
import { since } from './duration.js';
import { NAME_COLUMN, docColumn, int } from './table.js';

/** The core/v1 view of an Event in either API version. */
function asCoreEvent(obj: KubeObject): Event {
  if (typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('events.k8s.io/')) {
    const e = obj as Record<string, unknown> & { metadata: Event['metadata'] };
    return {
      metadata: e.metadata,
      involvedObject: (e.regarding ?? {}) as Event['involvedObject'],
      message: e.note as string | undefined,
      reason: e.reason as string | undefined,
      type: e.type as string | undefined,
      source: e.deprecatedSource as Event['source'],
      firstTimestamp: e.deprecatedFirstTimestamp as string | undefined,
      lastTimestamp: e.deprecatedLastTimestamp as string | undefined,
      count: e.deprecatedCount as number | undefined,
      eventTime: e.eventTime as string | undefined,
      series: e.series as Event['series'],
      reportingComponent: e.reportingController as string | undefined,
      reportingInstance: e.reportingInstance as string | undefined,
    } as Event;
  }
  return obj as unknown as Event;
}

function source(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: TablePrinter = {
  columns: [
    docColumn('Last Seen', 'string', 'Event.lastTimestamp'),
    docColumn('Type', 'string', 'Event.type'),
    docColumn('Reason', 'string', 'Event.reason'),
    docColumn('Object', 'string', 'Event.involvedObject'),
    docColumn('Subobject', 'string', 'ObjectReference.fieldPath', 1),
    docColumn('Source', 'string', 'Event.source', 1),
    docColumn('Message', 'string', 'Event.message'),
    docColumn('First Seen', 'string', 'Event.firstTimestamp', 1),
    docColumn('Count', 'string', 'Event.count', 1),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(obj, now) {
    const e = asCoreEvent(obj);
    const firstSeen = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
    let lastSeen = e.lastTimestamp ? since(e.lastTimestamp, now) : firstSeen;
    let count = int(e.count);
    if (e.series) {
      lastSeen = since(e.series.lastObservedTime, now);
      count = int(e.series.count);
    } else if (count === 0) {
      // Singleton events carry no count in the new API.
      count = 1;
    }
    const kind = (e.involvedObject?.kind ?? '').toLowerCase();
    const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
    return [
      lastSeen,
      e.type ?? '',
      e.reason ?? '',
      target,
      e.involvedObject?.fieldPath ?? '',
      source(e),
      (e.message ?? '').trim(),
      firstSeen,
      count,
      obj.metadata.name ?? '',
    ];
  },
};
