// A node: conditions, capacity and allocatable, taints, addresses, system info, and its pods.
// eslint-disable-next-line no-restricted-imports -- Kubernetes' core API group's types, not our src/core layer
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import { i18n } from '../../i18n.js';
import { Conditions, Fields, Section } from '../detail-parts.js';
import type { OpenObject } from '../object-links.js';
import { PodsOf } from './details-pods-of.js';

export function NodeDetails({ clusterId, obj, open }: { clusterId: string; obj: KubeObject; open: OpenObject }) {
  const { t } = i18n;
  const node = obj as unknown as Node;
  const status = node.status ?? {};
  const resources = Object.keys({ ...status.capacity, ...status.allocatable });
  return (
    <>
      {node.spec?.unschedulable && <p className="banner warn" data-node="cordoned">{t('object.node.unschedulable')}</p>}
      <Conditions conditions={status.conditions?.map((c) => ({ ...c, lastTransitionTime: c.lastTransitionTime }))} good="True" />
      <Section title={`${t('object.node.capacity')} / ${t('object.node.allocatable')}`}>
        <Fields rows={resources.map((r) => [r, `${status.capacity?.[r] ?? ''} / ${status.allocatable?.[r] ?? ''}`])} />
      </Section>
      <Section title={t('object.node.taints')}>
        {(node.spec?.taints ?? []).length === 0 ? <span className="muted">{t('object.none')}</span> : (
          <ul className="links" data-list="taints">
            {(node.spec?.taints ?? []).map((x) => (
              <li key={`${x.key}${x.effect}`}>
                {x.key}
                {x.value ? `=${x.value}` : ''}:{x.effect}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('object.node.addresses')}>
        <Fields rows={(status.addresses ?? []).map((a) => [a.type, a.address])} />
      </Section>
      <Section title={t('object.node.info')}>
        <Fields rows={Object.entries(status.nodeInfo ?? {}).map(([k, v]) => [k, String(v)])} />
      </Section>
      <PodsOf clusterId={clusterId} obj={{ ...obj, metadata: { ...obj.metadata, namespace: undefined } }} open={open} fieldSelector={`spec.nodeName=${obj.metadata.name ?? ''}`} owned={false} />
    </>
  );
}
