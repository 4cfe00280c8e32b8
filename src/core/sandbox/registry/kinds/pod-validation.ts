// Pod spec validation as k8s.io/kubernetes/pkg/apis/core/validation ValidatePodSpec and friends:
// volumes, scheduling fields and enums here; containers in container-validation.ts. Upstream field
// paths, wording and order.
import { validateLabels } from '../object-meta.js';
import { validateAllContainers } from './container-validation.js';
import { duplicate, index, invalid, invalidEach, notSupported, required, validateEnum, type Cause } from './field.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names.js';
import { isObj, objs, peek, str, type Obj } from './util.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateVolumes(spec: Obj, path: string): { causes: Cause[]; names: Set<string> } {
  const causes: Cause[] = [];
  const names = new Set<string>();
  objs(spec, 'volumes').forEach((v, i) => {
    const p = index(`${path}.volumes`, i);
    const name = str(v, 'name');
    if (!name) causes.push(required(`${p}.name`, ''));
    else {
      causes.push(...invalidEach(`${p}.name`, name, isDNS1123Label(name)));
      if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
      names.add(name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) causes.push(required(p, 'must specify a volume type'));
    else if (sources.length > 1) causes.push(forbiddenSecondSource(p, sources[1]));
    const cm = peek(v, 'configMap');
    if (cm && !str(cm, 'name')) causes.push(required(`${p}.configMap.name`, ''));
    const secret = peek(v, 'secret');
    if (secret && !str(secret, 'secretName')) causes.push(required(`${p}.secret.secretName`, ''));
    const pvc = peek(v, 'persistentVolumeClaim');
    if (pvc && !str(pvc, 'claimName')) causes.push(required(`${p}.persistentVolumeClaim.claimName`, ''));
    const hostPath = peek(v, 'hostPath');
    if (hostPath && !str(hostPath, 'path')) causes.push(required(`${p}.hostPath.path`, ''));
  });
  return { causes, names };
}

function forbiddenSecondSource(path: string, source: string): Cause {
  return { reason: 'FieldValueForbidden', message: 'Forbidden: may not specify more than 1 volume type', field: `${path}.${source}` };
}

/** ValidateTolerations, at `path` (e.g. "spec.tolerations"). */
export function validateTolerations(tolerations: Obj[], path: string): Cause[] {
  const causes: Cause[] = [];
  tolerations.forEach((t, i) => {
    const p = index(path, i);
    const k = str(t, 'key') ?? '';
    const operator = str(t, 'operator') ?? '';
    const value = str(t, 'value') ?? '';
    if (k) causes.push(...invalidEach(`${p}.key`, k, isQualifiedName(k)));
    if (!k && operator !== 'Exists') {
      causes.push(invalid(`${p}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      causes.push(invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const errs = isValidLabelValue(value);
      if (errs.length > 0) causes.push(invalid(`${p}.operator`, value, errs.join(';')));
    } else if (operator === 'Exists') {
      if (value) causes.push(invalid(`${p}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else {
      causes.push(notSupported(`${p}.operator`, operator, TOLERATION_OPERATORS));
    }
    if (t.effect !== undefined && t.effect !== '') causes.push(...validateEnum(`${p}.effect`, t.effect, TAINT_EFFECTS));
  });
  return causes;
}

/** ValidatePodSpec, at `path` ("spec" or "spec.template.spec"). */
export function validatePodSpec(spec: Obj | undefined, path: string): Cause[] {
  if (!spec) return [required(path, '')];
  const { causes, names: volumes } = validateVolumes(spec, path);
  causes.push(...validateAllContainers(spec, path, volumes));
  causes.push(...validateEnum(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES, true));
  causes.push(...validateEnum(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES, true));
  const nodeSelector = spec.nodeSelector;
  if (nodeSelector !== undefined && !isObj(nodeSelector)) causes.push(invalid(`${path}.nodeSelector`, nodeSelector, 'must be a map of string to string'));
  else causes.push(...validateLabels(nodeSelector, `${path}.nodeSelector`));
  const sa = str(spec, 'serviceAccountName');
  if (sa) causes.push(...invalidEach(`${path}.serviceAccountName`, sa, isDNS1123Subdomain(sa)));
  const nodeName = str(spec, 'nodeName');
  if (nodeName) causes.push(...invalidEach(`${path}.nodeName`, nodeName, isDNS1123Subdomain(nodeName)));
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > 2147483647)) {
    causes.push(invalid(`${path}.activeDeadlineSeconds`, deadline, 'must be between 1 and 2147483647, inclusive'));
  }
  const hostname = str(spec, 'hostname');
  if (hostname) causes.push(...invalidEach(`${path}.hostname`, hostname, isDNS1123Label(hostname)));
  const subdomain = str(spec, 'subdomain');
  if (subdomain) causes.push(...invalidEach(`${path}.subdomain`, subdomain, isDNS1123Label(subdomain)));
  causes.push(...validateTolerations(objs(spec, 'tolerations'), `${path}.tolerations`));
  const priorityClassName = str(spec, 'priorityClassName');
  if (priorityClassName) causes.push(...invalidEach(`${path}.priorityClassName`, priorityClassName, isDNS1123Subdomain(priorityClassName)));
  causes.push(...validateEnum(`${path}.preemptionPolicy`, spec.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  return causes;
}

