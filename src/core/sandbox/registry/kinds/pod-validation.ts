// Pod spec validation as k8s.io/kubernetes/pkg/apis/core/validation ValidatePodSpec and friends:
// the checks users actually hit (names, images, ports, resources, probes, volumes, enums), with
// upstream field paths and wording.
import {
  duplicate,
  index,
  invalid,
  invalidEach,
  key,
  notFound,
  notSupported,
  required,
  validateEnum,
  validateNonnegative,
  type Cause,
} from './field.js';
import { validateLabels } from '../object-meta.js';
import { isCIdentifier, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName, isValidPortNum } from './names.js';
import { compareQuantity, formatQuantity, isNegative, parseQuantity, QUANTITY_REGEX_MESSAGE } from './quantity.js';
import { isObj, num, objs, peek, str, type Obj } from './util.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const HANDLER_TYPES = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validatePorts(c: Obj, path: string): Cause[] {
  const causes: Cause[] = [];
  const names = new Set<string>();
  objs(c, 'ports').forEach((port, i) => {
    const p = index(`${path}.ports`, i);
    const name = str(port, 'name');
    if (name) {
      causes.push(...invalidEach(`${p}.name`, name, isValidPortName(name)));
      if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
      names.add(name);
    }
    const containerPort = port.containerPort;
    if (containerPort === undefined || containerPort === 0) causes.push(required(`${p}.containerPort`, ''));
    else if (typeof containerPort === 'number') causes.push(...invalidEach(`${p}.containerPort`, containerPort, isValidPortNum(containerPort)));
    const hostPort = num(port, 'hostPort');
    if (hostPort) causes.push(...invalidEach(`${p}.hostPort`, hostPort, isValidPortNum(hostPort)));
    causes.push(...validateEnum(`${p}.protocol`, port.protocol, PROTOCOLS, true));
  });
  return causes;
}

/** Native resources (cpu, memory, ephemeral-storage...) may be overcommitted; hugepages and extended resources not. */
function overcommitAllowed(name: string): boolean {
  if (name.startsWith('hugepages-')) return false;
  return !name.includes('/') || name.startsWith('kubernetes.io/') || name.includes('.kubernetes.io/');
}

