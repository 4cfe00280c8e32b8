// Printers for autoscaling, coordination, rbac, policy, scheduling, node, certificates and
// admissionregistration kinds, as kube-apiserver's printers.go.
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { ClusterRoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { TablePrinter } from '../types.js';
import { humanDuration } from './duration.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, docColumn, int, nameOf } from './table.js';

function as<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

function metricText(spec: MetricSpec, status: MetricStatus | undefined): string {
  const unknown = '<unknown>';
  switch (spec.type) {
    case 'External': {
      const target = spec.external?.target;
      if (target?.averageValue != null) return `${status?.external?.current?.averageValue ?? unknown}/${target.averageValue} (avg)`;
      return `${status?.external ? (status.external.current?.value ?? '0') : unknown}/${target?.value ?? '0'}`;
    }
    case 'Pods':
      return `${status?.pods ? (status.pods.current?.averageValue ?? '0') : unknown}/${spec.pods?.target?.averageValue ?? '0'}`;
    case 'Object': {
      const target = spec.object?.target;
      if (target?.averageValue != null) return `${status?.object?.current?.averageValue ?? unknown}/${target.averageValue} (avg)`;
      return `${status?.object ? (status.object.current?.value ?? '0') : unknown}/${target?.value ?? '0'}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const cur = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      const name = src?.name ?? '';
      if (src?.target?.averageValue != null) return `${name}: ${cur ? (cur.current?.averageValue ?? '0') : unknown}/${src.target.averageValue}`;
      const current = cur?.current?.averageUtilization != null ? `${cur.current.averageUtilization}%` : unknown;
      const target = src?.target?.averageUtilization != null ? `${src.target.averageUtilization}%` : '<auto>';
      return `${name}: ${current}/${target}`;
    }
    default:
      return '<unknown type>';
  }
}

export function formatHpaMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | undefined): string {
  if (!specs || specs.length === 0) return '<none>';
  const max = 2;
  const list = specs.map((spec, i) => metricText(spec, statuses?.[i]));
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

/** autoscaling/v1 objects carry one CPU target; the printer works on the v2 shape like upstream's internal type. */
function asV2(obj: KubeObject): HorizontalPodAutoscaler {
  const hpa = obj as unknown as HorizontalPodAutoscaler & {
    spec?: { targetCPUUtilizationPercentage?: number };
    status?: { currentCPUUtilizationPercentage?: number };
  };
  if (hpa.spec?.metrics || hpa.spec?.targetCPUUtilizationPercentage === undefined) return hpa;
  const metrics: MetricSpec[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: hpa.spec.targetCPUUtilizationPercentage } } }];
  const current = hpa.status?.currentCPUUtilizationPercentage;
  const currentMetrics: MetricStatus[] | undefined =
    current === undefined ? undefined : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }];
  return { ...hpa, spec: { ...hpa.spec, metrics }, status: { ...hpa.status, currentMetrics } } as HorizontalPodAutoscaler;
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Reference', 'string', 'HorizontalPodAutoscalerSpec.scaleTargetRef'),
    docColumn('Targets', 'string', 'HorizontalPodAutoscalerSpec.metrics'),
    docColumn('MinPods', 'string', 'HorizontalPodAutoscalerSpec.minReplicas'),
    docColumn('MaxPods', 'string', 'HorizontalPodAutoscalerSpec.maxReplicas'),
    docColumn('Replicas', 'string', 'HorizontalPodAutoscalerStatus.currentReplicas'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const hpa = asV2(obj);
    const ref = hpa.spec?.scaleTargetRef;
    return [
      nameOf(obj),
      `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
      formatHpaMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
      hpa.spec?.minReplicas != null ? String(hpa.spec.minReplicas) : '<unset>',
      int(hpa.spec?.maxReplicas),
      int(hpa.status?.currentReplicas),
      ageOf(obj, now),
    ];
  },
};

export const leasePrinter: TablePrinter = {
  columns: [NAME_COLUMN, docColumn('Holder', 'string', 'LeaseSpec.holderIdentity'), AGE_COLUMN],
  cells: (obj, now) => [nameOf(obj), as<Lease>(obj).spec?.holderIdentity ?? '', ageOf(obj, now)],
};

/** rbac.SubjectsStrings: users, groups and "namespace/name" service accounts. */
function subjects(list: Subject[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of list ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: 'roleBinding' | 'clusterRoleBinding'): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      docColumn('Role', 'string', what === 'roleBinding' ? 'RoleBinding.roleRef' : 'ClusterRoleBinding.roleRef'),
      AGE_COLUMN,
      column('Users', 'string', `Users in the ${what}`, 1),
      column('Groups', 'string', `Groups in the ${what}`, 1),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    cells(obj, now) {
      const b = as<ClusterRoleBinding>(obj);
      return [nameOf(obj), `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, ageOf(obj, now), ...subjects(b.subjects)];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');

/** intstr.IntOrString.String(). */
function intOrString(v: number | string | undefined): string {
  return v === undefined || v === null ? 'N/A' : String(v);
}

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const pdb = as<PodDisruptionBudget>(obj);
    return [nameOf(obj), intOrString(pdb.spec?.minAvailable), intOrString(pdb.spec?.maxUnavailable), int(pdb.status?.disruptionsAllowed), ageOf(obj, now)];
  },
};

export const priorityClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Value', 'integer', 'PriorityClass.value'),
    docColumn('Global-Default', 'boolean', 'PriorityClass.globalDefault'),
    AGE_COLUMN,
    docColumn('PreemptionPolicy', 'string', 'PriorityClass.preemptionPolicy'),
  ],
  cells(obj, now) {
    const pc = as<PriorityClass>(obj);
    return [nameOf(obj), int(pc.value), pc.globalDefault ?? false, ageOf(obj, now), pc.preemptionPolicy ?? ''];
  },
};

export const runtimeClassPrinter: TablePrinter = {
  // Upstream looks the description up under a key ObjectMeta has not, so it is empty.
  columns: [NAME_COLUMN, column('Handler', 'string', ''), AGE_COLUMN],
  cells: (obj, now) => [nameOf(obj), typeof obj.handler === 'string' ? obj.handler : '', ageOf(obj, now)],
};

function webhookPrinter(): TablePrinter {
  return {
    columns: [NAME_COLUMN, column('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration'), AGE_COLUMN],
    cells: (obj, now) => [nameOf(obj), Array.isArray(obj.webhooks) ? obj.webhooks.length : 0, ageOf(obj, now)],
  };
}

export const mutatingWebhookPrinter = webhookPrinter();
export const validatingWebhookPrinter = webhookPrinter();

function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

export const certificateSigningRequestPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    docColumn('SignerName', 'string', 'CertificateSigningRequestSpec.signerName'),
    docColumn('Requestor', 'string', 'CertificateSigningRequestSpec.request'),
    docColumn('RequestedDuration', 'string', 'CertificateSigningRequestSpec.expirationSeconds'),
    docColumn('Condition', 'string', 'CertificateSigningRequestStatus.conditions'),
  ],
  cells(obj, now) {
    const csr = as<CertificateSigningRequest>(obj);
    const seconds = csr.spec?.expirationSeconds;
    return [
      nameOf(obj),
      ageOf(obj, now),
      csr.spec?.signerName || '<none>',
      csr.spec?.username ?? '',
      seconds != null ? humanDuration(seconds * 1000) : '<none>',
      csrCondition(csr),
    ];
  },
};
