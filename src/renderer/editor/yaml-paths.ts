// From the API's field paths ("spec.replicas", ".spec.template.spec.containers[0].image",
// "metadata.labels[app]") to the place in the user's YAML text, so a rejected object's Status
// causes land on the offending lines. Uses the yaml package's node ranges, never text search.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import type { StatusCause } from '../../shared/kube.js';

export type PathSegment = string | number;

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

/** "spec.containers[0].image" → ["spec", "containers", 0, "image"]; brackets with text are map keys. */
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
      const close = path.indexOf(']', i);
      const inner = path.slice(i + 1, close < 0 ? path.length : close);
      segments.push(/^\d+$/.test(inner) ? Number(inner) : inner.replace(/^"(.*)"$/, '$1'));
      i = close < 0 ? path.length : close + 1;
    } else {
      current += ch;
      i++;
    }
  }
  flush();
  return segments;
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
  for (const segment of path) {
    if (typeof segment === 'number' && isSeq(node)) {
      const item = node.items[segment] as Node | undefined;
      if (!item?.range) {
        exact = false;
        break;
      }
      node = item;
      // A list item's own first line: "- name: nginx".
      mark = [item.range[0], Math.min(item.range[1], lineEnd(text, item.range[0]))];
      continue;
    }
    const pair = childPair(node, String(segment));
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

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** Paths named in a Status message when it has no causes (strict decoding, typed-patch errors). */
export function pathsInMessage(message: string): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const m of message.matchAll(/unknown field "([^"]+)"/g)) out.push({ path: m[1], message: `unknown field "${m[1]}"` });
  for (const m of message.matchAll(/duplicate field "([^"]+)"/g)) out.push({ path: m[1], message: `duplicate field "${m[1]}"` });
  for (const m of message.matchAll(/(\.[\w.[\]-]+): (expected [^;\n]+)/g)) out.push({ path: m[1], message: m[2] });
  return out;
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
