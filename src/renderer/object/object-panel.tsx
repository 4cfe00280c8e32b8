// The object panel beside the tables (Headlamp style): tabs Details | YAML | Events and the
// object's actions. It shows the table's selected object (live through the table's watch) or an
// object reached by a link (owner, replica set, node...), fetched on demand.
import { observer } from 'mobx-react-lite';
import { useEffect, useState } from 'react';
import type { KubeObject } from '../../shared/kube.js';
import type { KubeObjectRef } from '../../shared/rpc/object-contract.js';
import type { AppStore } from '../app-store.js';
import { readableYaml } from '../editor/editable-yaml.js';
import { i18n } from '../i18n.js';
import { watchId } from '../kinds/kind-view.js';
import { KindDetails } from './details/index.js';
import { ObjectActionsBar } from './object-actions-bar.js';
import { ObjectEvents } from './object-events.js';
import type { OpenObject } from './object-links.js';
import { refOf, typeIdOf, typeOf, typeOfSync } from './object-ref.js';
import { objectRpc } from './object-rpc.js';
import './object-panel.css';

type Tab = 'details' | 'yaml' | 'events';

interface Shown {
  ref: KubeObjectRef;
  obj: KubeObject;
}

export const ObjectPanel = observer(function ObjectPanel({ store }: { store: AppStore }) {
  const { t } = i18n;
  const [tab, setTab] = useState<Tab>('details');
  const [pinned, setPinned] = useState<Shown | undefined>();
  const [refreshKey, setRefreshKey] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const [resolved, setResolved] = useState<{ apiVersion: string; kind: string } | undefined>();
  const clusterId = store.cluster?.id;
  const selected = store.selected;
  // The table's type id as the core names it: "pods", "deployments.apps", "widgets.example.com".
  const typeId = watchId(store.currentView);

  // A new selection in the table replaces whatever a link had opened.
  useEffect(() => {
    setPinned(undefined);
    setError(undefined);
  }, [store.selectedUid, clusterId]);

  // Types the panel does not know by name (CRDs) come from discovery.
  const known = selected ? typeOfSync(typeId, selected) : undefined;
  useEffect(() => {
    setResolved(undefined);
    if (selected && !known && clusterId) void typeOf(clusterId, typeId).then(setResolved, () => undefined);
   // Re-resolve only when the table's type changes.
  }, [clusterId, typeId, !!known]);

  if (!clusterId) return null;
  const selectedType = known ?? resolved;
  const shown: Shown | undefined = pinned ?? (selected && selectedType ? { ref: refOf(selected, selectedType), obj: selected } : undefined);
  if (!shown && !error) return null;

  const open: OpenObject = (ref, uid) => {
    // A kind with a table opens there (selected by uid); anything else opens here.
    const id = typeIdOf(ref.apiVersion, ref.kind);
    const view = store.views.find((v) => watchId(v) === id);
    if (uid && view) {
      store.openObject(view.name, ref.namespace ?? '', uid);
      return;
    }
    setError(undefined);
    objectRpc()
      .call('object.get', { clusterId, ref })
      .then(
        (obj) => setPinned({ ref, obj }),
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
  };

  const refresh = (): void => {
    setRefreshKey((k) => k + 1);
    if (pinned)
      objectRpc()
        .call('object.get', { clusterId, ref: pinned.ref })
        .then(
          (obj) => setPinned({ ref: pinned.ref, obj }),
          () => setPinned(undefined),
        );
  };

  const title = shown ? `${shown.ref.kind} · ${shown.obj.metadata.namespace ? `${shown.obj.metadata.namespace}/` : ''}${shown.obj.metadata.name}` : '';
  return (
    <aside className="object-panel" aria-label={t('yaml.title')} data-object-kind={shown?.ref.kind} data-object-name={shown?.obj.metadata.name}>
      <header>
        <h3 title={title}>{title}</h3>
        {pinned && selected && (
          <button type="button" onClick={() => setPinned(undefined)} data-action="back">
            {t('object.back')}
          </button>
        )}
        <button type="button" onClick={refresh} data-action="refresh" title={t('object.refresh')}>
          ⟳
        </button>
        <button
          type="button"
          onClick={() => {
            setPinned(undefined);
            store.select(undefined);
          }}
          data-action="close-panel"
        >
          {t('yaml.close')}
        </button>
      </header>
      {error && <p className="banner bad">{error}</p>}
      {shown && (
        <>
          <ObjectActionsBar key={shown.obj.metadata.uid} clusterId={clusterId} refTo={shown.ref} obj={shown.obj} onDone={refresh} />
          <nav className="tabs" role="tablist">
            {(['details', 'yaml', 'events'] as const).map((x) => (
              <button key={x} type="button" role="tab" aria-selected={tab === x} className={tab === x ? 'tab active' : 'tab'} onClick={() => setTab(x)} data-tab={x}>
                {t(`object.tab.${x}`)}
              </button>
            ))}
          </nav>
          <div className="tab-body">
            {tab === 'details' && <KindDetails clusterId={clusterId} kind={shown.ref.kind} obj={shown.obj} open={open} />}
            {tab === 'yaml' && <pre className="yaml-text">{readableYaml(shown.obj)}</pre>}
            {tab === 'events' && <ObjectEvents clusterId={clusterId} obj={shown.obj} refreshKey={refreshKey} />}
          </div>
        </>
      )}
    </aside>
  );
});
