// Element order of lists after a strategic merge patch: items named in the patch (or in its
// $setElementOrder list) follow the patch's order, server-only items keep their relative live order,
// and the two are interleaved by live position (k8s.io/apimachinery strategicpatch normalizeElementOrder).
import { deepEqual, isObject } from './json-value.js';

function sameItem(a: unknown, b: unknown, mergeKey: string): boolean {
  if (mergeKey !== '' && isObject(a) && isObject(b)) return deepEqual(a[mergeKey], b[mergeKey]);
  return deepEqual(a, b);
}

export function indexIn(list: readonly unknown[], item: unknown, mergeKey: string): number {
  return list.findIndex((candidate) => sameItem(candidate, item, mergeKey));
}

/** Splits `merged` into items that appear in `patch` (by merge key, or by value for scalars) and the rest. */
export function partitionByPresence(merged: unknown[], patch: readonly unknown[], mergeKey: string): { patchItems: unknown[]; serverOnly: unknown[] } {
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) (indexIn(patch, item, mergeKey) >= 0 ? patchItems : serverOnly).push(item);
  return { patchItems, serverOnly };
}

/** Stable sort by position in `order`; items absent from `order` (index -1) come first, as in Go. */
function sortByOrder(items: unknown[], order: readonly unknown[], mergeKey: string): unknown[] {
  return items
    .map((item, i) => ({ item, i, at: indexIn(order, item, mergeKey) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((entry) => entry.item);
}

/** Inserts server-only items (`left`) among patch items (`right`) before the first one that follows them live. */
function mergeSorted(left: unknown[], right: unknown[], serverOrder: readonly unknown[], mergeKey: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
): unknown[] {
  return mergeSorted(sortByOrder(serverOnly, serverOrder, mergeKey), sortByOrder(patchItems, patchOrder, mergeKey), serverOrder, mergeKey);
}
