// rbac.authorization.k8s.io: rule validation, subject/roleRef defaults and the immutable roleRef.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Strategy } from '../types.js';
import { index, invalid, notSupported, required, type Cause } from './field.js';
import { invalidRendered } from './go-format.js';
import { validateLabelSelector } from './selectors.js';
import { arr, child, defStr, objs, peek, str, type Obj } from './util.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validateRules(obj: KubeObject): Cause[] {
  const causes: Cause[] = [];
  objs(obj, 'rules').forEach((rule, i) => {
    const p = index('rules', i);
    if (arr(rule, 'verbs').length === 0) causes.push(required(`${p}.verbs`, 'verbs must contain at least one value'));
    const nonResource = arr(rule, 'nonResourceURLs');
    if (nonResource.length > 0) {
      if (obj.kind === 'Role') causes.push(invalid(`${p}.nonResourceURLs`, nonResource, 'namespaced rules cannot apply to non-resource URLs'));
      if (arr(rule, 'apiGroups').length > 0 || arr(rule, 'resources').length > 0) {
        causes.push(invalid(`${p}.nonResourceURLs`, nonResource, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (arr(rule, 'apiGroups').length === 0) causes.push(required(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if (arr(rule, 'resources').length === 0) causes.push(required(`${p}.resources`, 'resource rules must supply at least one resource'));
  });
  const aggregation = peek(obj, 'aggregationRule');
  objs(aggregation, 'clusterRoleSelectors').forEach((sel, i) => causes.push(...validateLabelSelector(sel, index('aggregationRule.clusterRoleSelectors', i))));
  return causes;
}

export const roleStrategy: Strategy = {
  tracksGeneration: false,
  validate: validateRules,
  validateUpdate: validateRules,
};

function defaultBinding(obj: KubeObject): void {
  const roleRef = child(obj as Obj, 'roleRef');
  defStr(roleRef, 'apiGroup', RBAC_GROUP);
  for (const subject of objs(obj, 'subjects')) {
    if (subject.kind === 'User' || subject.kind === 'Group') defStr(subject, 'apiGroup', RBAC_GROUP);
    else if (subject.kind === 'ServiceAccount' && subject.apiGroup === undefined) subject.apiGroup = '';
  }
}

function validateBinding(obj: KubeObject, clusterScoped: boolean): Cause[] {
  const causes: Cause[] = [];
  const roleRef = peek(obj, 'roleRef');
  const kinds = clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (str(roleRef, 'apiGroup') !== RBAC_GROUP) causes.push(notSupported('roleRef.apiGroup', roleRef?.apiGroup ?? '', [RBAC_GROUP]));
  const kind = str(roleRef, 'kind');
  if (!kind || !kinds.includes(kind)) causes.push(notSupported('roleRef.kind', kind ?? '', kinds));
  if (!str(roleRef, 'name')) causes.push(required('roleRef.name', ''));
  objs(obj, 'subjects').forEach((subject, i) => {
    const p = index('subjects', i);
    const name = str(subject, 'name');
    if (!name) causes.push(required(`${p}.name`, ''));
    switch (subject.kind) {
      case 'ServiceAccount':
        if (subject.apiGroup) causes.push(notSupported(`${p}.apiGroup`, subject.apiGroup, ['']));
        if (clusterScoped && !str(subject, 'namespace')) causes.push(required(`${p}.namespace`, ''));
        break;
      case 'User':
      case 'Group':
        if (subject.apiGroup !== RBAC_GROUP) causes.push(notSupported(`${p}.apiGroup`, subject.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        causes.push(notSupported(`${p}.kind`, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return causes;
}

function roleRefText(roleRef: Obj | undefined): string {
  const q = (v: unknown) => JSON.stringify(typeof v === 'string' ? v : '');
  return `rbac.RoleRef{APIGroup:${q(roleRef?.apiGroup)}, Kind:${q(roleRef?.kind)}, Name:${q(roleRef?.name)}}`;
}

function validateRoleRefUpdate(obj: KubeObject, old: KubeObject): Cause[] {
  const a = peek(obj, 'roleRef');
  const b = peek(old, 'roleRef');
  if (a?.apiGroup === b?.apiGroup && a?.kind === b?.kind && a?.name === b?.name) return [];
  return [invalidRendered('roleRef', roleRefText(a), 'cannot change roleRef')];
}

export const roleBindingStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults: defaultBinding,
  validate: (obj) => validateBinding(obj, false),
  validateUpdate: (obj, old) => [...validateBinding(obj, false), ...validateRoleRefUpdate(obj, old)],
};

export const clusterRoleBindingStrategy: Strategy = {
  tracksGeneration: false,
  applyDefaults: defaultBinding,
  validate: (obj) => validateBinding(obj, true),
  validateUpdate: (obj, old) => [...validateBinding(obj, true), ...validateRoleRefUpdate(obj, old)],
};