/** Requests and limits: parsable, non-negative, requests <= limits. */
export function validateResources(resources: Obj | undefined, path: string): Cause[] {
  if (!resources) return [];
  const causes: Cause[] = [];
  const parsed: Record<'limits' | 'requests', Record<string, ReturnType<typeof parseQuantity>>> = { limits: {}, requests: {} };
  for (const list of ['limits', 'requests'] as const) {
    const values = peek(resources, list);
    if (!values) continue;
    for (const [name, value] of Object.entries(values)) {
      const p = key(`${path}.${list}`, name);
      const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
      if (!q) {
        causes.push(invalid(p, value, QUANTITY_REGEX_MESSAGE));
        continue;
      }
      if (isNegative(q)) causes.push(invalid(p, formatQuantity(q), 'must be greater than or equal to 0'));
      parsed[list][name] = q;
    }
  }
  // Upstream reports these on the `requests` path itself, not on the keyed entry.
  for (const [name, req] of Object.entries(parsed.requests)) {
    const lim = parsed.limits[name];
    if (!req) continue;
    if (lim && !overcommitAllowed(name) && compareQuantity(req, lim) !== 0) {
      causes.push(invalid(`${path}.requests`, formatQuantity(req), `must be equal to ${name} limit of ${formatQuantity(lim)}`));
    } else if (lim && compareQuantity(req, lim) > 0) {
      causes.push(invalid(`${path}.requests`, formatQuantity(req), `must be less than or equal to ${name} limit of ${formatQuantity(lim)}`));
    } else if (!lim && !overcommitAllowed(name)) {
      causes.push(required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  return causes;
}

function validateHandler(handler: Obj, path: string, kind: 'probe' | 'lifecycle'): Cause[] {
  const present = HANDLER_TYPES.filter((h) => handler[h] !== undefined);
  if (present.length === 0) return [required(path, 'must specify a handler type')];
  if (present.length > 1) return [invalid(`${path}.${present[1]}`, '', 'may not specify more than 1 handler type')];
  const causes: Cause[] = [];
  const httpGet = peek(handler, 'httpGet');
  if (httpGet) {
    if (httpGet.port === undefined) causes.push(required(`${path}.httpGet.port`, ''));
    causes.push(...validateEnum(`${path}.httpGet.scheme`, httpGet.scheme, ['HTTP', 'HTTPS']));
  }
  const tcp = peek(handler, 'tcpSocket');
  if (tcp && tcp.port === undefined) causes.push(required(`${path}.tcpSocket.port`, ''));
  const exec = peek(handler, 'exec');
  if (exec && (!Array.isArray(exec.command) || exec.command.length === 0)) causes.push(required(`${path}.exec.command`, ''));
  if (kind === 'lifecycle' && handler.grpc !== undefined) causes.push(invalid(`${path}.grpc`, '', 'may not be specified for lifecycle hooks'));
  return causes;
}

function validateProbe(probe: Obj | undefined, path: string): Cause[] {
  if (!probe) return [];
  const causes = validateHandler(probe, path, 'probe');
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    causes.push(...validateNonnegative(`${path}.${f}`, probe[f]));
  }
  return causes;
}

function validateEnv(c: Obj, path: string): Cause[] {
  const causes: Cause[] = [];
  objs(c, 'env').forEach((env, i) => {
    const p = index(`${path}.env`, i);
    const name = str(env, 'name');
    if (!name) causes.push(required(`${p}.name`, ''));
    else if (/^[0-9]/.test(name) || !/^[-._a-zA-Z0-9]+$/.test(name)) {
      causes.push(invalid(`${p}.name`, name, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"));
    }
    if (env.value !== undefined && env.value !== '' && env.valueFrom !== undefined) {
      causes.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
  });
  objs(c, 'envFrom').forEach((from, i) => {
    const prefix = str(from, 'prefix');
    if (prefix) causes.push(...invalidEach(`${index(`${path}.envFrom`, i)}.prefix`, prefix, isCIdentifier(prefix)));
  });
  return causes;
}

function validateContainer(c: Obj, path: string, volumes: Set<string>, isInit: boolean): Cause[] {
  const causes: Cause[] = [];
  const name = str(c, 'name');
  if (!name) causes.push(required(`${path}.name`, ''));
  else causes.push(...invalidEach(`${path}.name`, name, isDNS1123Label(name)));
  if (!str(c, 'image')) causes.push(required(`${path}.image`, ''));
  causes.push(...validateEnum(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES, true));
  causes.push(...validateEnum(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES, true));
  causes.push(...validatePorts(c, path));
  causes.push(...validateEnv(c, path));
  objs(c, 'volumeMounts').forEach((m, i) => {
    const p = index(`${path}.volumeMounts`, i);
    const mountName = str(m, 'name');
    if (!mountName) causes.push(required(`${p}.name`, ''));
    else if (!volumes.has(mountName)) causes.push(notFound(`${p}.name`, mountName));
    if (!str(m, 'mountPath')) causes.push(required(`${p}.mountPath`, ''));
  });
  causes.push(...validateResources(peek(c, 'resources'), `${path}.resources`));
  if (!isInit || c.restartPolicy === 'Always') {
    causes.push(...validateProbe(peek(c, 'livenessProbe'), `${path}.livenessProbe`));
    causes.push(...validateProbe(peek(c, 'readinessProbe'), `${path}.readinessProbe`));
    causes.push(...validateProbe(peek(c, 'startupProbe'), `${path}.startupProbe`));
  } else {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[probe] !== undefined) causes.push(invalid(`${path}.${probe}`, '', `may not be set for init containers without restartPolicy=Always`));
    }
  }
  const lifecycle = peek(c, 'lifecycle');
  for (const hook of ['postStart', 'preStop']) {
    const handler = peek(lifecycle, hook);
    if (handler) causes.push(...validateHandler(handler, `${path}.lifecycle.${hook}`, 'lifecycle'));
  }
  return causes;
}

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
  const containers = objs(spec, 'containers');
  const containerNames = new Set<string>();
  // Duplicate names are reported right after a container's own name checks, as validateContainers does.
  const validateOne = (c: Obj, p: string, isInit: boolean) => {
    const own = validateContainer(c, p, volumes, isInit);
    const nameCauses = own.filter((x) => x.field === `${p}.name`);
    causes.push(...nameCauses);
    const name = str(c, 'name');
    if (name && containerNames.has(name)) causes.push(duplicate(`${p}.name`, name));
    if (name) containerNames.add(name);
    causes.push(...own.filter((x) => x.field !== `${p}.name`));
  };
  if (containers.length === 0) causes.push(required(`${path}.containers`, ''));
  containers.forEach((c, i) => validateOne(c, index(`${path}.containers`, i), false));
  objs(spec, 'initContainers').forEach((c, i) => validateOne(c, index(`${path}.initContainers`, i), true));
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

