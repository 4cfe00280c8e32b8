// Field selectors as kube-apiserver parses them (k8s.io/apimachinery pkg/fields) and checks them
// per kind (the scheme's field label conversion funcs), with upstream's exact error messages.
import type { KubeObject } from '../../../../shared/kube.js';
import { SelectorError } from './errors.js';
import { selectableFields } from './selectable-fields.js';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  value: string;
}

/** fields.EscapeValue: backslash, comma and equals are escaped in a selector value. */
export function escapeFieldValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

function requirementString(r: FieldRequirement): string {
  return `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`;
}

export class FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** A missing field reads as "" (fields.Set.Get). */
  matches(fields: Record<string, string>): boolean {
    return this.requirements.every((r) => {
      const actual = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : '';
      return r.operator === '!=' ? actual !== r.value : actual === r.value;
    });
  }

  /** The value a field must equal, if pinned (e.g. metadata.name, spec.nodeName): lets lists narrow early. */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** fields.UnescapeValue. */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go formats the rune with %v, i.e. as its code point number.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Split on unescaped commas, keeping escapes in place. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const OPERATORS: FieldOperator[] = ['!=', '==', '='];

/** fields.ParseSelector. Throws SelectorError with kube-apiserver's message on bad syntax. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort();
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    let found: { lhs: string; op: FieldOperator; rhs: string } | undefined;
    for (let i = 0; i < part.length && !found; i++) {
      const op = OPERATORS.find((o) => part.startsWith(o, i));
      if (op) found = { lhs: part.slice(0, i), op, rhs: part.slice(i + op.length) };
    }
    if (!found) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    requirements.push({ field: found.lhs, operator: found.op, value: unescapeValue(found.rhs) });
  }
  return new FieldSelector(requirements);
}

export interface ResourceRef {
  group: string;
  plural: string;
}

function resourceKey(r: ResourceRef): string {
  return r.group === '' ? r.plural : `${r.group}/${r.plural}`;
}

const NOT_SUPPORTED = (label: string): string => `field label not supported: ${label}`;

/** Labels a kind accepts (its field label conversion func) and what they are renamed to. */
interface Conversion {
  labels: Record<string, string>;
  error: (label: string) => string;
}

function same(...labels: string[]): Record<string, string> {
  return Object.fromEntries(labels.map((l) => [l, l]));
}

const CONVERSIONS: Record<string, Conversion> = {
  pods: {
    labels: {
      ...same(
        'metadata.name',
        'metadata.namespace',
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'spec.hostNetwork',
        'status.phase',
        'status.podIP',
        'status.podIPs',
        'status.nominatedNodeName',
      ),
      // Old v1 clients send spec.host.
      'spec.host': 'spec.nodeName',
    },
    error: NOT_SUPPORTED,
  },
  nodes: { labels: same('metadata.name', 'spec.unschedulable'), error: NOT_SUPPORTED },
  replicationcontrollers: { labels: same('metadata.name', 'metadata.namespace', 'status.replicas'), error: NOT_SUPPORTED },
  events: {
    labels: same(
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
      'metadata.namespace',
      'metadata.name',
    ),
    error: NOT_SUPPORTED,
  },
  'events.k8s.io/events': {
    // events.k8s.io names map onto the core Event field set.
    labels: {
      reason: 'reason',
      'regarding.kind': 'involvedObject.kind',
      'regarding.namespace': 'involvedObject.namespace',
      'regarding.name': 'involvedObject.name',
      'regarding.uid': 'involvedObject.uid',
      'regarding.apiVersion': 'involvedObject.apiVersion',
      'regarding.resourceVersion': 'involvedObject.resourceVersion',
      'regarding.fieldPath': 'involvedObject.fieldPath',
      reportingController: 'reportingComponent',
      type: 'type',
      'metadata.namespace': 'metadata.namespace',
      'metadata.name': 'metadata.name',
    },
    error: NOT_SUPPORTED,
  },
  namespaces: { labels: same('status.phase', 'metadata.name'), error: NOT_SUPPORTED },
  secrets: { labels: same('type', 'metadata.namespace', 'metadata.name'), error: NOT_SUPPORTED },
  services: { labels: same('metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'), error: NOT_SUPPORTED },
  'batch/jobs': {
    labels: same('metadata.name', 'metadata.namespace', 'status.successful'),
    error: (label) => `field label ${JSON.stringify(label)} not supported for batchv1.Job`,
  },
  'certificates.k8s.io/certificatesigningrequests': { labels: same('metadata.name', 'spec.signerName'), error: NOT_SUPPORTED },
};

