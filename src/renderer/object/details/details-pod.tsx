// A pod: its containers with state, restarts, image and ports; node, IPs, QoS, volumes.
// eslint-disable-next-line no-restricted-imports -- Kubernetes' core API group's types, not our src/core layer
import type { Container, ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import { i18n } from '../../i18n.js';
import { Fields, Section } from '../detail-parts.js';
import { ObjectLink, type OpenObject } from '../object-links.js';

function stateOf(s: ContainerStatus | undefined): { text: string; tone: string } {
  if (!s?.state) return { text: 'Waiting', tone: 'warn' };
  if (s.state.running) return { text: `Running since ${s.state.running.startedAt ?? ''}`, tone: 'ok' };
  if (s.state.waiting) return { text: `Waiting: ${s.state.waiting.reason ?? ''} ${s.state.waiting.message ?? ''}`.trim(), tone: 'warn' };
  const term = s.state.terminated;
  return { text: `Terminated: ${term?.reason ?? ''} (exit ${term?.exitCode ?? '?'})`, tone: term?.exitCode === 0 ? 'muted' : 'bad' };
}

function ContainerTable({ containers, statuses }: { containers: Container[]; statuses: ContainerStatus[] }) {
  const { t } = i18n;
  return (
    <table className="mini" data-table="containers">
      <thead>
        <tr>
          <th>{t('object.name')}</th>
          <th>{t('object.pod.image')}</th>
          <th>{t('object.pod.state')}</th>
          <th>{t('object.pod.ready')}</th>
          <th>{t('object.pod.restarts')}</th>
          <th>{t('object.pod.ports')}</th>
        </tr>
      </thead>
      <tbody>
        {containers.map((c) => {
          const s = statuses.find((x) => x.name === c.name);
          const state = stateOf(s);
          return (
            <tr key={c.name} data-container={c.name}>
              <td>{c.name}</td>
              <td className="wrap">{c.image}</td>
              <td className={state.tone}>{state.text}</td>
              <td>{s?.ready ? '✓' : '✗'}</td>
              <td>{s?.restartCount ?? 0}</td>
              <td>{(c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function PodDetails({ obj, open }: { obj: KubeObject; open: OpenObject }) {
  const { t } = i18n;
  const pod = obj as unknown as Pod;
  const spec = pod.spec;
  const status = pod.status;
  return (
    <>
      <Section title={t('object.status')}>
        <Fields
          rows={[
            [t('object.status'), status?.phase],
            [t('object.pod.node'), spec?.nodeName ? <ObjectLink refTo={{ apiVersion: 'v1', kind: 'Node', name: spec.nodeName }} open={open} /> : undefined],
            [t('object.pod.podIP'), status?.podIPs?.map((p) => p.ip).join(', ') || status?.podIP],
            [t('object.pod.hostIP'), status?.hostIP],
            [t('object.pod.qos'), status?.qosClass],
          ]}
        />
      </Section>
      {spec?.initContainers && spec.initContainers.length > 0 && (
        <Section title={t('object.pod.initContainers')}>
          <ContainerTable containers={spec.initContainers} statuses={status?.initContainerStatuses ?? []} />
        </Section>
      )}
      <Section title={t('object.pod.containers')}>
        <ContainerTable containers={spec?.containers ?? []} statuses={status?.containerStatuses ?? []} />
      </Section>
      {spec?.volumes && spec.volumes.length > 0 && (
        <Section title={t('object.pod.volumes')}>
          <Fields
            rows={spec.volumes.map((v) => {
              const { name, ...source } = v;
              const kind = Object.keys(source)[0] ?? '';
              const claim = v.persistentVolumeClaim?.claimName;
              return [name, claim ? <ObjectLink key={name} refTo={{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim, namespace: obj.metadata.namespace }} open={open} /> : kind];
            })}
          />
        </Section>
      )}
    </>
  );
}
