// Narrowing helpers over untyped JSON objects, and the status-handling pieces most strategies share.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy } from '../types.js';

export { isObj, child, peek, arr, objs, str, num, bool, stringMap, type Obj } from '../../../../shared/json.js';
import { child, type Obj } from '../../../../shared/json.js';
import { cloneJson } from '../../store/json-clone.js';

/** Set `obj[key] = value` only when absent (null counts as absent, as for Go pointers). */
export function def(obj: Obj, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Like def, but also replaces "" (Go's zero value for strings). */
export function defStr(obj: Obj, key: string, value: string): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') obj[key] = value;
}

export function spec(obj: KubeObject): Obj {
  return child(obj as Obj, 'spec');
}

function clone<T>(value: T): T {
  return value === undefined ? value : cloneJson(value);
}

/**
 * The usual status handling for kinds with a status subresource: create resets status, a main
 * update keeps the old status, a status update changes only status.
 */
export function statusSubresource(initialStatus: () => Obj | undefined = () => undefined): Pick<Strategy, 'prepareForCreate' | 'prepareForUpdate' | 'prepareForStatusUpdate'> {
  return {
    prepareForCreate(obj) {
      const status = initialStatus();
      if (status === undefined) delete obj.status;
      else obj.status = status;
    },
    prepareForUpdate(obj, old) {
      if (old.status === undefined) delete obj.status;
      else obj.status = clone(old.status);
    },
    prepareForStatusUpdate(obj, old) {
      old.status = clone(obj.status);
    },
  };
}
