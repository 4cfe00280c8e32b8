// One editing session: the text, its schema, the review (diff against the live object plus a
// server-side dry run), the apply with its conflicts and the API's refusals placed on lines.
import { makeAutoObservable, observableRef, runInAction } from 'mobx';
import { parseAllDocuments } from 'yaml';
import type { KubeObjectRef, ApplyConflict, EditorSchema, WriteOutcome } from '../../shared/rpc/object-contract.js';
import { objectRpc } from '../object/object-rpc.js';
import { editableYaml } from './editable-yaml.js';
import { markersFor, type FieldMarker } from './yaml-paths.js';

export type Phase = 'editing' | 'reviewing' | 'busy' | 'done';

export interface DocResult {
  index: number;
  ok: boolean;
  text: string;
}

function failureText(o: WriteOutcome): string {
  return o.ok ? '' : o.message;
}

export class EditorSession {
  text: string;
  phase: Phase = 'editing';
  /** The live object's text at review time (edit mode), for the diff. */
  live: string | undefined = undefined;
  dryRun: { ok: boolean; message: string } | undefined = undefined;
  result: { ok: boolean; message: string } | undefined = undefined;
  markers: FieldMarker[] = [];
  conflicts: ApplyConflict[] = [];
  docResults: DocResult[] = [];
  schemas: EditorSchema[] = [];
  schemaState: 'loading' | 'ready' | 'none' = 'loading';
  private schemaKeys = '';

  constructor(
    readonly clusterId: string,
    readonly mode: 'edit' | 'create',
    initial: string,
    readonly ref: KubeObjectRef | undefined,
    readonly namespace: string | undefined,
  ) {
    this.text = initial;
    // Schemas are big plain objects handed to a worker: never wrap them in MobX proxies.
    makeAutoObservable<EditorSession, 'schemaKeys'>(this, { clusterId: false, mode: false, ref: false, namespace: false, schemaKeys: false, schemas: observableRef, markers: observableRef, conflicts: observableRef, docResults: observableRef });
    void this.refreshSchemas();
  }

  setText(text: string): void {
    this.text = text;
    if (this.phase === 'done') this.phase = 'editing';
  }

  /** The apiVersion/kind of each document, to fetch their schemas (again when they change). */
  async refreshSchemas(): Promise<void> {
    const kinds: { apiVersion: string; kind: string }[] = [];
    const docs = parseAllDocuments(this.text);
    for (const doc of Array.isArray(docs) ? docs : []) {
      const v: unknown = doc.contents ? doc.toJS() : undefined;
      if (typeof v === 'object' && v !== null && typeof (v as { apiVersion?: unknown }).apiVersion === 'string' && typeof (v as { kind?: unknown }).kind === 'string') {
        kinds.push({ apiVersion: (v as { apiVersion: string }).apiVersion, kind: (v as { kind: string }).kind });
      }
    }
    const keys = kinds.map((k) => `${k.apiVersion}/${k.kind}`).join(',');
    if (keys === this.schemaKeys) return;
    this.schemaKeys = keys;
    runInAction(() => (this.schemaState = 'loading'));
    const schemas = await Promise.all(kinds.map((k) => objectRpc().call('schema.get', { clusterId: this.clusterId, ...k }).catch(() => null)));
    if (keys !== this.schemaKeys) return;
    runInAction(() => {
      this.schemas = schemas.filter((s): s is EditorSchema => s !== null);
      this.schemaState = this.schemas.length > 0 ? 'ready' : 'none';
    });
  }

  private place(outcomes: WriteOutcome[]): void {
    const markers: FieldMarker[] = [];
    outcomes.forEach((o, index) => {
      if (!o.ok) markers.push(...markersFor(this.text, o.conflicts.length > 0 ? o.conflicts.map((c) => ({ field: c.field, message: `managed by ${c.manager}` })) : o.causes, o.message, index));
    });
    this.markers = markers;
  }

  /** Edit: the live object and a dry run side by side. Create: the dry run of every document. */
  async review(): Promise<void> {
    this.phase = 'busy';
    this.result = undefined;
    this.conflicts = [];
    const rpc = objectRpc();
    try {
      if (this.mode === 'edit' && this.ref) {
        const [live, dry] = await Promise.all([
          rpc.call('object.get', { clusterId: this.clusterId, ref: this.ref }),
          rpc.call('object.apply', { clusterId: this.clusterId, yaml: this.text, namespace: this.namespace, dryRun: true }),
        ]);
        runInAction(() => {
          this.live = editableYaml(live, this.ref);
          this.dryRun = { ok: dry.ok, message: failureText(dry) };
          this.conflicts = dry.ok ? [] : dry.conflicts;
          this.place([dry]);
          this.phase = dry.ok || dry.conflicts.length > 0 ? 'reviewing' : 'editing';
        });
      } else {
        const outcomes = await rpc.call('object.create', { clusterId: this.clusterId, yaml: this.text, namespace: this.namespace, dryRun: true });
        runInAction(() => {
          const ok = outcomes.every((o) => o.ok);
          this.docResults = outcomes.map((o, index) => ({ index: index + 1, ok: o.ok, text: o.ok ? `${o.object.kind ?? ''} ${o.object.metadata.name ?? ''}` : o.message }));
          this.dryRun = { ok, message: outcomes.filter((o) => !o.ok).map(failureText).join('; ') };
          this.place(outcomes);
          this.phase = ok ? 'reviewing' : 'editing';
        });
      }
    } catch (error) {
      runInAction(() => {
        this.dryRun = { ok: false, message: error instanceof Error ? error.message : String(error) };
        this.phase = 'editing';
      });
    }
  }

  async apply(force = false): Promise<void> {
    this.phase = 'busy';
    const rpc = objectRpc();
    try {
      if (this.mode === 'edit') {
        const outcome = await rpc.call('object.apply', { clusterId: this.clusterId, yaml: this.text, namespace: this.namespace, force });
        runInAction(() => {
          this.place([outcome]);
          this.conflicts = outcome.ok ? [] : outcome.conflicts;
          this.result = { ok: outcome.ok, message: failureText(outcome) };
          this.phase = outcome.ok ? 'done' : outcome.conflicts.length > 0 ? 'reviewing' : 'editing';
        });
      } else {
        const outcomes = await rpc.call('object.create', { clusterId: this.clusterId, yaml: this.text, namespace: this.namespace });
        runInAction(() => {
          const ok = outcomes.every((o) => o.ok);
          this.docResults = outcomes.map((o, index) => ({ index: index + 1, ok: o.ok, text: o.ok ? `${o.object.kind ?? ''} ${o.object.metadata.name ?? ''} ${o.created ? 'created' : 'configured'}` : o.message }));
          this.place(outcomes);
          this.result = { ok, message: outcomes.filter((o) => !o.ok).map(failureText).join('; ') };
          this.phase = ok ? 'done' : 'editing';
        });
      }
    } catch (error) {
      runInAction(() => {
        this.result = { ok: false, message: error instanceof Error ? error.message : String(error) };
        this.phase = 'editing';
      });
    }
  }

  backToEditing(): void {
    this.phase = 'editing';
  }
}
