// ConfigMaps and Secrets: key syntax, 1 MiB size limit, `immutable`, Secret types and their required
// keys, and stringData folded into base64 data as the Secret strategy does on create and update.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy } from '../types.js';
import { forbidden, immutable, invalid, invalidEach, key, required, tooLong, type Cause } from './field.js';
import { base64Error, decodeError } from './decode.js';
import { isConfigMapKey } from './names.js';
import { isObj, str, type Obj } from './util.js';

export const MAX_CONFIG_SIZE = 1024 * 1024;

function dataOf(obj: KubeObject, field: string): Obj {
  const value = obj[field];
  return isObj(value) ? value : {};
}

function validateConfigMap(obj: KubeObject): Cause[] {
  const causes: Cause[] = [];
  let size = 0;
  const data = dataOf(obj, 'data');
  const binary = dataOf(obj, 'binaryData');
  for (const [k, v] of Object.entries(data)) {
    causes.push(...invalidEach(key('data', k), k, isConfigMapKey(k)));
    if (typeof v === 'string') size += Buffer.byteLength(v);
  }
  for (const [k, v] of Object.entries(binary)) {
    causes.push(...invalidEach(key('binaryData', k), k, isConfigMapKey(k)));
    if (k in data) causes.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    if (typeof v === 'string') size += Buffer.from(v, 'base64').length;
  }
  if (size > MAX_CONFIG_SIZE) causes.push(tooLong('', MAX_CONFIG_SIZE));
  return causes;
}

/** Shared `immutable` rules (ValidateConfigMapUpdate / ValidateSecretUpdate). */
function validateImmutable(obj: KubeObject, old: KubeObject, dataFields: string[]): Cause[] {
  if (old.immutable !== true) return [];
  const causes: Cause[] = [];
  if (obj.immutable !== true) causes.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of dataFields) {
    if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {})) causes.push(forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return causes;
}

export const configMapStrategy: Strategy = {
  tracksGeneration: false,
  validate: validateConfigMap,
  validateUpdate(obj, old) {
    return [...validateImmutable(obj, old, ['data', 'binaryData']), ...validateConfigMap(obj)];
  },
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Index of the first byte Go's base64 decoder rejects, or -1 when the string is valid. */
export function base64ErrorOffset(value: string): number {
  if (BASE64.test(value)) return -1;
  for (let i = 0; i < value.length; i++) if (!/[A-Za-z0-9+/=]/.test(value[i])) return i;
  const pad = value.indexOf('=');
  if (pad >= 0 && pad < value.length - 2) return pad;
  return value.length - (value.length % 4 || 4);
}

/** Go's json.Unmarshal error for the common cases (empty input, a bad first character). */
function goJSONError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    const trimmed = text.trimStart();
    if (trimmed === '') return 'unexpected end of JSON input';
    return `invalid character '${trimmed[0]}' looking for beginning of value`;
  }
}

/** ValidateSecret: keys, size, and the keys each Secret type requires. */
function validateSecret(obj: KubeObject): Cause[] {
  const causes: Cause[] = [];
  const data = dataOf(obj, 'data');
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    causes.push(...invalidEach(key('data', k), k, isConfigMapKey(k)));
    if (typeof v === 'string' && base64ErrorOffset(v) < 0) size += Buffer.from(v, 'base64').length;
  }
  if (size > MAX_CONFIG_SIZE) causes.push(tooLong('data', MAX_CONFIG_SIZE));
  const decoded = (k: string) => (typeof data[k] === 'string' ? Buffer.from(data[k] as string, 'base64').toString('utf8') : '');
  switch (str(obj, 'type') ?? 'Opaque') {
    case 'kubernetes.io/service-account-token': {
      const annotations = obj.metadata.annotations ?? {};
      if (!annotations['kubernetes.io/service-account.name']) causes.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name'), ''));
      break;
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const k = obj.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!(k in data)) {
        causes.push(required(key('data', k), ''));
        break;
      }
      const error = goJSONError(decoded(k));
      if (error) causes.push(invalid(key('data', k), '<secret contents redacted>', error));
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) {
        causes.push(required(key('data', 'username'), ''), required(key('data', 'password'), ''));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decoded('ssh-privatekey')) causes.push(required(key('data', 'ssh-privatekey'), ''));
      break;
    case 'kubernetes.io/tls':
      if (!('tls.crt' in data)) causes.push(required(key('data', 'tls.crt'), ''));
      if (!('tls.key' in data)) causes.push(required(key('data', 'tls.key'), ''));
      break;
  }
  return causes;
}

/** stringData wins over data for the same key, then disappears, as the Secret strategy does. */
function foldStringData(obj: KubeObject): void {
  const stringData = obj.stringData;
  if (!isObj(stringData)) {
    delete obj.stringData;
    return;
  }
  const data = { ...dataOf(obj, 'data') };
  for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
  obj.data = data;
  delete obj.stringData;
}

export const secretStrategy: Strategy = {
  tracksGeneration: false,
  selectableFields(obj) {
    return { type: str(obj, 'type') ?? '' };
  },
  applyDefaults(obj) {
    for (const v of Object.values(dataOf(obj, 'data'))) {
      const error = typeof v === 'string' ? base64Error(v) : 'illegal base64 data at input byte 0';
      if (error) throw decodeError(obj, 'Secret', error);
    }
    if (obj.type === undefined || obj.type === '') obj.type = 'Opaque';
    foldStringData(obj);
  },
  validate: validateSecret,
  validateUpdate(obj, old) {
    const causes: Cause[] = [];
    if ((obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) causes.push(immutable('type', obj.type ?? ''));
    causes.push(...validateImmutable(obj, old, ['data']));
    causes.push(...validateSecret(obj));
    return causes;
  },
};
