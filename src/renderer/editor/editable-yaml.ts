// The text an object is edited as: what `kubectl get -o yaml` shows minus managedFields (noise to
// a reader) and status (the server owns it; apply never sends it), with apiVersion/kind first.
import { stringify } from 'yaml';
import type { KubeObject } from '../../shared/kube.js';

export function editableYaml(obj: KubeObject, type?: { apiVersion: string; kind: string }): string {
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  const { status: _status, apiVersion, kind, metadata: _m, ...rest } = obj;
  const head = { apiVersion: apiVersion ?? type?.apiVersion, kind: kind ?? type?.kind, metadata };
  return stringify({ ...head, ...rest }, { lineWidth: 0 });
}

/** The full object for reading (the YAML tab): only managedFields hidden, as kubectl does. */
export function readableYaml(obj: KubeObject): string {
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  return stringify({ ...obj, metadata }, { lineWidth: 0 });
}
