// What Kubernetes stores in etcd, made readable: JSON as is (the sandbox, CRDs), the protobuf
// envelope (`k8s\0`, what kube-apiserver writes for built-in kinds) decoded through our schema, and
// `k8s:enc:<provider>:` values (encryption at rest) flagged, since they cannot be read without the key.
import type { DecodedValue } from '../../../shared/rpc/registry-contract.js';
import { decodeKubernetesProtobuf, hasKubernetesProtobufMagic } from '../../sandbox/protobuf/kubernetes-protobuf.js';
import { ProtoReader, WIRE_BYTES, WIRE_VARINT } from '../../sandbox/protobuf/wire.js';

const ENCRYPTED_PREFIX = 'k8s:enc:';
const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_FIELD_DEPTH = 12;

function startsWith(value: Uint8Array, prefix: string): boolean {
  if (value.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (value[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function printable(text: string): boolean {
  return !/[\u0000-\u0008\u000e-\u001f]/.test(text);
}

/**
 * A message as `{ "<field number>": value | value[] }` without a schema: bytes that parse as a
 * message become nested objects, printable UTF-8 becomes a string, the rest base64.
 */
export function protobufFields(bytes: Uint8Array, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const reader = new ProtoReader(bytes);
  while (!reader.done) {
    const field = reader.field();
    let value: unknown;
    if (field.wireType === WIRE_VARINT) value = Number(field.varint ?? 0n);
    else if (field.wireType === WIRE_BYTES && field.bytes) value = bytesValue(field.bytes, depth);
    else value = Buffer.from(field.bytes ?? new Uint8Array()).toString('hex');
    const name = String(field.number);
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  return out;
}

function bytesValue(bytes: Uint8Array, depth: number): unknown {
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined && printable(text)) return text;
  if (depth < MAX_FIELD_DEPTH && bytes.length > 0) {
    try {
      return protobufFields(bytes, depth + 1);
    } catch {
      // Not a message: fall through to raw bytes.
    }
  }
  return Buffer.from(bytes).toString('base64');
}

function envelopeTypeMeta(value: Uint8Array): { apiVersion: string; kind: string; raw: Uint8Array } {
  const out: { apiVersion: string; kind: string; raw: Uint8Array } = { apiVersion: '', kind: '', raw: new Uint8Array() };
  const reader = new ProtoReader(value.subarray(4));
  while (!reader.done) {
    const field = reader.field();
    if (field.wireType !== WIRE_BYTES || !field.bytes) continue;
    if (field.number === 2) out.raw = field.bytes;
    if (field.number !== 1) continue;
    const meta = new ProtoReader(field.bytes);
    while (!meta.done) {
      const f = meta.field();
      if (f.wireType !== WIRE_BYTES || !f.bytes) continue;
      if (f.number === 1) out.apiVersion = new TextDecoder().decode(f.bytes);
      if (f.number === 2) out.kind = new TextDecoder().decode(f.bytes);
    }
  }
  return out;
}

export function decodeRegistryValue(value: Uint8Array): DecodedValue {
  if (startsWith(value, ENCRYPTED_PREFIX)) {
    const rest = Buffer.from(value.subarray(ENCRYPTED_PREFIX.length, Math.min(value.length, 200))).toString('latin1');
    // k8s:enc:aescbc:v1:key1:<ciphertext>: the provider and key name are the readable part.
    const provider = rest.split(':').slice(0, 3).join(':');
    return { format: 'encrypted', provider, bytes: value.length };
  }
  if (hasKubernetesProtobufMagic(value)) {
    try {
      const object = decodeKubernetesProtobuf(value);
      return { format: 'protobuf', apiVersion: String(object.apiVersion), kind: String(object.kind), object };
    } catch (error) {
      try {
        const meta = envelopeTypeMeta(value);
        return { format: 'protobuf-fields', apiVersion: meta.apiVersion, kind: meta.kind, fields: protobufFields(meta.raw), error: (error as Error).message };
      } catch {
        return { format: 'binary', base64: Buffer.from(value).toString('base64'), bytes: value.length };
      }
    }
  }
  let text: string | undefined;
  try {
    text = utf8.decode(value);
  } catch {
    return { format: 'binary', base64: Buffer.from(value).toString('base64'), bytes: value.length };
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { format: 'json', object: JSON.parse(text) as unknown };
    } catch {
      // Looks like JSON but is not: show the text.
    }
  }
  return { format: 'text', text };
}
