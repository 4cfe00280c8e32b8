// React wrappers around Monaco: a YAML editor bound to an EditorSession (schema, API markers) and a
// read-only diff. Monaco loads on first mount; until then a line says so.
import { autorun } from 'mobx';
import { observer } from 'mobx-react-lite';
import { useEffect, useRef, useState } from 'react';
import type { JSONSchema } from 'monaco-yaml';
import type { EditorSchema } from '../../shared/rpc/object-contract.js';
import { i18n } from '../i18n.js';
import type { EditorSession } from './editor-session.js';

type MonacoModule = typeof import('./monaco-env.js');

let loading: Promise<MonacoModule> | undefined;
async function loadMonaco(): Promise<MonacoModule> {
  // A failed load (the app rebuilt under the page, a slow disk) is retried a few times, then again
  // on the next mount.
  loading ??= (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await import('./monaco-env.js');
      } catch (error) {
        if (attempt >= 5) {
          loading = undefined;
          throw error;
        }
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  })();
  return loading;
}

let nextModel = 1;

/** One schema per document: a multi-document text validates each against its own kind. */
export function combinedSchema(schemas: EditorSchema[]): JSONSchema | null {
  if (schemas.length === 0) return null;
  if (schemas.length === 1) return schemas[0].schema as JSONSchema;
  const definitions: Record<string, JSONSchema> = {};
  const sequence: JSONSchema[] = [];
  for (const { schema } of schemas) {
    const { definitions: defs, ...root } = schema as JSONSchema;
    Object.assign(definitions, defs);
    sequence.push(root);
  }
  return { definitions, schemaSequence: sequence };
}

export const YamlMonaco = observer(function YamlMonaco({ session }: { session: EditorSession }) {
  const host = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<string | undefined>();
  useEffect(() => {
    let disposed = false;
    const cleanups: (() => void)[] = [];
    void loadMonaco().then(({ monaco, setModelSchema }) => {
      if (disposed || !host.current) return;
      const uri = `file:///kubedesk/${session.mode}-${nextModel++}.yaml`;
      const model = monaco.editor.createModel(session.text, 'yaml', monaco.Uri.parse(uri));
      const editor = monaco.editor.create(host.current, { model, automaticLayout: true, minimap: { enabled: false }, fontSize: 12, scrollBeyondLastLine: false, tabSize: 2, theme: 'vs' });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const sub = model.onDidChangeContent(() => {
        session.setText(model.getValue());
        clearTimeout(timer);
        timer = setTimeout(() => void session.refreshSchemas(), 600);
      });
      // The session's text changes from outside too (a template picked).
      const stopText = autorun(() => {
        if (session.text !== model.getValue()) model.setValue(session.text);
      });
      const stopSchema = autorun(() => setModelSchema(uri, combinedSchema(session.schemas)));
      const stopMarkers = autorun(() => {
        monaco.editor.setModelMarkers(
          model,
          'kubedesk-api',
          session.markers.map((m) => ({ severity: monaco.MarkerSeverity.Error, message: m.message, startLineNumber: m.startLine, startColumn: m.startColumn, endLineNumber: m.endLine, endColumn: m.endColumn })),
        );
        const first = session.markers[0];
        if (first) editor.revealLineInCenterIfOutsideViewport(first.startLine);
      });
      cleanups.push(() => {
        clearTimeout(timer);
        stopText();
        stopSchema();
        stopMarkers();
        sub.dispose();
        setModelSchema(uri, null);
        editor.dispose();
        model.dispose();
      });
      setReady(true);
    }, (error: unknown) => !disposed && setFailed(error instanceof Error ? error.message : String(error)));
    return () => {
      disposed = true;
      for (const c of cleanups) c();
    };
  }, [session]);
  return (
    <div className="monaco-host" data-editor="yaml" data-ready={ready ? 'true' : 'false'}>
      {!ready && !failed && <p className="muted">{i18n.t('editor.loading')}</p>}
      {failed && <p className="banner bad">{i18n.t('editor.loadFailed', { error: failed })}</p>}
      <div ref={host} className="monaco-surface" />
    </div>
  );
});

export function DiffMonaco({ original, modified }: { original: string; modified: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let disposed = false;
    let cleanup: (() => void) | undefined;
    void loadMonaco().then(({ monaco }) => {
      if (disposed || !host.current) return;
      const a = monaco.editor.createModel(original, 'yaml');
      const b = monaco.editor.createModel(modified, 'yaml');
      const diff = monaco.editor.createDiffEditor(host.current, { readOnly: true, automaticLayout: true, renderSideBySide: false, minimap: { enabled: false }, fontSize: 12, scrollBeyondLastLine: false, theme: 'vs' });
      diff.setModel({ original: a, modified: b });
      cleanup = () => {
        diff.dispose();
        a.dispose();
        b.dispose();
      };
      setReady(true);
    });
    return () => {
      disposed = true;
      cleanup?.();
    };
  }, [original, modified]);
  return (
    <div className="monaco-host" data-editor="diff" data-ready={ready ? 'true' : 'false'}>
      {!ready && <p className="muted">{i18n.t('editor.loading')}</p>}
      <div ref={host} className="monaco-surface" />
    </div>
  );
}
