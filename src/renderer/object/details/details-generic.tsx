// What every object has: metadata, labels, annotations, owners, status conditions. Kinds without
// a view of their own (CRDs included) show only this.
import type { KubeObject } from '../../../shared/kube.js';
import { i18n } from '../../i18n.js';
import { Chips, Conditions, Fields, Section, type Condition } from '../detail-parts.js';
import { OwnerLinks, type OpenObject } from '../object-links.js';

export function GenericDetails({ obj, kind, open, conditions = true }: { obj: KubeObject; kind: string; open: OpenObject; conditions?: boolean }) {
  const { t } = i18n;
  const m = obj.metadata;
  const status = obj.status as { conditions?: Condition[] } | undefined;
  return (
    <>
      <Section title={t('object.metadata')}>
        <Fields
          rows={[
            [t('object.kind'), kind],
            [t('object.name'), m.name],
            [t('object.namespace'), m.namespace],
            [t('object.created'), m.creationTimestamp],
            [t('object.uid'), m.uid],
            [t('object.owners'), m.ownerReferences?.length ? <OwnerLinks obj={obj} open={open} /> : undefined],
            [t('object.labels'), <Chips key="l" map={m.labels} />],
          ]}
        />
        {m.annotations && Object.keys(m.annotations).length > 0 && (
          <details className="annotations">
            <summary>
              {t('object.annotations')} ({Object.keys(m.annotations).length})
            </summary>
            <Fields rows={Object.entries(m.annotations).map(([k, v]) => [k, <code key={k}>{v}</code>])} />
          </details>
        )}
      </Section>
      {conditions && <Conditions conditions={Array.isArray(status?.conditions) ? status.conditions : undefined} />}
    </>
  );
}
