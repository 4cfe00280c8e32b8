// Generates the Kubernetes protobuf schema the sandbox API server uses to read
// `application/vnd.kubernetes.protobuf` bodies (kubectl's typed commands send them) and that the etcd
// browser uses to read values Kubernetes stored in etcd. Output: src/core/sandbox/protobuf/generated/schema.json.
//
// No .proto file may live in our repo and no npm package ships them, so the schema is read from the
// kubectl binary that scripts/install-kubectl.mjs extracted: every API package registers its
// FileDescriptorProto gzipped (gogo-protobuf), with the gogoproto field options kept (nullable=false
// tells a Go value field from a pointer). JSON names, omitempty and `json:",inline"` embedding are not in
// the descriptors; they come from the Go struct tags (`json:"..." protobuf:"...,name=..."`), found per
// struct through the binary's Go type data (see below). Plain Node ESM, no dependencies; deterministic,
// so reruns give equal bytes.
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

// --- Go struct tags: JSON names, omitempty and inline embedding ---------------------------------------
// A Go binary keeps each struct field's name and tag in one runtime "name" blob: a flags byte (bit 1:
// has tag), varint length, field name, varint length, tag. Struct types point at their fields through an
// array of 24-byte StructFields {name, type, offset}, in the order of the struct. Finding the blobs whose
// tag has `protobuf:"` and the arrays pointing at them gives each API struct's tags, which are matched
// to proto messages by their field numbers and names. kubectl is a static, non-PIE ELF, so the pointers
// are plain virtual addresses.

function elfSections() {
  if (binary.readUInt32BE(0) !== 0x7f454c46 || binary[4] !== 2) return [];
  const shoff = Number(binary.readBigUInt64LE(0x28));
  const shentsize = binary.readUInt16LE(0x3a);
  const sections = [];
  for (let i = 0; i < binary.readUInt16LE(0x3c); i++) {
    const at = shoff + i * shentsize;
    const addr = Number(binary.readBigUInt64LE(at + 0x10));
    // PROGBITS sections that are loaded at an address.
    if (binary.readUInt32LE(at + 4) === 1 && addr !== 0) {
      sections.push({ addr, offset: Number(binary.readBigUInt64LE(at + 0x18)), size: Number(binary.readBigUInt64LE(at + 0x20)) });
    }
  }
  return sections;
}

const isIdentByte = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

function parseTag(tag) {
  const json = /(?:^| )json:"([^"]*)"/.exec(tag)?.[1];
  const proto = /(?:^| )protobuf:"[a-z0-9]+,(\d+),([^"]*)"/.exec(tag);
  if (json === undefined || !proto || / protobuf:"[^"]*proto3/.test(` ${tag}`)) return undefined;
  const [jsonName, ...options] = json.split(',');
  if (jsonName === '-') return undefined;
  return {
    number: Number(proto[1]),
    protoName: /(?:^|,)name=([A-Za-z0-9_]+)/.exec(proto[2])?.[1],
    jsonName,
    inline: jsonName === '' && options.includes('inline'),
    omitEmpty: options.includes('omitempty'),
  };
}

/** Blobs (by virtual address) of struct fields whose tag has a Kubernetes protobuf tag. */
function fieldBlobs(sections) {
  const toAddr = (offset) => {
    const section = sections.find((s) => offset >= s.offset && offset < s.offset + s.size);
    return section ? offset - section.offset + section.addr : -1;
  };
  const blobs = new Map();
  const needle = Buffer.from('protobuf:"');
  for (let at = binary.indexOf(needle); at >= 0; at = binary.indexOf(needle, at + 1)) {
    // Walk back to the tag's start: a varint length (1 or 2 bytes) that covers the needle.
    for (let start = at; start > at - 400 && start > 3; start--) {
      const candidates = [[binary[start - 1], start - 1]];
      if (binary[start - 2] >= 0x80 && binary[start - 1] < 0x80) candidates.push([(binary[start - 2] & 0x7f) | (binary[start - 1] << 7), start - 2]);
      const found = candidates.some(([length, lengthAt]) => {
        if (length === 0 || length >= 0x4000 || start + length < at + needle.length || binary[start + length - 1] !== 0x22) return false;
        for (let n = 1; n < 64 && lengthAt - n - 2 >= 0; n++) {
          const nameLengthAt = lengthAt - n - 1;
          const flags = binary[nameLengthAt - 1];
          if (binary[nameLengthAt] !== n || (flags & 2) === 0 || flags > 15) continue;
          if (!binary.subarray(lengthAt - n, lengthAt).every(isIdentByte)) continue;
          const tag = parseTag(binary.toString('latin1', start, start + length));
          if (tag) blobs.set(toAddr(nameLengthAt - 1), tag);
          return true;
        }
        return false;
      });
      if (found) break;
    }
  }
  return blobs;
}

const GO_KIND_MAP = 21;
const GO_KIND_POINTER = 22;
const GO_KIND_SLICE = 23;

/**
 * Each struct's tagged fields, by field number, from the StructField arrays pointing at the blobs. A
 * field also records whether its Go type is a pointer (abi.Type's kind byte, offset 23), which tells
 * apart structs with equal field names such as HTTPHeader (value string) and PodDNSConfigOption
 * (value *string).
 */
