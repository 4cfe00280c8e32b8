// From the API's field paths to the place in the user's YAML text, so a rejected object's Status
// causes land on the offending lines. Uses the yaml package's node ranges, never text search.
// Two path forms reach us:
// - field.Path (validation causes, strict decoding): "spec.replicas", "spec.containers[0].image",
//   "metadata.labels[app.kubernetes.io/name]" (brackets with text are map keys);
// - structured-merge-diff's fieldpath.Path (server-side apply's typed errors): ".spec.replicas",
//   '.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]' (list items by their keys,
//   values JSON-printed), '.metadata.finalizers[="a"]' (set items by value), map keys as fields
//   (".metadata.labels.app.kubernetes.io/name": the dots are resolved against the text).
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import type { StatusCause } from '../../shared/kube.js';

/** A list item named by its key fields (key defaults, such as a port's protocol, may be absent from the text). */
export interface ItemByKeys {
  keys: Record<string, unknown>;
}

/** A set item named by its value. */
export interface ItemByValue {
  value: unknown;
}

export type PathSegment = string | number | ItemByKeys | ItemByValue;

export interface TextRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface FieldMarker extends TextRange {
  message: string;
  /** False when the path was not in the text and the marker sits on its nearest parent. */
  exact: boolean;
}

/** "spec.containers[0].image" → ["spec", "containers", 0, "image"]; see the header for the bracket forms. */
export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = path.startsWith('.') ? 1 : 0;
  let current = '';
  const flush = (): void => {
    if (current !== '') segments.push(current);
    current = '';
  };
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      flush();
      i++;
    } else if (ch === '[') {
      flush();
      const close = closingBracket(path, i);
      segments.push(bracketSegment(path.slice(i + 1, close)));
      i = close + 1;
    } else {
      current += ch;
      i++;
    }
  }
  flush();
  return segments;
}

/** The index of the "]" closing the "[" at `open`, past quoted strings ("[name=\"a]b\"]"); the end if none. */
function closingBracket(path: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < path.length; i++) {
    const ch = path[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ']') return i;
  }
  return path.length;
}

function bracketSegment(inner: string): PathSegment {
  if (/^\d+$/.test(inner)) return Number(inner);
  if (inner.startsWith('=')) {
    const value = jsonValue(inner.slice(1));
    if (value.ok) return { value: value.value };
  }
  const keys = keyedItem(inner);
  if (keys) return { keys };
  return inner.replace(/^"(.*)"$/, '$1');
}

/** 'containerPort=80,protocol="TCP"' → { containerPort: 80, protocol: "TCP" }; undefined if not that form. */
function keyedItem(inner: string): Record<string, unknown> | undefined {
  const keys: Record<string, unknown> = {};
  let rest = inner;
  while (rest !== '') {
    const name = /^([A-Za-z_$][\w$-]*)=/.exec(rest);
    if (!name) return undefined;
    rest = rest.slice(name[0].length);
    const end = valueEnd(rest);
    const value = jsonValue(rest.slice(0, end));
    if (!value.ok) return undefined;
    keys[name[1]] = value.value;
    rest = rest.slice(end);
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (rest !== '') return undefined;
  }
  return Object.keys(keys).length > 0 ? keys : undefined;
}

/** Where a printed value ends: after its closing quote, else at the next ",". */
function valueEnd(text: string): number {
  if (!text.startsWith('"')) {
    const comma = text.indexOf(',');
    return comma < 0 ? text.length : comma;
  }
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

function jsonValue(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function childPair(node: Node, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key) as Pair | undefined;
}

/**
 * The range of the path's key (or list item) in document `docIndex` of the text; the deepest
 * existing ancestor when the path goes further than the text (a required field that is missing).
 */
export function locatePath(text: string, path: PathSegment[], docIndex = 0): { range: TextRange; exact: boolean } | undefined {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  if (!Array.isArray(docs)) return undefined;
  const nonEmpty = docs.filter((d) => d.contents !== null);
  const doc = nonEmpty[docIndex];
  if (!doc?.contents) return undefined;
  let node: Node = doc.contents as Node;
  // The range to mark: a pair's key, a list item, or the document's first line.
  let mark: [number, number] = [node.range?.[0] ?? 0, node.range?.[0] ?? 0];
  let exact = true;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (typeof segment !== 'string') {
      const item = isSeq(node) ? listItem(node.items as unknown[], segment) : undefined;
      if (!item?.range) {
        exact = false;
        break;
      }
      node = item;
      // A list item's own first line: "- name: nginx".
      mark = [item.range[0], Math.min(item.range[1], lineEnd(text, item.range[0]))];
      continue;
    }
    // structured-merge-diff prints a map key as a field: "labels.app.kubernetes.io/name" may be one key.
    let pair: Pair | undefined;
    for (let j = i; j < path.length && typeof path[j] === 'string' && !pair; j++) {
      pair = childPair(node, path.slice(i, j + 1).join('.'));
      if (pair) i = j;
    }
    const key = pair?.key as Node | undefined;
    if (!pair || !key?.range) {
      exact = false;
      break;
    }
    const value = pair.value as Node | null;
    // Mark the key and a scalar value on its line; a block value's first line is the key's line.
    const end = value && isScalar(value) && value.range ? value.range[1] : key.range[1];
    mark = [key.range[0], end];
    if (!value) break;
    node = value;
  }
  const start = lineCounter.linePos(mark[0]);
  const end = lineCounter.linePos(Math.max(mark[1], mark[0] + 1));
  return { range: { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col }, exact };
}

