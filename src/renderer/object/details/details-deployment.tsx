// A deployment: rollout state, strategy, and the replica sets it owns with their revisions and pods.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import { i18n } from '../../i18n.js';
import { Fields, Section } from '../detail-parts.js';
import { ObjectLink, ownedBy, selectorString, type OpenObject } from '../object-links.js';
import { objectRpc } from '../object-rpc.js';
import { useRpcData } from '../use-rpc-data.js';

export function DeploymentDetails({ clusterId, obj, open }: { clusterId: string; obj: KubeObject; open: OpenObject }) {
  const { t } = i18n;
  const d = obj as unknown as Deployment;
  const ns = obj.metadata.namespace;
  const selector = selectorString(d.spec?.selector?.matchLabels);
  const rs = useRpcData(`${clusterId}/${obj.metadata.uid}/${obj.metadata.resourceVersion}`, () =>
    objectRpc().call('object.list', { clusterId, apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns, labelSelector: selector || undefined }),
  );
  const status = d.status ?? {};
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  const complete = progressing?.reason === 'NewReplicaSetAvailable' && (status.updatedReplicas ?? 0) === (d.spec?.replicas ?? 1) && (status.replicas ?? 0) === (status.updatedReplicas ?? 0);
  const sets = (ownedBy(rs.data ?? [], obj) as unknown as ReplicaSet[]).sort(
    (a, b) => Number(b.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) - Number(a.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
  );
  return (
    <>
      <Section title={t('object.deploy.rollout')}>
        <Fields
          rows={[
            [t('object.deploy.replicas'), t('object.deploy.desiredReady', { ready: status.readyReplicas ?? 0, desired: d.spec?.replicas ?? 1, updated: status.updatedReplicas ?? 0, available: status.availableReplicas ?? 0 })],
            [t('object.status'), <span key="s" className={complete ? 'ok' : 'warn'} data-rollout={complete ? 'complete' : 'progressing'}>{complete ? t('object.deploy.complete') : `${t('object.deploy.progressing')} ${progressing?.message ?? ''}`}</span>],
            [t('object.deploy.strategy'), d.spec?.strategy?.type],
            [t('object.svc.selector'), selector],
          ]}
        />
      </Section>
      <Section title={t('object.deploy.replicaSets')}>
        {rs.error && <p className="banner bad">{rs.error}</p>}
        <table className="mini" data-table="replicasets">
          <thead>
            <tr>
              <th>{t('object.name')}</th>
              <th>{t('object.deploy.revision')}</th>
              <th>{t('object.deploy.replicas')}</th>
              <th>{t('object.pod.image')}</th>
            </tr>
          </thead>
          <tbody>
            {sets.map((r) => (
              <tr key={r.metadata?.uid} data-revision={r.metadata?.annotations?.['deployment.kubernetes.io/revision']}>
                <td>
                  <ObjectLink refTo={{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: r.metadata?.name ?? '', namespace: ns }} uid={r.metadata?.uid} open={open} label={r.metadata?.name} />
                </td>
                <td>{r.metadata?.annotations?.['deployment.kubernetes.io/revision']}</td>
                <td>
                  {r.status?.readyReplicas ?? 0}/{r.spec?.replicas ?? 0}
                </td>
                <td className="wrap">{r.spec?.template?.spec?.containers.map((c) => c.image).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
