// /healthz, /livez and /readyz with their named checks, worded as kube-apiserver words them
// (`kubectl get --raw '/readyz?verbose'` is in the course).

export interface HealthCheck {
  name: string;
  check(): Promise<void> | void;
  /** Endpoints that run this check; all three when absent (kube-apiserver keeps readiness-only checks such as informer-sync and shutdown off /livez and /healthz). */
  endpoints?: ('healthz' | 'livez' | 'readyz')[];
}

export async function runHealth(kind: 'healthz' | 'livez' | 'readyz', checks: HealthCheck[], verbose: boolean, only?: string): Promise<{ code: number; body: string }> {
  const applicable = checks.filter((c) => !c.endpoints || c.endpoints.includes(kind));
  const selected = only ? applicable.filter((c) => c.name === only) : applicable;
  if (only && selected.length === 0) return { code: 404, body: '404 page not found\n' };
  const lines: string[] = [];
  let failed = false;
  for (const c of selected) {
    try {
      await c.check();
      lines.push(`[+]${c.name} ok`);
    } catch {
      failed = true;
      // The reason stays in the server log: kube-apiserver does not tell clients why either.
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  }
  if (only) return { code: failed ? 500 : 200, body: failed ? `internal server error: ${only} check failed\n` : 'ok' };
  if (failed) return { code: 500, body: `${lines.join('\n')}\n${kind} check failed\n` };
  return { code: 200, body: verbose ? `${lines.join('\n')}\n${kind} check passed\n` : 'ok' };
}

/** The post-start hooks kube-apiserver lists; ours are all done once the server listens. */
export const POST_START_HOOKS = [
  'start-apiserver-admission-initializer',
  'generic-apiserver-start-informers',
  'priority-and-fairness-config-consumer',
  'priority-and-fairness-filter',
  'storage-object-count-tracker-hook',
  'start-apiextensions-informers',
  'start-apiextensions-controllers',
  'crd-informer-synced',
  'start-system-namespaces-controller',
  'start-service-ip-repair-controllers',
  'rbac/bootstrap-roles',
  'scheduling/bootstrap-system-priority-classes',
  'start-cluster-authentication-info-controller',
  'start-kube-apiserver-identity-lease-controller',
  'start-legacy-token-tracking-controller',
  'aggregator-reload-proxy-client-cert',
  'start-kube-aggregator-informers',
  'apiservice-registration-controller',
  'apiservice-status-available-controller',
  'kube-apiserver-autoregistration',
];
