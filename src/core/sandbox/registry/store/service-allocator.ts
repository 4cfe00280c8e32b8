// ClusterIPs from 10.96.0.0/12 and NodePorts from 30000-32767, allocated when a Service is written,
// as kube-apiserver's service REST storage does; conflicts are 422 with its wording.
import { randomInt } from 'node:crypto';
import type { KubeObject, StatusCause } from '../../../../shared/kube.js';
import { ApiError } from '../../apiserver/errors.js';
import type { ObjectStorage } from '../../store/storage.js';
import type { ResourceDef } from '../types.js';

const SERVICE_PREFIX = '/registry/services/specs/';
const CIDR_BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const CIDR_SIZE = 1 << 20; // /12
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

interface ServicePort {
  name?: string;
  port?: number;
  nodePort?: number;
}
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
}

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class ServiceAllocator {
  private lock: Promise<void> = Promise.resolve();

  constructor(private readonly storage: ObjectStorage) {}

  /** Serialized: two Services created at once never get the same IP or port. */
  allocate(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined): Promise<void> {
    if (!(def.group === '' && def.plural === 'services')) return Promise.resolve();
    const run = this.lock.then(() => this.allocateNow(obj, old));
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async inUse(exclude: string | undefined): Promise<{ ips: Set<string>; ports: Set<number> }> {
    const list = await this.storage.list({ prefix: SERVICE_PREFIX });
    const ips = new Set<string>();
    const ports = new Set<number>();
    for (const svc of list.items) {
      if (svc.metadata.uid === exclude) continue;
      const spec = (svc.spec ?? {}) as ServiceSpec;
      for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) ips.add(ip);
      for (const p of spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
    }
    return { ips, ports };
  }

  private async allocateNow(obj: KubeObject, old: KubeObject | undefined): Promise<void> {
    const spec = (obj.spec ?? (obj.spec = {})) as ServiceSpec;
    const type = spec.type ?? 'ClusterIP';
    const name = obj.metadata.name ?? '';
    const used = await this.inUse(old?.metadata.uid);
    const causes: StatusCause[] = [];
    if (type !== 'ExternalName' && spec.clusterIP !== 'None') {
      const oldIp = (old?.spec as ServiceSpec | undefined)?.clusterIP;
      if (!spec.clusterIP && oldIp) spec.clusterIP = oldIp;
      if (spec.clusterIP) {
        const n = ipToInt(spec.clusterIP);
        if (n === undefined) {
          // Syntax errors are the strategy's to report.
        } else if (n < CIDR_BASE || n >= CIDR_BASE + CIDR_SIZE) {
          causes.push({ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is 10.96.0.0/12` });
        } else if (used.ips.has(spec.clusterIP) && spec.clusterIP !== oldIp) {
          causes.push({ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated` });
        }
      } else {
        spec.clusterIP = this.freeIp(used.ips);
      }
      spec.clusterIPs = [spec.clusterIP];
    }
    if (type === 'NodePort' || type === 'LoadBalancer') {
      const oldPorts = ((old?.spec as ServiceSpec | undefined)?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p);
      (spec.ports ?? []).forEach((port, i) => {
        if (port.nodePort) {
          if (port.nodePort < NODE_PORT_MIN || port.nodePort > NODE_PORT_MAX) {
            causes.push({ reason: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${port.nodePort}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}` });
          } else if (used.ports.has(port.nodePort) && !oldPorts.includes(port.nodePort)) {
            causes.push({ reason: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${port.nodePort}: provided port is already allocated` });
          }
          used.ports.add(port.nodePort);
        } else {
          port.nodePort = oldPorts[i] && !used.ports.has(oldPorts[i]) ? oldPorts[i] : this.freePort(used.ports);
          used.ports.add(port.nodePort);
        }
      });
    } else {
      for (const port of spec.ports ?? []) if (port.nodePort === 0) delete port.nodePort;
    }
    if (causes.length > 0) throw ApiError.invalid('Service', '', name, causes);
  }

  private freeIp(used: Set<string>): string {
    // Like kube-apiserver, dynamic allocation prefers the upper part of the range, keeping the low
    // addresses (10.96.0.1 for kubernetes, 10.96.0.10 for DNS) for static assignment.
    for (let attempt = 0; attempt < 1000; attempt++) {
      const ip = intToIp(CIDR_BASE + 256 + randomInt(CIDR_SIZE - 512));
      if (!used.has(ip)) return ip;
    }
    throw ApiError.internal('failed to allocate a service IP: the range 10.96.0.0/12 is full');
  }

  private freePort(used: Set<number>): number {
    for (let attempt = 0; attempt < 5000; attempt++) {
      const port = NODE_PORT_MIN + randomInt(NODE_PORT_MAX - NODE_PORT_MIN + 1);
      if (!used.has(port)) return port;
    }
    throw ApiError.internal(`failed to allocate a node port: ${NODE_PORT_MIN}-${NODE_PORT_MAX} is full`);
  }
}
