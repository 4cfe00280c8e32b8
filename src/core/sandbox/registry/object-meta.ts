// ObjectMeta validation as k8s.io/apimachinery/pkg/api/validation (ValidateObjectMeta and
// ValidateObjectMetaUpdate), plus generateName suffixes. The generic store calls these for every
// write; kinds only choose how their names are validated.
import { randomInt } from 'node:crypto';
import type { KubeObject, ObjectMeta, StatusCause } from '../../../shared/kube.js';
import { forbidden, immutable, invalid, invalidEach, required, tooLong, validateNonnegative } from './kinds/field.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isPathSegmentName,
  isQualifiedName,
  isValidLabelValue,
  maskTrailingDash,
} from './kinds/names.js';
import type { ResourceDef } from './types.js';

export type NameValidation = 'subdomain' | 'label' | 'dns1035' | 'path';

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameValidation: NameValidation;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function nameErrors(name: string, how: NameValidation, prefix: boolean): string[] {
  const value = prefix ? maskTrailingDash(name) : name;
  switch (how) {
    case 'label':
      return isDNS1123Label(value);
    case 'dns1035':
      return isDNS1035Label(value);
    case 'path':
      return isPathSegmentName(name, prefix);
    case 'subdomain':
      return isDNS1123Subdomain(value);
  }
}

export function validateLabels(labels: unknown, field: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [invalid(field, labels, 'must be a map of string to string')];
  const causes: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    causes.push(...invalidEach(field, k, isQualifiedName(k)));
    if (typeof v !== 'string') causes.push(invalid(field, v, 'must be a string'));
    else causes.push(...invalidEach(field, v, isValidLabelValue(v)));
  }
  return causes;
}

export function validateAnnotations(annotations: unknown, field: string): StatusCause[] {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) return [invalid(field, annotations, 'must be a map of string to string')];
  const causes: StatusCause[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    causes.push(...invalidEach(field, k, isQualifiedName(k.toLowerCase())));
    size += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) causes.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return causes;
}

/** Go's %#v of a []string. */
function goStrings(values: string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

function versionOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** ValidateOwnerReferences: note upstream reports on the list path, not an indexed one. */
function validateOwnerReferences(refs: ObjectMeta['ownerReferences'], field: string): StatusCause[] {
  if (!refs) return [];
  const causes: StatusCause[] = [];
  let firstController = '';
  for (const ref of refs) {
    if (!versionOf(ref.apiVersion)) causes.push(invalid(`${field}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) causes.push(invalid(`${field}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) causes.push(invalid(`${field}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) causes.push(invalid(`${field}.uid`, ref.uid ?? '', 'uid must not be empty'));
    if (ref.apiVersion === 'v1' && ref.kind === 'Event') {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(ref)}: /v1, Kind=Event is disallowed from being an owner`, field });
    }
    if (ref.controller) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(refs)}: Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          field,
        });
      } else {
        firstController = current;
      }
    }
  }
  return causes;
}

function validateFinalizers(finalizers: unknown, field: string): StatusCause[] {
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers)) return [invalid(field, finalizers, 'must be a list of strings')];
  const causes: StatusCause[] = [];
  const names = finalizers.filter((f): f is string => typeof f === 'string');
  for (const f of names) causes.push(...invalidEach(field, f, isQualifiedName(f)));
  if (names.includes('orphan') && names.includes('foregroundDeletion')) {
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${goStrings(names)}: finalizer orphan and foregroundDeletion cannot be both set`, field });
  }
  return causes;
}

/** ValidateObjectMeta for a create (and, on update, the part that applies to the new object). */
export function validateObjectMeta(meta: ObjectMeta, options: ObjectMetaOptions): StatusCause[] {
  const causes: StatusCause[] = [];
  if (meta.generateName) {
    causes.push(...invalidEach('metadata.generateName', meta.generateName, nameErrors(meta.generateName, options.nameValidation, true)));
  }
  if (!meta.name) {
    causes.push(required('metadata.name', 'name or generateName is required'));
  } else {
    causes.push(...invalidEach('metadata.name', meta.name, nameErrors(meta.name, options.nameValidation, false)));
  }
  causes.push(...validateNonnegative('metadata.generation', meta.generation));
  if (options.namespaced) {
    if (!meta.namespace) causes.push(required('metadata.namespace', ''));
    else causes.push(...invalidEach('metadata.namespace', meta.namespace, isDNS1123Label(meta.namespace)));
  } else if (meta.namespace) {
    causes.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  causes.push(...validateLabels(meta.labels, 'metadata.labels'));
  causes.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  causes.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  causes.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return causes;
}

/** ValidateObjectMetaUpdate: identity fields may not change; labels etc. are re-validated. */
export function validateObjectMetaUpdate(newMeta: ObjectMeta, oldMeta: ObjectMeta): StatusCause[] {
  const causes: StatusCause[] = [];
  if (oldMeta.deletionTimestamp) {
    const old = new Set(oldMeta.finalizers ?? []);
    const extra = [...new Set(newMeta.finalizers ?? [])].filter((f) => !old.has(f)).sort();
    if (extra.length > 0) {
      causes.push(forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${goStrings(extra)}`));
    }
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    causes.push(invalid('metadata.generation', newMeta.generation ?? 0, 'must not be decremented'));
  }
  const same = (a: unknown, b: unknown) => (a ?? '') === (b ?? '');
  const identity: (keyof ObjectMeta)[] = ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
  for (const key of identity) {
    if (!same(newMeta[key], oldMeta[key])) causes.push(immutable(`metadata.${key}`, newMeta[key] ?? null));
  }
  causes.push(...validateLabels(newMeta.labels, 'metadata.labels'));
  causes.push(...validateAnnotations(newMeta.annotations, 'metadata.annotations'));
  causes.push(...validateOwnerReferences(newMeta.ownerReferences, 'metadata.ownerReferences'));
  return causes;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** utilrand.String(5) over kube's vowel-free alphabet, so generated names never spell words. */
export function generateNameSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return s;
}

/** names.SimpleNameGenerator: the base is cut so the generated name stays a valid 63-char label. */
export function generateNameFrom(base: string): string {
  const maxBase = 63 - 5;
  return (base.length > maxBase ? base.slice(0, maxBase) : base) + generateNameSuffix();
}

/** How kube-apiserver validates the names of a resource (ValidateXName per kind). */
export function nameValidationFor(def: Pick<ResourceDef, 'group' | 'plural'>): NameValidation {
  if (def.group === '' && def.plural === 'namespaces') return 'label';
  // StatefulSet names become pod hostnames ("<name>-0"), so they must be DNS labels.
  if (def.group === 'apps' && def.plural === 'statefulsets') return 'label';
  if (def.group === '' && def.plural === 'services') return 'dns1035';
  if (def.group === 'rbac.authorization.k8s.io') return 'path';
  return 'subdomain';
}

/** Adapter with the shape the generic store's MetaValidation dependency expects. */
export const objectMetaValidation = {
  create(obj: KubeObject, def: ResourceDef): StatusCause[] {
    return validateObjectMeta(obj.metadata ?? {}, { namespaced: def.namespaced, nameValidation: nameValidationFor(def) });
  },
  update(obj: KubeObject, old: KubeObject, _def: ResourceDef): StatusCause[] {
    return validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {});
  },
  generateNameSuffix,
};
