// The table of any type the built-in views do not cover, from discovery: a CRD's
// additionalPrinterColumns (priority 0, as `kubectl get` without -o wide), else NAME and AGE.
import type { KubeObject } from '../../shared/kube.js';
import type { PrinterColumn, ResourceType } from '../../shared/rpc/resources-contract.js';
import type { Column, KindView } from './kind-view.js';
import { ageColumn, humanDuration, nameColumn } from './format.js';
import { jsonPath } from './json-path.js';

function printerColumn(c: PrinterColumn): Column {
  const values = (o: KubeObject) => jsonPath(o, c.jsonPath);
  const text = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  if (c.type === 'date') {
    // kubectl prints date columns as ages.
    const at = (o: KubeObject) => Date.parse(String(values(o)[0] ?? '')) || 0;
    return { header: c.name.toUpperCase(), live: true, value: (o, now) => (at(o) ? humanDuration(now - at(o)) : '<unknown>'), sortKey: (o) => -at(o) };
  }
  const numeric = c.type === 'integer' || c.type === 'number';
  return {
    header: c.name.toUpperCase(),
    value: (o) => values(o).map(text).join(','),
    ...(numeric ? { sortKey: (o: KubeObject) => Number(values(o)[0] ?? Number.NEGATIVE_INFINITY) } : {}),
  };
}

export function genericView(type: ResourceType): KindView {
  const printer = (type.crd?.printerColumns ?? []).filter((c) => !c.priority);
  return {
    name: type.id,
    group: type.group,
    resource: type.resource,
    title: { text: type.kind },
    category: 'custom',
    namespaced: type.namespaced,
    columns: printer.length ? [nameColumn, ...printer.map(printerColumn)] : [nameColumn, ageColumn],
  };
}
