// apiextensions.k8s.io/v1 CustomResourceDefinitions: defaults, ValidateCustomResourceDefinition
// (names, group, versions, schema) and, standing in for the naming/establishing controllers, the
// accepted names and NamesAccepted/Established conditions written at create/update time.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy, StrategyContext } from '../types.js';
import { index, invalid, invalidEach, required, validateEnum, type Cause } from './field.js';
import { invalidRendered } from './go-format.js';
import { isDNS1035Label, isDNS1123Subdomain } from './names.js';
import { arr, child, defStr, objs, peek, spec, str, type Obj } from './util.js';
import { rfc3339 } from './time.js';

/** Group, names and the storage version of a CRD, with singular/listKind defaulted. */
export function crdNames(obj: KubeObject): Obj {
  const names = { ...(peek(obj, 'spec') ? peek(peek(obj, 'spec'), 'names') : undefined) };
  const kind = str(names, 'kind') ?? '';
  if (!names.singular) names.singular = kind.toLowerCase();
  if (!names.listKind) names.listKind = `${kind}List`;
  return names;
}

function defaultCRD(obj: KubeObject): void {
  const s = spec(obj);
  const names = child(s, 'names');
  const kind = str(names, 'kind');
  if (kind) {
    defStr(names, 'singular', kind.toLowerCase());
    defStr(names, 'listKind', `${kind}List`);
  }
  const conversion = child(s, 'conversion');
  defStr(conversion, 'strategy', 'None');
  for (const v of objs(s, 'versions')) {
    if (v.served === undefined) v.served = false;
    if (v.storage === undefined) v.storage = false;
  }
}

