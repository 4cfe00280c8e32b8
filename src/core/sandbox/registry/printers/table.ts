// meta.k8s.io/v1 Table responses (`kubectl get` asks for application/json;as=Table;v=v1;g=meta.k8s.io),
// shaped exactly as kube-apiserver serializes them.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../../apiserver/errors.js';
import type { TableColumnDefinition, TablePrinter } from '../types.js';
import { DOC, type DocKey } from './descriptions.js';
import { since } from './duration.js';

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** A printer that may also mark rows (pods that completed carry a "Completed" condition). */
export interface RowPrinter extends TablePrinter {
  rowConditions?(obj: KubeObject): TableRowCondition[] | undefined;
  /** The order rows of a list come in, when upstream sorts them (flow schemas). */
  order?(objects: KubeObject[]): KubeObject[];
}

export type ColumnType = TableColumnDefinition['type'];

export function column(name: string, type: ColumnType, description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

/** A column whose description is an API field's doc comment. */
export function docColumn(name: string, type: ColumnType, doc: DocKey, priority = 0): TableColumnDefinition {
  return column(name, type, DOC[doc], priority);
}

export const NAME_COLUMN = column('Name', 'string', DOC['ObjectMeta.name'], 0, 'name');
export const AGE_COLUMN = column('Age', 'string', DOC['ObjectMeta.creationTimestamp']);
export const CONTAINERS_COLUMN = column('Containers', 'string', 'Names of each container in the template.', 1);
export const IMAGES_COLUMN = column('Images', 'string', 'Images referenced by each container in the template.', 1);

export function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

export function ageOf(obj: KubeObject, now: Date): string {
  return since(obj.metadata?.creationTimestamp, now);
}

/** creationTimestamp as RFC3339 in UTC, as the default table convertor prints "Created At". */
export function createdAt(obj: KubeObject): string {
  const ts = obj.metadata?.creationTimestamp;
  const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
  // Go's zero time formats as 0001-01-01T00:00:00Z.
  return Number.isNaN(t) ? '0001-01-01T00:00:00Z' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * What kube-apiserver serves for kinds without a dedicated printer (roles, limitranges, CRDs...):
 * rest.NewDefaultTableConvertor, "Name" and "Created At".
 */
export const defaultPrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Created At', 'date', DOC['ObjectMeta.creationTimestamp'])],
  cells: (obj) => [nameOf(obj), createdAt(obj)],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The includeObject query parameter; kube-apiserver answers 400 to anything else. */
export function parseIncludeObject(value: string | null | undefined): IncludeObject {
  if (value === null || value === undefined || value === '' || value === 'Metadata') return 'Metadata';
  if (value === 'None' || value === 'Object') return value;
  throw ApiError.badRequest(`unrecognized includeObject value: "${value}"`);
}

export interface TableOptions {
  now: Date;
  /** The request's includeObject; kube-apiserver defaults to Metadata. */
  includeObject?: IncludeObject;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** TableOptions.noHeaders: leave out columnDefinitions (watch events after the first). */
  noHeaders?: boolean;
  /** The Table version the client asked for (v=v1 or v=v1beta1 in its Accept header). */
  version?: 'v1' | 'v1beta1';
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

function rowObject(obj: KubeObject, include: IncludeObject, apiVersion: Table['apiVersion']): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata };
}

export function toTable(printer: TablePrinter | RowPrinter, objects: KubeObject[], options: TableOptions): Table {
  const include = options.includeObject ?? 'Metadata';
  const apiVersion: Table['apiVersion'] = options.version === 'v1beta1' ? 'meta.k8s.io/v1beta1' : 'meta.k8s.io/v1';
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  const ordered = 'order' in printer && printer.order ? printer.order(objects) : objects;
  const rows = ordered.map((obj) => {
    const row: TableRow = { cells: printer.cells(obj, options.now) };
    const conditions = 'rowConditions' in printer ? printer.rowConditions?.(obj) : undefined;
    if (conditions && conditions.length > 0) row.conditions = conditions;
    const object = rowObject(obj, include, apiVersion);
    if (object !== undefined) row.object = object;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion,
    metadata,
    columnDefinitions: options.noHeaders ? null : printer.columns,
    rows,
  };
}

/** Lay out all the containers on one line, as the wide columns show them. */
export function containerCells(containers: readonly { name?: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** Go's fmt of *bool through printBoolPtr. */
export function boolPtr(value: boolean | undefined): string {
  if (value === undefined) return '<unset>';
  return value ? 'True' : 'False';
}

/** Integer cells are int64 in Go: never fractional, 0 when unset. */
export function int(value: number | undefined): number {
  return typeof value === 'number' ? Math.trunc(value) : 0;
}
