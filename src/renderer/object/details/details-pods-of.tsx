// The pods an object runs (a replica set, a job, a node...), listed by the API with a selector
// and kept when they name the object as owner (or sit on the node).
import type { KubeObject } from '../../../shared/kube.js';
import { i18n } from '../../i18n.js';
import { Section } from '../detail-parts.js';
import { ObjectLink, ownedBy, type OpenObject } from '../object-links.js';
import { objectRpc } from '../object-rpc.js';
import { useRpcData } from '../use-rpc-data.js';

export function PodsOf({ clusterId, obj, open, labelSelector, fieldSelector, owned = true }: { clusterId: string; obj: KubeObject; open: OpenObject; labelSelector?: string; fieldSelector?: string; owned?: boolean }) {
  const { t } = i18n;
  const ns = obj.metadata.namespace;
  const pods = useRpcData(`${clusterId}/${obj.metadata.uid}/${obj.metadata.resourceVersion}/pods`, () =>
    objectRpc().call('object.list', { clusterId, apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector, fieldSelector }),
  );
  const list = owned ? ownedBy(pods.data ?? [], obj) : (pods.data ?? []);
  return (
    <Section title={`${t('object.pods')} (${list.length})`}>
      {pods.error && <p className="banner bad">{pods.error}</p>}
      <ul className="links" data-list="pods">
        {list.map((p) => (
          <li key={p.metadata.uid}>
            <ObjectLink refTo={{ apiVersion: 'v1', kind: 'Pod', name: p.metadata.name ?? '', namespace: p.metadata.namespace }} uid={p.metadata.uid} open={open} label={`${p.metadata.namespace}/${p.metadata.name}`} />{' '}
            <span className="muted">{(p.status as { phase?: string } | undefined)?.phase}</span>
          </li>
        ))}
      </ul>
    </Section>
  );
}
