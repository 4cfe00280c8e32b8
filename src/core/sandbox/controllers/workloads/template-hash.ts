// The hashes kube-controller-manager names things with, byte for byte, so a learner sees the names a
// real 1.32 cluster gives (coredns-668d6bf9bc, the ReplicaSet of every kubeadm 1.32 cluster):
// - controller.ComputeHash (Deployment's pod-template-hash, DaemonSet's controller-revision-hash):
//   FNV-1a of go-spew's printout of the v1.PodTemplateSpec, then the collision count if set;
// - history.HashControllerRevision (StatefulSet revisions): FNV-1 of the revision's JSON data, then
//   the collision count in decimal.
// Both end in rand.SafeEncodeString of the decimal sum.
import { safeEncodeString } from './common.js';
import { GoDecoder, type GoValue } from './go-types.js';
import { GO_TYPES } from './go-types-generated.js';
import { goJsonMarshal } from './go-json.js';
import { spewPrint } from './go-spew.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h;
}

function fnv1(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = (Math.imul(h, FNV_PRIME) ^ b) >>> 0;
  return h;
}

const decoder = new GoDecoder(GO_TYPES);
const utf8 = new TextEncoder();

/**
 * The pod template as the API serves it to the controller: besides defaults, the conversion to v1
 * makes serviceAccount (DeprecatedServiceAccount) an alias of serviceAccountName, whichever was set.
 */
function asServed(template: unknown): unknown {
  if (typeof template !== 'object' || template === null) return template;
  const spec = (template as Record<string, unknown>).spec;
  if (typeof spec !== 'object' || spec === null) return template;
  const { serviceAccountName, serviceAccount } = spec as Record<string, unknown>;
  const account = (typeof serviceAccountName === 'string' && serviceAccountName) || (typeof serviceAccount === 'string' && serviceAccount) || undefined;
  if (account === undefined || (serviceAccountName === account && serviceAccount === account)) return template;
  return { ...template, spec: { ...spec, serviceAccountName: account, serviceAccount: account } };
}

/** The Go value of a pod template as the controller holds it. */
export function podTemplateValue(template: unknown): GoValue {
  return decoder.decode('v1.PodTemplateSpec', asServed(template));
}

/** go-spew's `%#v` of the pod template: what ComputeHash hashes (exported for tests and debugging). */
export function podTemplateSpew(template: unknown): string {
  return spewPrint(podTemplateValue(template));
}

// DaemonSets and StatefulSets compare their template's revision data on every sync, and each status
// update brings a new copy of the owner: results are cached by the template's JSON text (an eighth of
// the cost), in a bounded map. Not by object identity: a template edited in place would keep a stale hash.
const TEXT_CACHE_SIZE = 512;

function cachedBy<T>(render: (template: unknown) => T): (template: unknown) => T {
  const byText = new Map<string, T>();
  return (template) => {
    if (typeof template !== 'object' || template === null) return render(template);
    const key = JSON.stringify(template);
    let result = byText.get(key);
    if (result === undefined) {
      result = render(template);
      if (byText.size >= TEXT_CACHE_SIZE) byText.clear();
      byText.set(key, result);
    }
    return result;
  };
}

/** FNV-1a of the printout: the part of ComputeHash that depends on the template only. */
const spewSum = cachedBy((template) => fnv1a(utf8.encode(podTemplateSpew(template))));

/**
 * controller.ComputeHash(template, collisionCount): the collision count, when the owner's status has
 * one, goes in as 8 bytes (binary.LittleEndian.PutUint32 into an 8-byte slice).
 */
export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let h = spewSum(template);
  if (collisionCount !== undefined) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(extra, h);
  }
  return safeEncodeString(String(h));
}

/**
 * The ControllerRevision data of a StatefulSet or DaemonSet (getPatch upstream): the owner's template
 * as Go's JSON encoder writes it, then re-marshalled through a map, so keys are sorted at every level,
 * with `$patch: replace`. Returns the exact bytes (as text) upstream stores in data.raw.
 */
export const revisionPatchJson = cachedBy((template) => {
  const json = goJsonMarshal(podTemplateValue(template));
  return `{"spec":{"template":{"$patch":"replace"${json === '{}' ? '' : ','}${json.slice(1)}}}`;
});

/** history.HashControllerRevision(revision, probe): FNV-1 (not 1a) of data.raw, then the probe in decimal. */
export function hashControllerRevision(rawData: string, probe?: number): string {
  let h = fnv1(utf8.encode(rawData));
  if (probe !== undefined) h = fnv1(utf8.encode(String(probe | 0)), h);
  return safeEncodeString(String(h));
}
