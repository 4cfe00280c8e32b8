// Container validation as upstream validateContainers / validateInitContainers /
// validateContainerCommon: names, images, ports, env, mounts, pull policy, resources, probes and
// lifecycle handlers, in upstream order so multi-error 422s list causes the same way.
import { duplicate, forbidden, index, invalid, invalidEach, key, notFound, notSupported, required, validateNonnegative, type Cause } from './field.js';
import { isDNS1123Label, isValidPortName, isValidPortNum } from './names.js';
import { compareQuantity, formatQuantity, isNegative, parseQuantity, QUANTITY_REGEX_MESSAGE, type Quantity } from './quantity.js';
import { num, objs, peek, str, type Obj } from './util.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const RELAXED_ENV_NAME_MSG = "a valid environment variable name must consist only of printable ASCII characters other than '='";

/** Required when empty, NotSupported when unknown (upstream's switch-with-"" pattern). */
function requiredEnum(path: string, value: unknown, valid: string[]): Cause[] {
  if (value === undefined || value === null || value === '') return [required(path, '')];
  return typeof value === 'string' && valid.includes(value) ? [] : [notSupported(path, value, valid)];
}

function validateContainerPorts(c: Obj, path: string): Cause[] {
  const causes: Cause[] = [];
  const names = new Set<string>();
  objs(c, 'ports').forEach((port, i) => {
    const p = index(path, i);
    const name = str(port, 'name');
    if (name) {
      causes.push(...invalidEach(`${p}.name`, name, isValidPortName(name)));
      if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
      names.add(name);
    }
    const containerPort = num(port, 'containerPort') ?? 0;
    if (containerPort === 0) causes.push(required(`${p}.containerPort`, ''));
    else causes.push(...invalidEach(`${p}.containerPort`, containerPort, isValidPortNum(containerPort)));
    const hostPort = num(port, 'hostPort') ?? 0;
    if (hostPort !== 0) causes.push(...invalidEach(`${p}.hostPort`, hostPort, isValidPortNum(hostPort)));
    causes.push(...requiredEnum(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
  return causes;
}

/** IsEnvVarName with RelaxedEnvironmentVariableValidation (beta, on in 1.32). */
function envNameErrors(name: string): string[] {
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(name) ? [] : [RELAXED_ENV_NAME_MSG];
}

function validateEnv(c: Obj, path: string): Cause[] {
  const causes: Cause[] = [];
  objs(c, 'env').forEach((env, i) => {
    const p = index(`${path}.env`, i);
    const name = str(env, 'name');
    if (!name) causes.push(required(`${p}.name`, ''));
    else causes.push(...invalidEach(`${p}.name`, name, envNameErrors(name)));
    const from = peek(env, 'valueFrom');
    if (from) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => from[k] !== undefined);
      if (sources.length === 0) causes.push(invalid(`${p}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (sources.length > 1) causes.push(invalid(`${p}.valueFrom`, '', 'may not have more than one field specified at a time'));
      if (typeof env.value === 'string' && env.value !== '') causes.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
        const r = peek(from, ref);
        if (r && !str(r, 'key')) causes.push(required(`${p}.valueFrom.${ref}.key`, ''));
      }
      const fieldRef = peek(from, 'fieldRef');
      if (fieldRef && !str(fieldRef, 'fieldPath')) causes.push(required(`${p}.valueFrom.fieldRef.fieldPath`, ''));
    }
  });
  objs(c, 'envFrom').forEach((from, i) => {
    const p = index(`${path}.envFrom`, i);
    const prefix = str(from, 'prefix');
    if (prefix) causes.push(...invalidEach(`${p}.prefix`, prefix, envNameErrors(prefix)));
    const sources = ['configMapRef', 'secretRef'].filter((k) => from[k] !== undefined);
    if (sources.length === 0) causes.push(invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources.length > 1) causes.push(invalid(p, '', 'may not have more than one field specified at a time'));
  });
  return causes;
}

function validateVolumeMounts(c: Obj, path: string, volumes: Set<string>): Cause[] {
  const causes: Cause[] = [];
  const mountPaths = new Set<string>();
  objs(c, 'volumeMounts').forEach((m, i) => {
    const p = index(path, i);
    const name = str(m, 'name');
    if (!name) causes.push(required(`${p}.name`, ''));
    else if (!volumes.has(name)) causes.push(notFound(`${p}.name`, name));
    const mountPath = str(m, 'mountPath');
    if (!mountPath) causes.push(required(`${p}.mountPath`, ''));
    else if (mountPaths.has(mountPath)) causes.push(invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    if (mountPath) mountPaths.add(mountPath);
    const subPath = str(m, 'subPath');
    if (subPath && (subPath.startsWith('/') || subPath.split('/').includes('..'))) {
      causes.push(invalid(`${p}.subPath`, subPath, subPath.startsWith('/') ? 'must be a relative path' : "must not contain '..'"));
    }
  });
  return causes;
}

/** Native resources may be overcommitted; hugepages and extended (domain-prefixed) ones may not. */
function overcommitAllowed(name: string): boolean {
  if (name.startsWith('hugepages-')) return false;
  return !name.includes('/') || name.startsWith('kubernetes.io/') || name.includes('.kubernetes.io/');
}

/** ValidateResourceRequirements: quantities, non-negative, requests <= limits (reported on `requests`). */
export function validateResources(resources: Obj | undefined, path: string): Cause[] {
  if (!resources) return [];
  const causes: Cause[] = [];
  const parsed: Record<'limits' | 'requests', Record<string, Quantity>> = { limits: {}, requests: {} };
  for (const list of ['limits', 'requests'] as const) {
    for (const [name, value] of Object.entries(peek(resources, list) ?? {})) {
      const p = key(`${path}.${list}`, name);
      const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
      if (!q) causes.push(invalid(p, value, QUANTITY_REGEX_MESSAGE));
      else if (isNegative(q)) causes.push(invalid(p, formatQuantity(q), 'must be greater than or equal to 0'));
      else parsed[list][name] = q;
    }
  }
  for (const [name, req] of Object.entries(parsed.requests)) {
    const lim = parsed.limits[name];
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

function validatePortNumOrName(port: unknown, path: string): Cause[] {
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  const n = typeof port === 'number' ? port : 0;
  return invalidEach(path, n, isValidPortNum(n));
}

/** validateHandler: exactly one of exec, httpGet, tcpSocket, grpc (probes), sleep (lifecycle). */
function validateHandler(handler: Obj, path: string, types: string[]): Cause[] {
  const causes: Cause[] = [];
  let count = 0;
  for (const type of types) {
    const h = peek(handler, type);
    if (!h) continue;
    if (count++ > 0) {
      causes.push(forbidden(`${path}.${type}`, 'may not specify more than 1 handler type'));
      continue;
    }
    const p = `${path}.${type}`;
    if (type === 'exec' && !(Array.isArray(h.command) && h.command.length > 0)) causes.push(required(`${p}.command`, ''));
    if (type === 'httpGet') {
      if (!str(h, 'path')) causes.push(required(`${p}.path`, ''));
      causes.push(...validatePortNumOrName(h.port, `${p}.port`));
      if (h.scheme !== 'HTTP' && h.scheme !== 'HTTPS') causes.push(notSupported(`${p}.scheme`, h.scheme ?? '', ['HTTP', 'HTTPS']));
    }
    if (type === 'tcpSocket' || type === 'grpc') causes.push(...validatePortNumOrName(h.port, `${p}.port`));
    if (type === 'sleep') causes.push(...validateNonnegative(`${p}.seconds`, h.seconds));
  }
  if (count === 0) causes.push(required(path, 'must specify a handler type'));
  return causes;
}

function validateProbe(probe: Obj | undefined, path: string, kind: 'liveness' | 'readiness' | 'startup'): Cause[] {
  if (!probe) return [];
  const causes = validateHandler(probe, path, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    causes.push(...validateNonnegative(`${path}.${f}`, probe[f]));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace <= 0) causes.push(invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than 0'));
  if (kind === 'readiness' && grace !== undefined && grace !== null) {
    causes.push(invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must not be set for readinessProbes'));
  }
  if (kind !== 'readiness' && typeof probe.successThreshold === 'number' && probe.successThreshold !== 1) {
    causes.push(invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  return causes;
}

function validateLifecycleAndProbes(c: Obj, path: string): Cause[] {
  const causes: Cause[] = [];
  const lifecycle = peek(c, 'lifecycle');
  for (const hook of ['postStart', 'preStop']) {
    const handler = peek(lifecycle, hook);
    if (handler) causes.push(...validateHandler(handler, `${path}.lifecycle.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  }
  causes.push(...validateProbe(peek(c, 'livenessProbe'), `${path}.livenessProbe`, 'liveness'));
  causes.push(...validateProbe(peek(c, 'readinessProbe'), `${path}.readinessProbe`, 'readiness'));
  causes.push(...validateProbe(peek(c, 'startupProbe'), `${path}.startupProbe`, 'startup'));
  return causes;
}

/** validateContainerCommon. */
function validateContainerCommon(c: Obj, path: string, volumes: Set<string>): Cause[] {
  const causes: Cause[] = [];
  const name = str(c, 'name');
  if (!name) causes.push(required(`${path}.name`, ''));
  else causes.push(...invalidEach(`${path}.name`, name, isDNS1123Label(name)));
  if (!str(c, 'image')) causes.push(required(`${path}.image`, ''));
  causes.push(...requiredEnum(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']));
  causes.push(...validateContainerPorts(c, `${path}.ports`));
  causes.push(...validateEnv(c, path));
  causes.push(...validateVolumeMounts(c, `${path}.volumeMounts`, volumes));
  causes.push(...requiredEnum(`${path}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
  causes.push(...validateResources(peek(c, 'resources'), `${path}.resources`));
  return causes;
}

/** validateContainers then validateInitContainers, sharing the set of names. */
export function validateAllContainers(spec: Obj, path: string, volumes: Set<string>): Cause[] {
  const causes: Cause[] = [];
  const containers = objs(spec, 'containers');
  const names = new Set<string>();
  if (containers.length === 0) causes.push(required(`${path}.containers`, ''));
  containers.forEach((c, i) => {
    const p = index(`${path}.containers`, i);
    causes.push(...validateContainerCommon(c, p, volumes));
    const name = str(c, 'name') ?? '';
    if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
    else names.add(name);
    causes.push(...validateLifecycleAndProbes(c, p));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) causes.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  objs(spec, 'initContainers').forEach((c, i) => {
    const p = index(`${path}.initContainers`, i);
    causes.push(...validateContainerCommon(c, p, volumes));
    const restartAlways = c.restartPolicy === 'Always';
    if (c.restartPolicy !== undefined && c.restartPolicy !== null && !restartAlways) {
      causes.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    }
    const name = str(c, 'name') ?? '';
    if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
    else if (name) names.add(name);
    if (restartAlways) causes.push(...validateLifecycleAndProbes(c, p));
    else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined && c[f] !== null) causes.push(forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return causes;
}
