// A service: type, IPs, ports, selector, and its endpoints (ready and not ready addresses).
// eslint-disable-next-line no-restricted-imports -- Kubernetes' core API group's types, not our src/core layer
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import { i18n } from '../../i18n.js';
import { Chips, Fields, Section } from '../detail-parts.js';
import { ObjectLink, type OpenObject } from '../object-links.js';
import { objectRpc } from '../object-rpc.js';
import { useRpcData } from '../use-rpc-data.js';

export function ServiceDetails({ clusterId, obj, open }: { clusterId: string; obj: KubeObject; open: OpenObject }) {
  const { t } = i18n;
  const svc = obj as unknown as Service;
  const ns = obj.metadata.namespace;
  const ep = useRpcData(`${clusterId}/${obj.metadata.uid}/${obj.metadata.resourceVersion}/ep`, () =>
    objectRpc()
      .call('object.get', { clusterId, ref: { apiVersion: 'v1', kind: 'Endpoints', name: obj.metadata.name ?? '', namespace: ns } })
      .then((o) => o as unknown as Endpoints),
  );
  const subsets = ep.data?.subsets ?? [];
  const ready = subsets.flatMap((s) => (s.addresses ?? []).map((a) => ({ a, ports: s.ports ?? [] })));
  const notReady = subsets.flatMap((s) => (s.notReadyAddresses ?? []).map((a) => ({ a, ports: s.ports ?? [] })));
  return (
    <>
      <Section title={t('object.status')}>
        <Fields
          rows={[
            [t('object.svc.type'), svc.spec?.type],
            [t('object.svc.clusterIP'), svc.spec?.clusterIPs?.join(', ') ?? svc.spec?.clusterIP],
            [t('object.svc.externalIPs'), [...(svc.spec?.externalIPs ?? []), ...(svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '')].join(', ')],
            [t('object.svc.ports'), (svc.spec?.ports ?? []).map((p) => `${p.name ? `${p.name} ` : ''}${p.port}${p.nodePort ? `:${p.nodePort}` : ''}→${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`).join(', ')],
            [t('object.svc.selector'), <Chips key="s" map={svc.spec?.selector} />],
          ]}
        />
      </Section>
      <Section title={t('object.svc.endpoints')}>
        {ready.length === 0 && <p className="muted">{t('object.svc.noEndpoints')}</p>}
        <ul className="links" data-list="endpoints">
          {[...ready.map((x) => ({ ...x, ok: true })), ...notReady.map((x) => ({ ...x, ok: false }))].map(({ a, ports, ok }) => (
            <li key={`${a.ip}${ok}`} className={ok ? '' : 'warn'}>
              {a.ip}:{ports.map((p) => p.port).join(',')}{' '}
              {a.targetRef?.kind === 'Pod' && <ObjectLink refTo={{ apiVersion: 'v1', kind: 'Pod', name: a.targetRef.name ?? '', namespace: a.targetRef.namespace }} uid={a.targetRef.uid} open={open} />}
              {!ok && ` (${t('object.pod.ready')}: ✗)`}
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
