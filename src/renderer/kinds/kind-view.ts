// What a resource kind contributes to the UI: its columns as kubectl prints them. One small file
// per kind registers one of these.
import type { KubeObject } from '../../shared/kube.js';
import type { WatchableKind } from '../../shared/rpc/contract.js';
import type { MessageKey } from '../i18n.js';

export interface Column {
  /** kubectl's header, kept in English in both languages as kubectl prints it. */
  header: string;
  value(obj: KubeObject, now: number): string;
  /** Optional colour class for the cell (status words). */
  tone?(value: string): string | undefined;
}

export interface KindView {
  kind: WatchableKind;
  title: MessageKey;
  namespaced: boolean;
  columns: Column[];
}
