// The Events tab: events whose involvedObject is this uid, newest first, warnings marked.
import { observer } from 'mobx-react-lite';
import type { KubeObject } from '../../shared/kube.js';
import { i18n } from '../i18n.js';
import { age } from './detail-parts.js';
import { objectRpc } from './object-rpc.js';
import { useRpcData } from './use-rpc-data.js';

interface EventShape extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

export const ObjectEvents = observer(function ObjectEvents({ clusterId, obj, refreshKey }: { clusterId: string; obj: KubeObject; refreshKey: number }) {
  const { t } = i18n;
  const uid = obj.metadata.uid ?? '';
  // Cluster-scoped objects (nodes) have their events in "default" or elsewhere: ask every namespace.
  const events = useRpcData(`${clusterId}/${uid}/${obj.metadata.resourceVersion}/${refreshKey}`, () => objectRpc().call('object.events', { clusterId, uid, namespace: obj.metadata.namespace }));
  if (events.error) return <p className="banner bad">{events.error}</p>;
  if (!events.data) return <p className="muted">{t('object.loading')}</p>;
  const list = [...(events.data as EventShape[])].reverse();
  if (list.length === 0) return <p className="muted">{t('object.events.none')}</p>;
  const now = Date.now();
  return (
    <table className="mini events" data-table="events">
      <thead>
        <tr>
          <th>{t('object.events.type')}</th>
          <th>{t('object.events.reason')}</th>
          <th>{t('object.events.age')}</th>
          <th>{t('object.events.count')}</th>
          <th>{t('object.events.from')}</th>
          <th>{t('object.events.message')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((e) => (
          <tr key={e.metadata.uid} className={e.type === 'Warning' ? 'warning' : ''} data-reason={e.reason}>
            <td>{e.type}</td>
            <td>{e.reason}</td>
            <td>{age(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp, now)}</td>
            <td>{e.count ?? 1}</td>
            <td>{e.source?.component ?? e.reportingComponent}</td>
            <td className="wrap">{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});
