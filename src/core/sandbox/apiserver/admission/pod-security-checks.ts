// The Pod Security Standards checks (k8s.io/pod-security-admission/policy) with their exact
// reasons and details. Checks run in upstream's order (their file names): baseline checks, then
// restricted ones; three baseline checks are replaced by a stricter restricted one ("overlap").
import type { KubeObject } from '../../../../shared/kube.js';
import { isObj, objs, peek, str, type Obj } from './util.js';

export type Level = 'privileged' | 'baseline' | 'restricted';

export interface Violation {
  reason: string;
  detail: string;
}

interface CheckInput {
  meta: KubeObject['metadata'];
  spec: Obj;
  /** Policy minor version (1.x); "latest" is the newest known. */
  minor: number;
}

interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** A baseline check that the restricted level replaces with a stricter one. */
  overlap?: boolean;
  /** First policy version that has the check. */
  since?: number;
  run(input: CheckInput): Violation | undefined;
}

export const LATEST_MINOR = 32;

function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

function joinQuote(items: string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

/** "container \"a\"" / "containers \"a\", \"b\"". */
function containerList(names: string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

function allContainers(spec: Obj): Obj[] {
  return [...objs(spec, 'initContainers'), ...objs(spec, 'containers'), ...objs(spec, 'ephemeralContainers')];
}

function sc(c: Obj): Obj | undefined {
  return peek(c, 'securityContext');
}

function name(c: Obj): string {
  return str(c, 'name') ?? '';
}

function sorted(set: Set<string>): string[] {
  return [...set].sort();
}

/** "pod and containers \"a\"" style setter lists. */
function setters(pod: boolean, containers: string[]): string[] {
  const out = pod ? ['pod'] : [];
  if (containers.length > 0) out.push(containerList(containers));
  return out;
}

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function safeSysctls(minor: number): Set<string> {
  const safe = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
  if (minor >= 27) safe.push('net.ipv4.ip_local_reserved_ports');
  if (minor >= 29) safe.push('net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes');
  if (minor >= 32) safe.push('net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem');
  return new Set(safe);
}

const validSeccomp = (type: string | undefined) => type === 'RuntimeDefault' || type === 'Localhost';

const ALLOWED_VOLUME_KEYS = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const RESTRICTED_VOLUME_KEYS = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];

const CHECKS: Check[] = [
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    run: ({ spec }) => {
      const bad = allContainers(spec).filter((c) => sc(c)?.allowPrivilegeEscalation !== false).map(name);
      return bad.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containerList(bad)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
    },
  },
  {
    id: 'appArmorProfile',
    level: 'baseline',
    run: ({ meta, spec, minor }) => {
      const bad: string[] = [];
      for (const [k, v] of Object.entries(meta.annotations ?? {})) {
        if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && v !== '' && v !== 'runtime/default' && !v.startsWith('localhost/')) bad.push(`${k}=${JSON.stringify(v)}`);
      }
      bad.sort();
      if (minor >= 30) {
        const unconfined = (o: Obj | undefined) => str(peek(o, 'appArmorProfile'), 'type') === 'Unconfined';
        const who = setters(unconfined(peek(spec, 'securityContext')), allContainers(spec).filter((c) => unconfined(sc(c))).map(name));
        if (who.length) bad.push(`${who.join(' and ')} must not set securityContext.appArmorProfile.type to "Unconfined"`);
      }
      return bad.length ? { reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', bad.length), detail: bad.join(', ') } : undefined;
    },
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    overlap: true,
    run: ({ spec }) => {
      const caps = new Set<string>();
      const bad: string[] = [];
      for (const c of allContainers(spec)) {
        const added = (peek(sc(c), 'capabilities')?.add as unknown[] | undefined) ?? [];
        const extra = added.filter((a): a is string => typeof a === 'string' && !BASELINE_CAPABILITIES.has(a));
        extra.forEach((a) => caps.add(a));
        if (extra.length) bad.push(name(c));
      }
      return bad.length ? { reason: 'non-default capabilities', detail: `${containerList(bad)} must not include ${joinQuote(sorted(caps))} in securityContext.capabilities.add` } : undefined;
    },
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    since: 22,
    run: ({ spec }) => {
      const missingDrop: string[] = [];
      const adding: string[] = [];
      const caps = new Set<string>();
      for (const c of allContainers(spec)) {
        const capabilities = peek(sc(c), 'capabilities');
        if (!capabilities) {
          missingDrop.push(name(c));
          continue;
        }
        const drop = Array.isArray(capabilities.drop) ? capabilities.drop : [];
        if (!drop.includes('ALL')) missingDrop.push(name(c));
        const add = (Array.isArray(capabilities.add) ? capabilities.add : []).filter((a): a is string => typeof a === 'string' && a !== 'NET_BIND_SERVICE');
        add.forEach((a) => caps.add(a));
        if (add.length) adding.push(name(c));
      }
      const details: string[] = [];
      if (missingDrop.length) details.push(`${containerList(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      if (adding.length) details.push(`${containerList(adding)} must not include ${joinQuote(sorted(caps))} in securityContext.capabilities.add`);
      return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    run: ({ spec }) => {
      const set = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true).map((k) => `${k}=true`);
      return set.length ? { reason: 'host namespaces', detail: set.join(', ') } : undefined;
    },
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    overlap: true,
    run: ({ spec }) => {
      const bad = objs(spec, 'volumes').filter((v) => isObj(v.hostPath)).map(name);
      return bad.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` } : undefined;
    },
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    run: ({ spec }) => {
      const bad: string[] = [];
      const ports = new Set<string>();
      for (const c of allContainers(spec)) {
        const used = objs(c, 'ports').filter((p) => typeof p.hostPort === 'number' && p.hostPort !== 0).map((p) => String(p.hostPort));
        used.forEach((p) => ports.add(p));
        if (used.length) bad.push(name(c));
      }
      const list = sorted(ports);
      return bad.length
        ? { reason: 'hostPort', detail: `${containerList(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}` }
        : undefined;
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    run: ({ spec }) => {
      const bad = allContainers(spec).filter((c) => sc(c)?.privileged === true).map(name);
      return bad.length ? { reason: 'privileged', detail: `${containerList(bad)} must not set securityContext.privileged=true` } : undefined;
    },
  },
  {
    id: 'procMount',
    level: 'baseline',
    run: ({ spec }) => {
      const types = new Set<string>();
      const bad: string[] = [];
      for (const c of allContainers(spec)) {
        const pm = str(sc(c), 'procMount');
        if (pm !== undefined && pm !== 'Default') {
          bad.push(name(c));
          types.add(pm);
        }
      }
      return bad.length ? { reason: 'procMount', detail: `${containerList(bad)} must not set securityContext.procMount to ${joinQuote(sorted(types))}` } : undefined;
    },
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    run: ({ spec }) => {
      const bad: string[] = [];
      const types = new Set<string>();
      for (const v of objs(spec, 'volumes')) {
        if (ALLOWED_VOLUME_KEYS.some((k) => isObj(v[k]))) continue;
        bad.push(name(v));
        types.add(RESTRICTED_VOLUME_KEYS.find((k) => isObj(v[k])) ?? 'unknown');
      }
      const list = sorted(types);
      return bad.length
        ? {
            reason: 'restricted volume types',
            detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
          }
        : undefined;
    },
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    run: ({ spec }) => {
      const podValue = peek(spec, 'securityContext')?.runAsNonRoot;
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of allContainers(spec)) {
        const v = sc(c)?.runAsNonRoot;
        if (typeof v === 'boolean') {
          if (!v) explicit.push(name(c));
        } else if (podValue !== true) implicit.push(name(c));
      }
      const who = setters(podValue === false, explicit);
      if (who.length) return { reason: 'runAsNonRoot != true', detail: `${who.join(' and ')} must not set securityContext.runAsNonRoot=false` };
      if (implicit.length) return { reason: 'runAsNonRoot != true', detail: `pod or ${containerList(implicit)} must set securityContext.runAsNonRoot=true` };
      return undefined;
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    since: 23,
    run: ({ spec }) => {
      const who = setters(peek(spec, 'securityContext')?.runAsUser === 0, allContainers(spec).filter((c) => sc(c)?.runAsUser === 0).map(name));
      return who.length ? { reason: 'runAsUser=0', detail: `${who.join(' and ')} must not set runAsUser=0` } : undefined;
    },
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    run: ({ spec, minor }) => {
      const allowed = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', ...(minor >= 31 ? ['container_engine_t'] : [])]);
      const badTypes = new Set<string>();
      let setUser = false;
      let setRole = false;
      const invalid = (opts: Obj | undefined): boolean => {
        if (!opts) return false;
        let bad = false;
        const type = str(opts, 'type') ?? '';
        if (!allowed.has(type)) {
          bad = true;
          badTypes.add(type);
        }
        if (str(opts, 'user')) {
          bad = true;
          setUser = true;
        }
        if (str(opts, 'role')) {
          bad = true;
          setRole = true;
        }
        return bad;
      };
      const podBad = invalid(peek(peek(spec, 'securityContext'), 'seLinuxOptions'));
      const who = setters(podBad, allContainers(spec).filter((c) => invalid(peek(sc(c), 'seLinuxOptions'))).map(name));
      if (!who.length) return undefined;
      const data: string[] = [];
      // Upstream lists user/role only alongside a bad type; kept as is for identical messages.
      if (badTypes.size) {
        data.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sorted(badTypes))}`);
        if (setUser) data.push('user may not be set');
        if (setRole) data.push('role may not be set');
      }
      return { reason: 'seLinuxOptions', detail: `${who.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
    },
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    overlap: true,
    run: ({ spec }) => {
      const values = new Set<string>();
      const type = (o: Obj | undefined) => (peek(o, 'seccompProfile') ? (str(peek(o, 'seccompProfile'), 'type') ?? '') : undefined);
      const podType = type(peek(spec, 'securityContext'));
      const podBad = podType !== undefined && !validSeccomp(podType);
      if (podBad) values.add(podType as string);
      const bad = allContainers(spec).filter((c) => {
        const t = type(sc(c));
        if (t === undefined || validSeccomp(t)) return false;
        values.add(t);
        return true;
      });
      const who = setters(podBad, bad.map(name));
      return who.length ? { reason: 'seccompProfile', detail: `${who.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(values))}` } : undefined;
    },
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    run: ({ spec }) => {
      const values = new Set<string>();
      const type = (o: Obj | undefined) => (peek(o, 'seccompProfile') ? (str(peek(o, 'seccompProfile'), 'type') ?? '') : undefined);
      const podType = type(peek(spec, 'securityContext'));
      const podBad = podType !== undefined && !validSeccomp(podType);
      if (podBad) values.add(podType as string);
      const podSet = podType !== undefined && !podBad;
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of allContainers(spec)) {
        const t = type(sc(c));
        if (t !== undefined) {
          if (!validSeccomp(t)) {
            explicit.push(name(c));
            values.add(t);
          }
        } else if (!podSet) implicit.push(name(c));
      }
      const who = setters(podBad, explicit);
      if (who.length) return { reason: 'seccompProfile', detail: `${who.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(values))}` };
      if (implicit.length) {
        return { reason: 'seccompProfile', detail: `pod or ${containerList(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
      }
      return undefined;
    },
  },
  {
    id: 'sysctls',
    level: 'baseline',
    run: ({ spec, minor }) => {
      const safe = safeSysctls(minor);
      const bad = objs(peek(spec, 'securityContext'), 'sysctls').map(name).filter((n) => !safe.has(n));
      return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
    },
  },
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    run: ({ spec }) => {
      const hostProcess = (o: Obj | undefined) => peek(o, 'windowsOptions')?.hostProcess === true;
      const who = setters(hostProcess(peek(spec, 'securityContext')), allContainers(spec).filter((c) => hostProcess(sc(c))).map(name));
      return who.length ? { reason: 'hostProcess', detail: `${who.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` } : undefined;
    },
  },
];

/** Violations of `level` at policy version 1.`minor`, in upstream's order. */
export function evaluatePod(level: Level, minor: number, meta: KubeObject['metadata'], spec: Obj): Violation[] {
  if (level === 'privileged') return [];
  const input = { meta, spec, minor: Math.min(minor, LATEST_MINOR) };
  const applies = (c: Check) => (c.since ?? 0) <= input.minor;
  const baseline = CHECKS.filter((c) => c.level === 'baseline' && !c.overlap && applies(c));
  const second = level === 'baseline' ? CHECKS.filter((c) => c.level === 'baseline' && c.overlap && applies(c)) : CHECKS.filter((c) => c.level === 'restricted' && applies(c));
  return [...baseline, ...second].flatMap((c) => c.run(input) ?? []);
}

/** AggregateCheckResult.ForbiddenDetail: `reason (detail), reason (detail)`. */
export function forbiddenDetail(violations: Violation[]): string {
  return violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason)).join(', ');
}
