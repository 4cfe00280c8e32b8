// Warning headers kube-apiserver returns for pods and pod templates (pkg/api/pod/warnings.go and the
// workload strategies' WarningsOnCreate): deprecated node labels, hidden env vars, duplicate ports,
// negative grace periods, dotted names.
import { objs, peek, str, type Obj } from './util.js';

const DEPRECATED_NODE_LABELS: Record<string, string> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
};

export function podSpecWarnings(spec: Obj | undefined, path: string): string[] {
  if (!spec) return [];
  const warnings: string[] = [];
  for (const key of Object.keys(peek(spec, 'nodeSelector') ?? {})) {
    const why = DEPRECATED_NODE_LABELS[key];
    if (why) warnings.push(`${path}.nodeSelector[${key}]: ${why}`);
  }
  const grace = spec.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace < 0) {
    warnings.push(`${path}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1`);
  }
  for (const list of ['initContainers', 'containers']) {
    objs(spec, list).forEach((c, i) => {
      const cPath = `${path}.${list}[${i}]`;
      const seen = new Map<string, number>();
      objs(c, 'env').forEach((env, j) => {
        const name = str(env, 'name');
        if (!name) return;
        if (seen.has(name)) warnings.push(`${cPath}.env[${j}]: hides previous definition of "${name}", which may be dropped when using apply`);
        seen.set(name, j);
      });
      const ports = new Map<string, number>();
      objs(c, 'ports').forEach((port, j) => {
        const k = `${port.containerPort}/${port.protocol ?? 'TCP'}/${port.hostIP ?? ''}/${port.hostPort ?? 0}`;
        const first = ports.get(k);
        if (first !== undefined) warnings.push(`${cPath}.ports[${j}]: duplicate port definition with ${cPath}.ports[${first}]`);
        else ports.set(k, j);
      });
    });
  }
  return warnings;
}

/** Names with dots end up in hostnames; upstream recommends DNS labels with a warning. */
export function dottedNameWarning(name: string | undefined, kind: 'pod' | 'workload'): string[] {
  if (!name || !name.includes('.')) return [];
  const what = kind === 'pod' ? "this is used in the Pod's hostname" : 'this is used in Pod names and hostnames';
  return [`metadata.name: ${what}, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]`];
}