const DEFAULT_CONVERSION: Conversion = {
  labels: same('metadata.name', 'metadata.namespace'),
  error: (label) => `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

/** How a custom resource's field selectors are checked: its CRD version's selectableFields. */
export interface CustomResourceFields {
  /** jsonPaths of spec.versions[].selectableFields, with or without the leading dot. */
  selectableFields: string[];
  clusterScoped?: boolean;
}

/** Accepts the field list alone (namespaced) for brevity. */
export type CustomFields = string[] | CustomResourceFields;

function normalizeCustom(custom: CustomFields): CustomResourceFields {
  return Array.isArray(custom) ? { selectableFields: custom } : custom;
}

/** The selectableFields of one served version of a CRD object, for convertFieldSelector/fieldsFor. */
export function customResourceFields(crd: unknown, version: string): CustomResourceFields {
  const spec = typeof crd === 'object' && crd !== null ? ((crd as Record<string, unknown>).spec as Record<string, unknown> | undefined) : undefined;
  const versions = Array.isArray(spec?.versions) ? (spec.versions as Record<string, unknown>[]) : [];
  const v = versions.find((x) => x?.name === version);
  const fields = Array.isArray(v?.selectableFields) ? (v.selectableFields as Record<string, unknown>[]) : [];
  return {
    selectableFields: fields.map((f) => f?.jsonPath).filter((p): p is string => typeof p === 'string'),
    clusterScoped: spec?.scope === 'Cluster',
  };
}

/**
 * Check a parsed selector against what the resource supports and rename legacy labels, as
 * kube-apiserver does before listing. Passing `custom` marks the resource as a custom resource
 * (apiextensions-apiserver's rules: metadata.name, metadata.namespace unless cluster-scoped, and
 * the version's selectableFields). Throws SelectorError with the message of kube-apiserver's 400.
 */
export function convertFieldSelector(resource: ResourceRef, selector: FieldSelector, custom?: CustomFields): FieldSelector {
  let conversion = CONVERSIONS[resourceKey(resource)] ?? DEFAULT_CONVERSION;
  if (custom) {
    const { selectableFields, clusterScoped } = normalizeCustom(custom);
    const extra = selectableFields.map((f) => f.replace(/^\./, ''));
    conversion = { labels: same('metadata.name', ...(clusterScoped ? [] : ['metadata.namespace']), ...extra), error: NOT_SUPPORTED };
  }
  return new FieldSelector(
    selector.requirements.map((r) => {
      const field = Object.prototype.hasOwnProperty.call(conversion.labels, r.field) ? conversion.labels[r.field] : undefined;
      if (field === undefined) throw new SelectorError(conversion.error(r.field));
      return { ...r, field };
    }),
  );
}

/** Parse and check in one go, as the list/watch handler needs it. */
export function parseFieldSelectorFor(resource: ResourceRef, selector: string, custom?: CustomFields): FieldSelector {
  return convertFieldSelector(resource, parseFieldSelector(selector), custom);
}

/** The selectable field set of an object (its kind's GetAttrs/ToSelectableFields). */
export function fieldsFor(resource: ResourceRef, obj: KubeObject, custom?: CustomFields): Record<string, string> {
  return selectableFields(resourceKey(resource), obj, custom ? normalizeCustom(custom).selectableFields : undefined);
}
