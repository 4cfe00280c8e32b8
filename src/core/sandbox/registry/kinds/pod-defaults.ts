// Pod spec defaulting as k8s.io/kubernetes/pkg/apis/core/v1 SetDefaults_PodSpec, _Container, _Probe,
// _Volume... plus the Pod-only pieces (limits copied to requests, status, QoS, default tolerations).
// Shared by pods and by every workload's pod template.
import { canonicalizeResourceList, canonicalQuantity, compareQuantity, parseQuantity } from './quantity.js';
import { arr, child, def, defStr, isObj, objs, peek, str, type Obj } from './util.js';

const DEFAULT_MODE = 0o644; // 420: what kube-apiserver fills in for secret/configMap/projected volumes

function defaultHttpGet(handler: Obj | undefined): void {
  const httpGet = peek(handler, 'httpGet');
  if (!httpGet) return;
  defStr(httpGet, 'path', '/');
  defStr(httpGet, 'scheme', 'HTTP');
}

function defaultProbe(probe: Obj | undefined): void {
  if (!probe) return;
  def(probe, 'timeoutSeconds', 1);
  def(probe, 'periodSeconds', 10);
  def(probe, 'successThreshold', 1);
  def(probe, 'failureThreshold', 3);
  defaultHttpGet(probe);
  const grpc = peek(probe, 'grpc');
  if (grpc) def(grpc, 'service', '');
}

/** Image tag "latest" or none (and no digest): Always; otherwise IfNotPresent. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function canonicalizeResources(resources: Obj): void {
  canonicalizeResourceList(resources.limits);
  canonicalizeResourceList(resources.requests);
}

export function defaultContainer(c: Obj): void {
  // An unparsable (e.g. missing) image has no "latest" tag: IfNotPresent, as upstream.
  defStr(c, 'imagePullPolicy', typeof c.image === 'string' && c.image !== '' ? defaultPullPolicy(c.image) : 'IfNotPresent');
  defStr(c, 'terminationMessagePath', '/dev/termination-log');
  defStr(c, 'terminationMessagePolicy', 'File');
  for (const port of objs(c, 'ports')) defStr(port, 'protocol', 'TCP');
  for (const env of objs(c, 'env')) {
    const fieldRef = peek(peek(env, 'valueFrom'), 'fieldRef');
    if (fieldRef) defStr(fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(peek(c, 'livenessProbe'));
  defaultProbe(peek(c, 'readinessProbe'));
  defaultProbe(peek(c, 'startupProbe'));
  const lifecycle = peek(c, 'lifecycle');
  defaultHttpGet(peek(lifecycle, 'postStart'));
  defaultHttpGet(peek(lifecycle, 'preStop'));
  const resources = child(c, 'resources');
  canonicalizeResources(resources);
}

function defaultVolume(v: Obj): void {
  const hasSource = Object.keys(v).some((k) => k !== 'name');
  if (!hasSource) v.emptyDir = {};
  for (const kind of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = peek(v, kind);
    if (src) def(src, 'defaultMode', DEFAULT_MODE);
  }
  const hostPath = peek(v, 'hostPath');
  if (hostPath) def(hostPath, 'type', '');
  const emptyDir = peek(v, 'emptyDir');
  if (emptyDir && emptyDir.sizeLimit !== undefined) emptyDir.sizeLimit = canonicalQuantity(emptyDir.sizeLimit);
  const iscsi = peek(v, 'iscsi');
  if (iscsi) defStr(iscsi, 'iscsiInterface', 'default');
  const projected = peek(v, 'projected');
  for (const source of objs(projected, 'sources')) {
    const token = peek(source, 'serviceAccountToken');
    if (token) def(token, 'expirationSeconds', 3600);
  }
}

/** SetDefaults_PodSpec and everything under it; used for pods and pod templates alike. */
export function defaultPodSpec(spec: Obj): void {
  defStr(spec, 'dnsPolicy', 'ClusterFirst');
  defStr(spec, 'restartPolicy', 'Always');
  def(spec, 'terminationGracePeriodSeconds', 30);
  def(spec, 'securityContext', {});
  defStr(spec, 'schedulerName', 'default-scheduler');
  // v1 conversion: serviceAccount is the deprecated alias of serviceAccountName (the newer field
  // wins) and is written back beside it, so `-o yaml` and the pod-template-hash show both.
  if (typeof spec.serviceAccount === 'string' && spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  else delete spec.serviceAccount;
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) for (const c of objs(spec, list)) defaultContainer(c);
  for (const v of objs(spec, 'volumes')) defaultVolume(v);
}

/**
 * SetDefaults_Pod (pods only, not templates): requests default to limits, service links default on.
 * Workload templates therefore keep only what the user wrote, as `kubectl get deploy -o yaml` shows.
 */
export function defaultPodOnly(spec: Obj): void {
  for (const list of ['initContainers', 'containers']) for (const c of objs(spec, list)) copyLimitsToRequests(c);
  // Since 1.28 hostPort follows containerPort under hostNetwork on Pods only, not on templates.
  if (spec.hostNetwork === true) {
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      for (const c of objs(spec, list)) for (const port of objs(c, 'ports')) def(port, 'hostPort', port.containerPort);
    }
  }
  def(spec, 'enableServiceLinks', true);
}

/** Requests default to limits for each resource with a limit and no request. */
export function copyLimitsToRequests(c: Obj): void {
  const resources = peek(c, 'resources');
  const limits = peek(resources, 'limits');
  if (!resources || !limits || Object.keys(limits).length === 0) return;
  const requests = child(resources, 'requests');
  for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
}

/** pod/template metadata + spec defaults for `obj.spec.template`. */
export function defaultPodTemplate(template: Obj): void {
  // kube-apiserver 1.32 serializes the zero metav1.Time of embedded metadata as null.
  def(child(template, 'metadata'), 'creationTimestamp', null);
  const spec = child(template, 'spec');
  defaultPodSpec(spec);
}

function resourceOf(c: Obj, list: 'requests' | 'limits', name: string): string | undefined {
  const value = peek(peek(c, 'resources'), list)?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** qos.GetPodQOS over cpu and memory of all containers and init containers. */
export function podQOSClass(spec: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...objs(spec, 'initContainers'), ...objs(spec, 'containers')];
  let anySet = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    for (const name of ['cpu', 'memory']) {
      const req = resourceOf(c, 'requests', name);
      const lim = resourceOf(c, 'limits', name);
      if ((req && parseQuantity(req)?.mantissa !== 0n) || (lim && parseQuantity(lim)?.mantissa !== 0n)) anySet = true;
      if (!lim || !req) {
        guaranteed = false;
        continue;
      }
      const rq = parseQuantity(req);
      const lq = parseQuantity(lim);
      if (!rq || !lq || compareQuantity(rq, lq) !== 0) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The DefaultTolerationSeconds admission plugin: tolerate not-ready/unreachable nodes for 300s. */
export function addDefaultTolerations(spec: Obj, seconds = 300): void {
  const tolerations = arr(spec, 'tolerations').filter(isObj);
  const tolerates = (key: string) =>
    tolerations.some((t) => (str(t, 'effect') ?? '') in { '': 1, NoExecute: 1 } && (t.key === key || (t.key === undefined && t.operator === 'Exists')));
  const added: Obj[] = [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerates(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  }
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}
