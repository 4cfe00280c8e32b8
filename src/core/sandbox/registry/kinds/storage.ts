// PersistentVolumes, PersistentVolumeClaims and StorageClasses: defaults (reclaim policy, volume
// mode, binding mode), ValidatePersistentVolume(Claim), the PVC spec-immutability rule and the
// StorageClass immutable fields.
import type { Strategy } from '../types.js';
import { forbidden, immutable, invalid, notSupported, required, validateEnum, type Cause } from './field.js';
import { validateResourceList } from './core-misc.js';
import { canonicalizeResourceList, compareQuantity, parseQuantity } from './quantity.js';
import { def, defStr, isObj, peek, spec, statusSubresource, str, type Obj } from './util.js';
import { goSpecDiff } from './go-format.js';
import { rfc3339 } from './time.js';
import { sameValue } from './workload-common.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const PV_NON_SOURCE_FIELDS = new Set([
  'accessModes',
  'capacity',
  'claimRef',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'mountOptions',
  'volumeMode',
  'nodeAffinity',
  'volumeAttributesClassName',
]);

function validateAccessModes(modes: unknown, path: string, message: string): Cause[] {
  const list = Array.isArray(modes) ? modes : [];
  if (list.length === 0) return [required(path, message)];
  const causes: Cause[] = [];
  for (const m of list) if (typeof m !== 'string' || !ACCESS_MODES.includes(m)) causes.push(notSupported(path, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) causes.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return causes;
}

function validatePV(s: Obj): Cause[] {
  const causes = validateAccessModes(s.accessModes, 'spec.accessModes', '');
  const capacity = peek(s, 'capacity');
  if (!capacity || Object.keys(capacity).length === 0) causes.push(required('spec.capacity', ''));
  else {
    const keys = Object.keys(capacity);
    if (!keys.includes('storage') || keys.length > 1) causes.push(notSupported('spec.capacity', keys, ['storage']));
    causes.push(...validateResourceList(capacity, 'spec.capacity'));
  }
  const sources = Object.keys(s).filter((k) => !PV_NON_SOURCE_FIELDS.has(k));
  if (sources.length === 0) causes.push(required('spec', 'must specify a volume type'));
  else if (sources.length > 1) causes.push(forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
  const hostPath = peek(s, 'hostPath');
  if (hostPath && !str(hostPath, 'path')) causes.push(required('spec.hostPath.path', ''));
  causes.push(...validateEnum('spec.persistentVolumeReclaimPolicy', s.persistentVolumeReclaimPolicy, ['Delete', 'Recycle', 'Retain']));
  causes.push(...validateEnum('spec.volumeMode', s.volumeMode, VOLUME_MODES));
  return causes;
}

export const persistentVolumeStrategy: Strategy = {
  tracksGeneration: false,
  ...statusSubresource(() => ({ phase: 'Pending' })),
  prepareForCreate(obj, ctx) {
    // PersistentVolumeLastPhaseTransitionTime (GA in 1.31): creation is the first phase transition.
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(ctx.now) };
  },
  applyDefaults(obj) {
    const s = spec(obj);
    defStr(s, 'persistentVolumeReclaimPolicy', 'Retain');
    defStr(s, 'volumeMode', 'Filesystem');
    canonicalizeResourceList(s.capacity);
  },
  validate(obj) {
    return validatePV(spec(obj));
  },
  validateUpdate(obj, old) {
    const s = spec(obj);
    const o = spec(old);
    const causes = validatePV(s);
    if (!sameValue(s.volumeMode, o.volumeMode)) causes.push(immutable('spec.volumeMode', s.volumeMode ?? ''));
    return causes;
  },
};

function validatePVC(s: Obj, path = 'spec'): Cause[] {
  const causes = validateAccessModes(s.accessModes, `${path}.accessModes`, 'at least 1 access mode is required');
  const requests = peek(peek(s, 'resources'), 'requests');
  if (!requests || requests.storage === undefined) causes.push(required(`${path}.resources[storage]`, ''));
  else {
    causes.push(...validateResourceList(requests, `${path}.resources.requests`));
    const q = typeof requests.storage === 'string' || typeof requests.storage === 'number' ? parseQuantity(requests.storage) : undefined;
    if (q && q.mantissa === 0n) causes.push(invalid(`${path}.resources[storage]`, '0', 'must be greater than zero'));
  }
  causes.push(...validateEnum(`${path}.volumeMode`, s.volumeMode, VOLUME_MODES));
  return causes;
}

export const persistentVolumeClaimStrategy: Strategy = {
  tracksGeneration: false,
  ...statusSubresource(() => ({ phase: 'Pending' })),
  applyDefaults(obj) {
    const s = spec(obj);
    defStr(s, 'volumeMode', 'Filesystem');
    const resources = peek(s, 'resources');
    canonicalizeResourceList(resources?.requests);
    canonicalizeResourceList(resources?.limits);
  },
  validate(obj) {
    return validatePVC(spec(obj));
  },
  validateUpdate(obj, old) {
    const s = spec(obj);
    const o = spec(old);
    const causes = validatePVC(s);
    const bound = str(peek(old, 'status'), 'phase') === 'Bound';
    const a: Obj = { ...s, resources: { ...peek(s, 'resources'), requests: undefined } };
    const b: Obj = { ...o, resources: { ...peek(o, 'resources'), requests: undefined } };
    // The binder fills volumeName once; that is not a user change.
    if (!o.volumeName) delete a.volumeName;
    if (!sameValue(a, b) || (!bound && !sameValue(peek(s, 'resources'), peek(o, 'resources')))) {
      causes.push(forbidden('spec', `spec is immutable after creation except resources.requests for bound claims\n${goSpecDiff('core.PersistentVolumeClaimSpec', o, s)}`));
    }
    // RecoverVolumeExpansionFailure (beta, on in 1.32): requests may shrink, but not below what is provisioned.
    const newStorage = peek(peek(s, 'resources'), 'requests')?.storage;
    const capacity = peek(peek(old, 'status'), 'capacity')?.storage;
    const nq = typeof newStorage === 'string' ? parseQuantity(newStorage) : undefined;
    const cq = typeof capacity === 'string' ? parseQuantity(capacity) : undefined;
    if (bound && nq && cq && compareQuantity(nq, cq) < 0) {
      causes.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
    }
    return causes;
  },
};

function validateStorageClass(o: Obj): Cause[] {
  const causes: Cause[] = [];
  if (!str(o, 'provisioner')) causes.push(required('provisioner', ''));
  causes.push(...validateEnum('reclaimPolicy', o.reclaimPolicy, ['Delete', 'Retain'], true));
  causes.push(...validateEnum('volumeBindingMode', o.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer'], true));
  if (o.parameters !== undefined && !isObj(o.parameters)) causes.push(invalid('parameters', o.parameters, 'must be a map of string to string'));
  return causes;
}

export const storageClassStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults(obj) {
    const o = obj as Obj;
    defStr(o, 'reclaimPolicy', 'Delete');
    defStr(o, 'volumeBindingMode', 'Immediate');
  },
  validate: validateStorageClass,
  validateUpdate(obj, old) {
    const causes = validateStorageClass(obj);
    if (!sameValue(obj.parameters, old.parameters)) causes.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if (obj.provisioner !== old.provisioner) causes.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (obj.reclaimPolicy !== old.reclaimPolicy) causes.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (obj.volumeBindingMode !== old.volumeBindingMode) causes.push(immutable('volumeBindingMode', obj.volumeBindingMode ?? ''));
    return causes;
  },
};

export const csiDriverStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults(obj) {
    const s = spec(obj);
    def(s, 'attachRequired', true);
    def(s, 'podInfoOnMount', false);
    def(s, 'storageCapacity', false);
    def(s, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
    def(s, 'requiresRepublish', false);
    def(s, 'seLinuxMount', false);
    if (!Array.isArray(s.volumeLifecycleModes)) s.volumeLifecycleModes = ['Persistent'];
  },
};

export const volumeAttachmentStrategy: Strategy = {
  tracksGeneration: false,
  ...statusSubresource(() => ({ attached: false })),
  validate(obj) {
    const s = spec(obj);
    const causes: Cause[] = [];
    if (!str(s, 'attacher')) causes.push(required('spec.attacher', ''));
    if (!str(s, 'nodeName')) causes.push(required('spec.nodeName', ''));
    if (!isObj(s.source)) causes.push(required('spec.source', ''));
    return causes;
  },
  validateUpdate(obj, old) {
    return sameValue(obj.spec, old.spec) ? [] : [invalid('spec', '', 'field is immutable')];
  },
};

