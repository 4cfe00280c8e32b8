// Kubernetes' protobuf wire format (`application/vnd.kubernetes.protobuf`): the 4 bytes "k8s\0", then a
// runtime.Unknown {1: typeMeta {1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding, 4: contentType}
// whose raw holds the object's message. kubectl's typed commands send request bodies this way and
// kube-apiserver stores objects in etcd this way; both decode to the JSON the JSON path would carry.
import type { KubeObject } from '../../../shared/kube.js';
import { MessageDecoder } from './decode.js';
import { MessageEncoder } from './encode.js';
import { KubernetesProtobufError } from './errors.js';
import { messageNameFor } from './kinds.js';
import { loadProtobufSchema, type ProtobufSchema } from './schema.js';
import { isPlainObject } from './well-known.js';
import { ProtobufWireError, ProtoReader, ProtoWriter, WIRE_BYTES } from './wire.js';

export { KubernetesProtobufError } from './errors.js';
export type { KubernetesProtobufErrorReason } from './errors.js';

export const KUBERNETES_PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
export const KUBERNETES_PROTOBUF_MAGIC = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);

/** True for `application/vnd.kubernetes.protobuf` with any parameters (`;stream=watch`), any case. */
export function isProtobufContentType(contentType: string | undefined | null): boolean {
  if (!contentType) return false;
  return contentType.split(';')[0].trim().toLowerCase() === KUBERNETES_PROTOBUF_CONTENT_TYPE;
}

export function hasKubernetesProtobufMagic(body: Uint8Array): boolean {
  return body.length >= 4 && KUBERNETES_PROTOBUF_MAGIC.every((byte, i) => body[i] === byte);
}

const utf8 = new TextDecoder();

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function readEnvelope(body: Uint8Array): Envelope {
  const envelope: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '' };
  const reader = new ProtoReader(body.subarray(4));
  while (!reader.done) {
    const field = reader.field();
    if (field.wireType !== WIRE_BYTES || !field.bytes) continue;
    if (field.number === 1) {
      const typeMeta = new ProtoReader(field.bytes);
      while (!typeMeta.done) {
        const meta = typeMeta.field();
        if (meta.wireType !== WIRE_BYTES || !meta.bytes) continue;
        if (meta.number === 1) envelope.apiVersion = utf8.decode(meta.bytes);
        else if (meta.number === 2) envelope.kind = utf8.decode(meta.bytes);
      }
    } else if (field.number === 2) envelope.raw = field.bytes;
    else if (field.number === 3) envelope.contentEncoding = utf8.decode(field.bytes);
  }
  return envelope;
}

function decodeWith(schema: ProtobufSchema, body: Uint8Array): KubeObject {
  if (!hasKubernetesProtobufMagic(body)) {
    throw new KubernetesProtobufError(
      'NotProtobuf',
      `body is not Kubernetes protobuf: it does not start with the 4 bytes "k8s\\0" (send Content-Type: application/json for JSON bodies)`,
    );
  }
  try {
    const { apiVersion, kind, raw, contentEncoding } = readEnvelope(body);
    if (contentEncoding) {
      throw new KubernetesProtobufError('Unsupported', `protobuf body uses contentEncoding "${contentEncoding}", which the sandbox does not support; send it unencoded`);
    }
    if (!kind || !apiVersion) {
      throw new KubernetesProtobufError('Malformed', 'protobuf body has no apiVersion/kind in its runtime.Unknown envelope');
    }
    const decoder = new MessageDecoder(schema, (nested) => decodeWith(schema, nested));
    const value = decoder.decode(messageNameFor(schema, apiVersion, kind), raw);
    if (!isPlainObject(value)) throw new KubernetesProtobufError('Malformed', `${apiVersion} ${kind} did not decode to an object`);
    return { apiVersion, kind, ...value } as KubeObject;
  } catch (error) {
    if (error instanceof ProtobufWireError) {
      throw new KubernetesProtobufError('Malformed', `protobuf body is malformed: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * Decodes a k8s protobuf envelope (request body or etcd value) into the JSON object Kubernetes would
 * write for it (see decode.ts for which empty values are kept). Throws KubernetesProtobufError:
 * NotProtobuf (no magic) and Malformed suit a 400; UnknownKind (custom resources, kinds kubectl 1.32
 * lacks) and Unsupported (contentEncoding, schema not generated) suit a 415.
 * Objects without metadata (DeleteOptions, which kubectl drain sends on DELETE) come back without it
 * despite the KubeObject type.
 */
export function decodeKubernetesProtobuf(body: Uint8Array, schema: ProtobufSchema = loadProtobufSchema()): KubeObject {
  return decodeWith(schema, body);
}

/** Encodes a JSON object (apiVersion and kind required) as Kubernetes stores and sends it. */
export function encodeKubernetesProtobuf(obj: KubeObject, schema: ProtobufSchema = loadProtobufSchema()): Uint8Array {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
    throw new KubernetesProtobufError('Malformed', 'cannot encode an object without apiVersion and kind as Kubernetes protobuf');
  }
  const raw = new MessageEncoder(schema).encode(messageNameFor(schema, apiVersion, kind), obj, kind);
  const typeMeta = new ProtoWriter();
  typeMeta.bytesField(1, new TextEncoder().encode(apiVersion));
  typeMeta.bytesField(2, new TextEncoder().encode(kind));
  const unknown = new ProtoWriter();
  unknown.raw(KUBERNETES_PROTOBUF_MAGIC);
  unknown.bytesField(1, typeMeta.finish());
  unknown.bytesField(2, raw);
  // gogo writes runtime.Unknown's value strings even when empty.
  unknown.bytesField(3, new Uint8Array());
  unknown.bytesField(4, new Uint8Array());
  return unknown.finish();
}
