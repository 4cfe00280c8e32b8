// Actions on the selected pod or deployment: a shell in a container, its logs, a port-forward.
import { observer } from 'mobx-react-lite';
import { useState } from 'react';
import type { KubeObject } from '../../shared/kube.js';
import type { ShellStore } from './shell-store.js';
import { i18n } from '../i18n.js';

interface PodSpecShape {
  containers?: { name: string; ports?: { containerPort: number }[] }[];
  initContainers?: { name: string }[];
}

export const PodActions = observer(function PodActions({ shell, clusterId, kind, object }: { shell: ShellStore; clusterId: string; kind: string; object: KubeObject }) {
  const [container, setContainer] = useState('');
  const { t } = i18n;
  const ns = object.metadata.namespace ?? 'default';
  const name = object.metadata.name ?? '';
  if (kind === 'deployments') {
    const labels = (object as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels ?? {};
    const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    return (
      <div className="pod-actions">
        <button type="button" data-action="logs" onClick={() => void shell.openLogs(clusterId, { namespace: ns, selector, follow: true, tailLines: 200 }, `deploy/${name}`)}>
          {t('pod.logs')}
        </button>
      </div>
    );
  }
  if (kind === 'nodes') {
    return (
      <div className="pod-actions">
        <button type="button" data-action="node-shell" disabled={shell.pending !== undefined} onClick={() => void shell.openNodeShell(clusterId, name)}>
          {t('pod.nodeShell')}
        </button>
      </div>
    );
  }
  if (kind !== 'pods') return null;
  const spec = (object as { spec?: PodSpecShape }).spec ?? {};
  const containers = (spec.containers ?? []).map((c) => c.name);
  const inits = (spec.initContainers ?? []).map((c) => c.name);
  const chosen = container || containers[0] || '';
  const port = spec.containers?.flatMap((c) => c.ports ?? [])[0]?.containerPort;
  const node = (object as { spec?: { nodeName?: string } }).spec?.nodeName;
  return (
    <div className="pod-actions">
      <select aria-label={t('pod.container')} value={chosen} onChange={(e) => setContainer(e.target.value)}>
        {containers.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
        {inits.map((c) => (
          <option key={c} value={c}>
            {t('pod.init', { name: c })}
          </option>
        ))}
      </select>
      <button type="button" data-action="shell" onClick={() => void shell.openPodShell(clusterId, ns, name, chosen)}>
        {t('pod.shell')}
      </button>
      <button type="button" data-action="attach" title={t('pod.attachHint')} onClick={() => void shell.attachContainer(clusterId, ns, name, chosen)}>
        {t('pod.attach')}
      </button>
      <button type="button" data-action="logs" onClick={() => void shell.openLogs(clusterId, { namespace: ns, pods: [name], container: chosen, includeInitContainers: true, follow: true, tailLines: 200 }, `${name}/${chosen}`)}>
        {t('pod.logs')}
      </button>
      {node && (
        <button type="button" data-action="node-shell" title={t('pod.nodeShellHint', { node })} disabled={shell.pending !== undefined} onClick={() => void shell.openNodeShell(clusterId, node)}>
          {t('pod.nodeShell')}
        </button>
      )}
      {port !== undefined && (
        <button
          type="button"
          data-action="port-forward"
          onClick={() =>
            void shell.startForward(clusterId, ns, 'pod', name, port).then((f) => {
              if (f) window.open(f.url, '_blank', 'noopener');
            })
          }
        >
          {t('pod.forward', { port })}
        </button>
      )}
    </div>
  );
});
