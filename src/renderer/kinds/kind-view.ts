// What a resource kind contributes to the UI: its columns as kubectl prints them. One small file
// per kind registers one of these; CRDs get one built from their printer columns (generic.ts).
import type { KubeObject } from '../../shared/kube.js';
import type { MessageKey } from '../i18n.js';

export type SortKey = string | number;

export interface Column {
  /** kubectl's header, kept in English in both languages as kubectl prints it. */
  header: string;
  value(obj: KubeObject, now: number): string;
  /** Depends on the clock (ages): computed when drawn, for the rows in view only. */
  live?: boolean;
  /** What sorting compares; the cell's text when absent. Numbers sort as numbers. */
  sortKey?(obj: KubeObject): SortKey;
  /** Optional colour class for the cell (status words). */
  tone?(value: string): string | undefined;
}

export type Category = 'workloads' | 'network' | 'config' | 'storage' | 'cluster' | 'access' | 'custom';

export interface KindView {
  /** What the sidebar, tables and tests name it by: the plural (`deployments`), or `<plural>.<group>` for CRDs. */
  name: string;
  group: string;
  resource: string;
  /** The sidebar's label: a translated key for built-in kinds, the CRD's kind otherwise. */
  title: MessageKey | { text: string };
  category: Category;
  namespaced: boolean;
  columns: Column[];
  /** The column sorted on until the user picks one (-1, the default: namespace then name). */
  defaultSort?: number;
}

/** The id a watch asks the core for (a ResourceType id). */
export function watchId(view: Pick<KindView, 'group' | 'resource'>): string {
  return view.group ? `${view.resource}.${view.group}` : view.resource;
}
