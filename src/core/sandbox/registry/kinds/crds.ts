// apiextensions.k8s.io/v1 CustomResourceDefinitions: defaults, ValidateCustomResourceDefinition
// (names, group, versions, schema) and, standing in for the naming/establishing controllers, the
// accepted names and NamesAccepted/Established conditions written at create/update time.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy, StrategyContext } from '../types.js';
import { duplicate, index, invalid, invalidEach, required, validateEnum, type Cause } from './field.js';
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

function validateCRD(obj: KubeObject): Cause[] {
  const s = spec(obj);
  const causes: Cause[] = [];
  const group = str(s, 'group') ?? '';
  const names = peek(s, 'names');
  const plural = str(names, 'plural') ?? '';
  if (obj.metadata.name !== `${plural}.${group}`) {
    causes.push(invalid('metadata.name', obj.metadata.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  }
  if (!group) causes.push(required('spec.group', ''));
  else {
    causes.push(...invalidEach('spec.group', group, isDNS1123Subdomain(group)));
    if (group.split('.').length < 2) causes.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  causes.push(...validateEnum('spec.scope', s.scope, ['Cluster', 'Namespaced'], true));
  if (!plural) causes.push(required('spec.names.plural', ''));
  else causes.push(...invalidEach('spec.names.plural', plural, isDNS1035Label(plural)));
  const singular = str(names, 'singular');
  if (singular) causes.push(...invalidEach('spec.names.singular', singular, isDNS1035Label(singular)));
  const kind = str(names, 'kind');
  if (!kind) causes.push(required('spec.names.kind', ''));
  else if (!/^[A-Za-z][A-Za-z0-9]*$/.test(kind)) causes.push(invalid('spec.names.kind', kind, 'may have mixed case, but should otherwise match: ^[a-z]([-a-z0-9]*[a-z0-9])?$'));
  if (!str(names, 'listKind')) causes.push(required('spec.names.listKind', ''));
  arr(names, 'shortNames').forEach((sn, i) => {
    if (typeof sn === 'string') causes.push(...invalidEach(index('spec.names.shortNames', i), sn, isDNS1035Label(sn)));
  });
  const versions = objs(s, 'versions');
  if (versions.length === 0) causes.push(required('spec.versions', 'must have exactly one version marked as storage version'));
  const seen = new Set<string>();
  let storage = 0;
  let served = 0;
  versions.forEach((v, i) => {
    const p = index('spec.versions', i);
    const name = str(v, 'name') ?? '';
    if (!name) causes.push(required(`${p}.name`, ''));
    else {
      causes.push(...invalidEach(`${p}.name`, name, isDNS1035Label(name)));
      if (seen.has(name)) causes.push(duplicate(`${p}.name`, name));
      seen.add(name);
    }
    if (v.storage === true) storage++;
    if (v.served === true) served++;
    if (!peek(peek(v, 'schema'), 'openAPIV3Schema')) causes.push(required(`${p}.schema.openAPIV3Schema`, 'schemas are required'));
  });
  if (versions.length > 0 && storage !== 1) {
    causes.push(invalid('spec.versions', versionsText(versions), 'must have exactly one version marked as storage version'));
  }
  if (versions.length > 0 && served === 0) causes.push(invalid('spec.versions', versionsText(versions), 'must have at least one version marked as served'));
  return causes;
}

function versionsText(versions: Obj[]): string {
  return `[]apiextensions.CustomResourceDefinitionVersion{${versions.map((v) => `apiextensions.CustomResourceDefinitionVersion{Name:${JSON.stringify(str(v, 'name') ?? '')}, Served:${v.served === true}, Storage:${v.storage === true}, ...}`).join(', ')}}`;
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
    if (s.group !== o.group) causes.push(invalid('spec.group', s.group ?? '', 'field is immutable'));
    if (s.scope !== o.scope) causes.push(invalid('spec.scope', s.scope ?? '', 'field is immutable'));
    if (str(peek(s, 'names'), 'plural') !== str(peek(o, 'names'), 'plural')) {
      causes.push(invalid('spec.names.plural', str(peek(s, 'names'), 'plural') ?? '', 'field is immutable'));
    }
    return causes;
  },
};
