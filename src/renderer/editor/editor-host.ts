// The one editing session on screen. Anything may open one (the panel's Edit, the toolbar's
// Create, the command palette); the dialog shows whichever is current.
import { makeAutoObservable, observableRef } from 'mobx';
import type { KubeObject } from '../../shared/kube.js';
import type { KubeObjectRef } from '../../shared/rpc/object-contract.js';
import { editableYaml } from './editable-yaml.js';
import { EditorSession } from './editor-session.js';

class EditorHost {
  session: EditorSession | undefined = undefined;
  constructor() {
    makeAutoObservable(this, { session: observableRef }, { autoBind: true });
  }
  edit(clusterId: string, ref: KubeObjectRef, obj: KubeObject): void {
    this.session = new EditorSession(clusterId, 'edit', editableYaml(obj, ref), ref, ref.namespace);
  }
  create(clusterId: string, namespace: string | undefined, text = ''): void {
    this.session = new EditorSession(clusterId, 'create', text, undefined, namespace);
  }
  close(): void {
    this.session = undefined;
  }
}

export const editorHost = new EditorHost();
