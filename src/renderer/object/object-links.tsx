// Links between objects (owners, owned, pods of a node...), by uid: a click opens the object in the
// panel, in its table when the table watches that kind.
import type { KubeObject, OwnerReference } from '../../shared/kube.js';
import type { KubeObjectRef } from '../../shared/rpc/object-contract.js';

export type OpenObject = (ref: KubeObjectRef, uid: string | undefined) => void;

export function ObjectLink({ refTo, uid, open, label }: { refTo: KubeObjectRef; uid?: string; open: OpenObject; label?: string }) {
  return (
    <button type="button" className="link" data-link-kind={refTo.kind} data-link-name={refTo.name} data-link-uid={uid} onClick={() => open(refTo, uid)}>
      {label ?? `${refTo.kind}/${refTo.name}`}
    </button>
  );
}

export function OwnerLinks({ obj, open }: { obj: KubeObject; open: OpenObject }) {
  const owners: OwnerReference[] = obj.metadata.ownerReferences ?? [];
  if (owners.length === 0) return null;
  return (
    <>
      {owners.map((o) => (
        <ObjectLink key={o.uid} refTo={{ apiVersion: o.apiVersion, kind: o.kind, name: o.name, namespace: obj.metadata.namespace }} uid={o.uid} open={open} />
      ))}
    </>
  );
}

/** Objects of a list that name `owner` as an owner, by uid. */
export function ownedBy<T extends KubeObject>(items: T[], owner: KubeObject): T[] {
  const uid = owner.metadata.uid;
  return uid ? items.filter((i) => i.metadata.ownerReferences?.some((r) => r.uid === uid)) : [];
}

export function selectorString(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