/** The item a list segment names: by index, by its key fields, or (a set's) by value. */
function listItem(items: unknown[], segment: number | ItemByKeys | ItemByValue): Node | undefined {
  if (typeof segment === 'number') return items[segment] as Node | undefined;
  if ('value' in segment) return items.find((item) => isScalar(item) && sameValue(item.value, segment.value)) as Node | undefined;
  // The item whose key fields match; a key the text leaves out matches (it is the key's default).
  let best: { node: Node; present: number } | undefined;
  for (const item of items) {
    if (!isMap(item)) continue;
    let present = 0;
    let matches = true;
    for (const [name, expected] of Object.entries(segment.keys)) {
      const pair = childPair(item, name);
      if (!pair) continue;
      if (!isScalar(pair.value) || !sameValue(pair.value.value, expected)) {
        matches = false;
        break;
      }
      present++;
    }
    if (matches && present > 0 && (!best || present > best.present)) best = { node: item, present };
  }
  return best?.node;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && b !== null && typeof a !== 'object' && typeof b !== 'object' && String(a) === String(b));
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** Paths named in a Status message when it has no causes (strict decoding, typed-patch errors). */
export function pathsInMessage(message: string): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const m of message.matchAll(/unknown field "([^"]+)"/g)) out.push({ path: m[1], message: `unknown field "${m[1]}"` });
  for (const m of message.matchAll(/duplicate field "([^"]+)"/g)) out.push({ path: m[1], message: `duplicate field "${m[1]}"` });
  out.push(...smdErrorsIn(message));
  return out;
}

// What structured-merge-diff says after a path (typed/validate.go, helpers.go): types, undeclared
// fields, list items it cannot key.
const SMD_MESSAGE = /^(expected |field not declared in schema|element \d+: |duplicate entries for key )/;

/**
 * structured-merge-diff's ValidationErrors in a message: one ("...): .spec.foo: field not declared in
 * schema") or several ("errors:\n  .a: ...\n  .b: ..."), each ending at its line's end. A path starts
 * with "." after a space or a line start, and may hold quoted key values with any character.
 */
function smdErrorsIn(message: string): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  let i = 0;
  while ((i = message.indexOf('.', i)) >= 0) {
    const start = i;
    if (start > 0 && !/\s/.test(message[start - 1])) {
      i++;
      continue;
    }
    const end = smdPathEnd(message, start);
    const rest = message.slice(end);
    const lineEndAt = rest.indexOf('\n');
    const detail = rest.slice(2, lineEndAt < 0 ? rest.length : lineEndAt);
    if (end > start + 1 && rest.startsWith(': ') && SMD_MESSAGE.test(detail)) {
      out.push({ path: message.slice(start, end), message: detail });
      i = end + 2 + detail.length;
    } else i = start + 1;
  }
  return out;
}

/** Where a fieldpath.Path printed at `start` ends: before ": ", a space or a line end outside brackets. */
function smdPathEnd(message: string, start: number): number {
  let i = start;
  while (i < message.length) {
    const ch = message[i];
    if (ch === '[') i = closingBracket(message, i) + 1;
    else if (ch === ':' || /\s/.test(ch)) return i;
    else i++;
  }
  return i;
}

/** Markers for a failed write: one per cause with a field, else the paths its message names. */
export function markersFor(text: string, causes: StatusCause[], message: string, docIndex = 0): FieldMarker[] {
  const targets = causes.filter((c) => c.field).map((c) => ({ path: c.field as string, message: c.message ?? message }));
  if (targets.length === 0) targets.push(...pathsInMessage(message));
  const markers: FieldMarker[] = [];
  for (const target of targets) {
    const found = locatePath(text, parseFieldPath(target.path), docIndex);
    if (found) markers.push({ ...found.range, message: `${target.path}: ${target.message}`, exact: found.exact });
  }
  return markers;
}
