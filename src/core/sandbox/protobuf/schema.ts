// The Kubernetes protobuf schema scripts/gen-protobuf.mjs extracts from the kubectl binary at install.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubernetesProtobufError } from './errors.js';

/** google.protobuf.FieldDescriptorProto.Type values the API types use. */
export const FieldType = {
  Double: 1,
  Float: 2,
  Int64: 3,
  Uint64: 4,
  Int32: 5,
  Fixed64: 6,
  Fixed32: 7,
  Bool: 8,
  String: 9,
  Message: 11,
  Bytes: 12,
  Uint32: 13,
  Enum: 14,
  Sfixed32: 15,
  Sfixed64: 16,
  Sint32: 17,
  Sint64: 18,
} as const;

export interface ProtoField {
  name: string;
  number: number;
  type: number;
  /** Full message name without the leading dot, for message fields. */
  typeName?: string;
  repeated?: true;
  /** A Go pointer (gogoproto nullable): present means set, even to a zero value. */
  pointer?: true;
  /** A Go value field whose JSON tag has no omitempty: Go's JSON writes its zero value. */
  always?: true;
  /** An embedded Go struct tagged `json:",inline"`: its fields sit in the parent's JSON object. */
  inline?: true;
  /** Absent for inline fields. */
  jsonName?: string;
}

export interface ProtoMessage {
  fields: ProtoField[];
  mapEntry?: true;
}

export interface ProtobufSchemaFile {
  files: string[];
  messages: Record<string, ProtoMessage>;
}

export class ProtobufSchema {
  private readonly byNumber = new Map<string, Map<number, ProtoField>>();
  private readonly sorted = new Map<string, ProtoField[]>();

  constructor(readonly file: ProtobufSchemaFile) {}

  has(name: string): boolean {
    return Object.hasOwn(this.file.messages, name);
  }

  message(name: string): ProtoMessage {
    const message = this.file.messages[name];
    if (!message) throw new Error(`the Kubernetes protobuf schema has no message ${name}; regenerate it with node scripts/gen-protobuf.mjs`);
    return message;
  }

  field(messageName: string, number: number): ProtoField | undefined {
    let index = this.byNumber.get(messageName);
    if (!index) {
      index = new Map(this.message(messageName).fields.map((f) => [f.number, f]));
      this.byNumber.set(messageName, index);
    }
    return index.get(number);
  }

  /** Fields in field-number order, the order gogo marshals them in. */
  fieldsInOrder(messageName: string): ProtoField[] {
    let fields = this.sorted.get(messageName);
    if (!fields) {
      fields = [...this.message(messageName).fields].sort((a, b) => a.number - b.number);
      this.sorted.set(messageName, fields);
    }
    return fields;
  }
}

export const defaultSchemaPath = (): string => fileURLToPath(new URL('./generated/schema.json', import.meta.url));

let cached: ProtobufSchema | undefined;

/** Loads (once) the generated schema; says how to create it when it is missing. */
export function loadProtobufSchema(path = defaultSchemaPath()): ProtobufSchema {
  if (path === defaultSchemaPath() && cached) return cached;
  if (!existsSync(path)) {
    throw new KubernetesProtobufError(
      'Unsupported',
      `the Kubernetes protobuf schema ${path} is missing; run "node scripts/install-kubectl.mjs && node scripts/gen-protobuf.mjs" (npm install does it)`,
    );
  }
  const schema = new ProtobufSchema(JSON.parse(readFileSync(path, 'utf8')) as ProtobufSchemaFile);
  if (path === defaultSchemaPath()) cached = schema;
  return schema;
}