function structFieldRuns(sections, blobs) {
  const toOffset = (addr) => {
    const section = sections.find((s) => addr >= s.addr && addr < s.addr + s.size);
    return section ? addr - section.addr + section.offset : -1;
  };
  const runs = [];
  let current;
  for (const section of sections) {
    for (let offset = section.offset; offset + 16 <= section.offset + section.size; offset += 8) {
      if (binary.readUInt32LE(offset + 4) !== 0) continue;
      const tag = blobs.get(binary.readUInt32LE(offset));
      if (!tag) continue;
      const typeOffset = toOffset(Number(binary.readBigUInt64LE(offset + 8)));
      const kind = typeOffset >= 0 ? binary[typeOffset + 23] & 0x1f : -1;
      const field = { ...tag, pointer: kind === GO_KIND_POINTER, slice: kind === GO_KIND_SLICE || kind === GO_KIND_MAP };
      // Up to two untagged fields (TypeMeta) may sit between two tagged ones of the same struct.
      if (current && (offset - current.last) % 24 === 0 && offset - current.last <= 72) {
        current.fields.set(tag.number, field);
        current.last = offset;
      } else {
        current = { last: offset, fields: new Map([[tag.number, field]]) };
        runs.push(current);
      }
    }
  }
  return runs.map((run) => run.fields);
}

/** Go tags per proto message, for messages whose Go struct was found unambiguously. */
function goTagsByMessage(messagesByName) {
  const sections = elfSections();
  const blobs = fieldBlobs(sections);
  const runsByNumbers = new Map();
  for (const run of structFieldRuns(sections, blobs)) {
    const key = [...run.keys()].sort((a, b) => a - b).join(',');
    runsByNumbers.set(key, [...(runsByNumbers.get(key) ?? []), run]);
  }
  const sameTag = (a, b) => a.jsonName === b.jsonName && a.omitEmpty === b.omitEmpty && a.inline === b.inline;
  const out = new Map();
  for (const [name, message] of messagesByName) {
    if (message.mapEntry) continue;
    const key = message.fields.map((f) => f.number).sort((a, b) => a - b).join(',');
    const runs = (runsByNumbers.get(key) ?? []).filter((run) =>
      message.fields.every((f) => {
        const field = run.get(f.number);
        if (![undefined, f.name].includes(field.protoName)) return false;
        // gogo's nullable is Go's pointer, except for slices and maps ([]byte, repeated, named slices).
        return f.label === 3 || field.slice || field.pointer === f.nullable;
      }),
    );
    if (runs.length === 0) continue;
    // Several structs may share a field list (v1 and v1beta1 copies, {metadata, spec, status}); a field's
    // tag counts only when they all agree on it.
    const agreed = new Map();
    for (const f of message.fields) {
      const first = runs[0].get(f.number);
      if (runs.every((run) => sameTag(run.get(f.number), first))) agreed.set(f.number, first);
    }
    out.set(name, agreed);
  }
  return { tags: out, blobs };
}

const descriptors = extractDescriptors();
if (descriptors.size === 0) {
  console.error(`gen-protobuf: found no Kubernetes protobuf descriptors in ${kubectlPath}; the kubectl build changed, update scripts/gen-protobuf.mjs`);
  process.exit(1);
}
const parsed = new Map();
for (const name of [...descriptors.keys()].sort()) parseFile(descriptors.get(name), parsed);
const { tags: structTags, blobs } = goTagsByMessage(parsed);

// Fallback for messages whose struct was not found: tags keyed by proto name and number, used only
// when every tag with that key agrees.
const tagsByKey = new Map();
for (const tag of blobs.values()) {
  if (!tag.protoName) continue;
  const key = `${tag.protoName}#${tag.number}`;
  const previous = tagsByKey.get(key);
  tagsByKey.set(key, previous === undefined || (previous && previous.jsonName === tag.jsonName && previous.omitEmpty === tag.omitEmpty) ? tag : null);
}

const simpleName = (typeName) => typeName.slice(typeName.lastIndexOf('.') + 1);
let fallbackMessages = 0;
const messages = {};
for (const fullName of [...parsed.keys()].sort()) {
  const message = parsed.get(fullName);
  const structTag = structTags.get(fullName);
  if (!message.mapEntry && message.fields.some((f) => !structTag?.has(f.number))) {
    fallbackMessages++;
    if (process.env.GEN_PROTOBUF_DEBUG) console.log(`gen-protobuf: no unambiguous Go struct tags for some fields of ${fullName}`);
  }
  const fields = message.fields.map((f) => {
    const out = { name: f.name, number: f.number, type: f.type };
    if (f.typeName) out.typeName = f.typeName;
    if (f.label === 3) out.repeated = true;
    // Proto2 fields are Go pointers unless nullable=false: a present zero value then means "set to zero",
    // and an absent value field is still written (as its zero value) by gogo.
    if (f.label !== 3 && f.nullable) out.pointer = true;
    const tag = structTag?.get(f.number) ?? tagsByKey.get(`${f.name}#${f.number}`);
    if (f.label !== 3 && !f.nullable && tag && !tag.omitEmpty) out.always = true;
    // An embedded Go struct keeps its type name as field name; only some of them are `json:",inline"`.
    const embedded = f.type === 11 && f.customName !== '' && f.customName === simpleName(f.typeName);
    if (embedded && tag?.inline) out.inline = true;
    else out.jsonName = tag?.jsonName || f.name;
    return out;
  });
  messages[fullName] = message.mapEntry ? { mapEntry: true, fields } : { fields };
}

mkdirSync(outDir, { recursive: true });
const schema = { generator: 'scripts/gen-protobuf.mjs', files: [...descriptors.keys()].sort(), messages };
writeFileSync(join(outDir, 'schema.json'), `${JSON.stringify(schema)}\n`);
console.log(`gen-protobuf: ${descriptors.size} descriptors, ${Object.keys(messages).length} messages (${fallbackMessages} with fields tagged by name only) -> ${join(outDir, 'schema.json')} in ${Date.now() - started} ms`);