/** ValidateCustomResourceDefinitionSpec, in upstream order (metadata.name is checked first). */
function validateCRD(obj: KubeObject): Cause[] {
  const s = spec(obj);
  const causes: Cause[] = [];
  const group = str(s, 'group') ?? '';
  const names = peek(s, 'names');
  const plural = str(names, 'plural') ?? '';
  if (obj.metadata.name !== `${plural}.${group}`) {
    causes.push(invalid('metadata.name', obj.metadata.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  }
  const groupErrors = isDNS1123Subdomain(group);
  if (!group) causes.push(required('spec.group', ''));
  else if (groupErrors.length > 0) causes.push(invalid('spec.group', group, groupErrors.join(',')));
  else if (group.split('.').length < 2) causes.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  causes.push(...validateEnum('spec.scope', s.scope, ['Cluster', 'Namespaced'], true));
  const versions = objs(s, 'versions');
  const seen = new Set<string>();
  let unique = true;
  let storage = 0;
  versions.forEach((v, i) => {
    const p = index('spec.versions', i);
    const name = str(v, 'name') ?? '';
    if (v.storage === true) storage++;
    if (seen.has(name)) unique = false;
    seen.add(name);
    const nameErrors = isDNS1035Label(name);
    if (nameErrors.length > 0) causes.push(invalid(`${p}.name`, name, nameErrors.join(',')));
    if (!peek(peek(v, 'schema'), 'openAPIV3Schema')) causes.push(required(`${p}.schema.openAPIV3Schema`, 'schemas are required'));
  });
  if (!unique) causes.push(invalidRendered('spec.versions', versionsText(versions), 'must contain unique version names'));
  if (storage !== 1) causes.push(invalidRendered('spec.versions', versionsText(versions), 'must have exactly one version marked as storage version'));
  for (const f of ['plural', 'singular', 'kind', 'listKind']) {
    if (!str(names, f)) causes.push(required(`spec.names.${f}`, ''));
  }
  for (const f of ['plural', 'singular']) {
    const value = str(names, f);
    const errors = value ? isDNS1035Label(value) : [];
    if (errors.length > 0) causes.push(invalid(`spec.names.${f}`, value, errors.join(',')));
  }
  const kind = str(names, 'kind');
  if (kind && isDNS1035Label(kind.toLowerCase()).length > 0) {
    causes.push(invalid('spec.names.kind', kind, 'may have mixed case, but should otherwise match: ^[a-z]([-a-z0-9]*[a-z0-9])?'));
  }
  const listKind = str(names, 'listKind');
  if (listKind && isDNS1035Label(listKind.toLowerCase()).length > 0) {
    causes.push(invalid('spec.names.listKind', listKind, 'may have mixed case, but should otherwise match: ^[a-z]([-a-z0-9]*[a-z0-9])?'));
  }
  if (kind && listKind && kind === listKind) causes.push(invalid('spec.names.listKind', listKind, 'kind and listKind may not be the same'));
  arr(names, 'shortNames').forEach((sn, i) => {
    if (typeof sn === 'string') causes.push(...invalidEach(index('spec.names.shortNames', i), sn, isDNS1035Label(sn)));
  });
  const conversion = peek(s, 'conversion');
  if (conversion) causes.push(...validateEnum('spec.conversion.strategy', conversion.strategy, ['None', 'Webhook'], true));
  return causes;
}

/** Go's %#v of []apiextensions.CustomResourceDefinitionVersion (pointers shown as placeholders). */
function versionsText(versions: Obj[]): string {
  const one = (v: Obj) =>
    `apiextensions.CustomResourceDefinitionVersion{Name:${JSON.stringify(str(v, 'name') ?? '')}, Served:${v.served === true}, Storage:${v.storage === true}, Deprecated:${v.deprecated === true}, DeprecationWarning:(*string)(nil), Schema:(*apiextensions.CustomResourceValidation)(${peek(v, 'schema') ? '0xc000a1b2c0' : 'nil'}), Subresources:(*apiextensions.CustomResourceSubresources)(${peek(v, 'subresources') ? '0xc000a1b2d0' : 'nil'}), AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}`;
  return `[]apiextensions.CustomResourceDefinitionVersion{${versions.map(one).join(', ')}}`;
}

function establish(obj: KubeObject, ctx: StrategyContext): void {
  const status = child(obj as Obj, 'status');
  const now = rfc3339(ctx.now);
  status.acceptedNames = crdNames(obj);
  const old = objs(status, 'conditions');
  const condition = (type: string, reason: string, message: string): Obj => {
    const previous = old.find((c) => c.type === type && c.status === 'True');
    return { type, status: 'True', lastTransitionTime: previous?.lastTransitionTime ?? now, reason, message };
  };
  status.conditions = [condition('NamesAccepted', 'NoConflicts', 'no conflicts found'), condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted')];
  const storageVersion = objs(peek(obj, 'spec'), 'versions').find((v) => v.storage === true);
  const stored = arr(status, 'storedVersions').filter((v): v is string => typeof v === 'string');
  const name = str(storageVersion, 'name');
  if (name && !stored.includes(name)) stored.push(name);
  status.storedVersions = stored;
}

export const customResourceDefinitionStrategy: Strategy = {
  tracksGeneration: true,
  applyDefaults: defaultCRD,
  prepareForCreate(obj, ctx) {
    obj.status = {};
    establish(obj, ctx);
  },
  prepareForUpdate(obj, old, ctx) {
    obj.status = structuredClone(old.status);
    establish(obj, ctx);
  },
  prepareForStatusUpdate(obj, old) {
    old.status = structuredClone(obj.status);
  },
  validate: validateCRD,
  validateUpdate(obj, old) {
    const causes = validateCRD(obj);
    const s = spec(obj);
    const o = spec(old);
    const established = objs(peek(old, 'status'), 'conditions').some((c) => c.type === 'Established' && c.status === 'True');
    if (established) {
      if (s.scope !== o.scope) causes.push(invalid('spec.scope', s.scope ?? '', 'field is immutable'));
      const kind = str(peek(s, 'names'), 'kind');
      if (kind !== str(peek(o, 'names'), 'kind')) causes.push(invalid('spec.names.kind', kind ?? '', 'field is immutable'));
    }
    if (s.group !== o.group) causes.push(invalid('spec.group', s.group ?? '', 'field is immutable'));
    const plural = str(peek(s, 'names'), 'plural');
    if (plural !== str(peek(o, 'names'), 'plural')) causes.push(invalid('spec.names.plural', plural ?? '', 'field is immutable'));
    return causes;
  },
};
