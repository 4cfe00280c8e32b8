// Printers for control-plane kinds: componentstatuses, apiservices (kube-aggregator's own table),
// API priority and fairness, admission policies and CSI storage capacities.
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-types/admissionregistration/v1.js';
import type { FlowSchema, PriorityLevelConfiguration } from 'kubernetes-types/flowcontrol/v1.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { TablePrinter } from '../types.js';
import { labelSelectorFromObject } from '../selectors/label-selector.js';
import { AGE_COLUMN, NAME_COLUMN, ageOf, column, docColumn, int, nameOf, type RowPrinter } from './table.js';

function as<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export const componentStatusPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Status of the component conditions'),
    column('Message', 'string', 'Message of the component conditions'),
    column('Error', 'string', 'Error of the component conditions'),
  ],
  cells(obj) {
    const conditions = Array.isArray(obj.conditions) ? obj.conditions.map(rec) : [];
    const healthy = conditions.find((c) => c.type === 'Healthy');
    const status = healthy ? (healthy.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown';
    return [nameOf(obj), status, text(healthy?.message), text(healthy?.error)];
  },
};

/** kube-aggregator's APIService table: SERVICE "Local" for built-in groups. */
export const apiServicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    column('Available', 'string', 'Whether this service is available.'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const svc = spec.service ? rec(spec.service) : undefined;
    const service = svc ? `${text(svc.namespace)}/${text(svc.name)}` : 'Local';
    const conditions = Array.isArray(rec(obj.status).conditions) ? (rec(obj.status).conditions as unknown[]).map(rec) : [];
    const available = conditions.find((c) => c.type === 'Available');
    let status = 'Unknown';
    if (available) {
      const s = text(available.status);
      status = s !== 'True' && text(available.reason) ? `${s} (${text(available.reason)})` : s;
    }
    return [nameOf(obj), service, status, ageOf(obj, now)];
  },
};

export const flowSchemaPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('PriorityLevel', 'string', 'PriorityLevelConfigurationReference.name'),
    docColumn('MatchingPrecedence', 'string', 'FlowSchemaSpec.matchingPrecedence'),
    docColumn('DistinguisherMethod', 'string', 'FlowSchemaSpec.distinguisherMethod'),
    AGE_COLUMN,
    column('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  cells(obj, now) {
    const fs = as<FlowSchema>(obj);
    const dangling = (fs.status?.conditions ?? []).find((c) => c.type === 'Dangling');
    return [
      nameOf(obj),
      fs.spec?.priorityLevelConfiguration?.name ?? '',
      int(fs.spec?.matchingPrecedence),
      fs.spec?.distinguisherMethod?.type ?? '<none>',
      ageOf(obj, now),
      dangling?.status ?? '?',
    ];
  },
  // Lists come back in evaluation order: matching precedence, then name.
  order(objects) {
    return [...objects].sort((a, b) => {
      const pa = int(as<FlowSchema>(a).spec?.matchingPrecedence);
      const pb = int(as<FlowSchema>(b).spec?.matchingPrecedence);
      if (pa !== pb) return pa - pb;
      return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
    });
  },
};

export const priorityLevelPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Type', 'string', 'PriorityLevelConfigurationSpec.type'),
    docColumn('NominalConcurrencyShares', 'string', 'LimitedPriorityLevelConfiguration.nominalConcurrencyShares'),
    docColumn('Queues', 'string', 'QueuingConfiguration.queues'),
    docColumn('HandSize', 'string', 'QueuingConfiguration.handSize'),
    docColumn('QueueLengthLimit', 'string', 'QueuingConfiguration.queueLengthLimit'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const spec = as<PriorityLevelConfiguration>(obj).spec;
    let ncs: unknown = '<none>';
    let queues: unknown = '<none>';
    let handSize: unknown = '<none>';
    let queueLengthLimit: unknown = '<none>';
    if (spec?.limited) {
      ncs = int(spec.limited.nominalConcurrencyShares);
      const q = spec.limited.limitResponse?.queuing;
      if (q) {
        queues = int(q.queues);
        handSize = int(q.handSize);
        queueLengthLimit = int(q.queueLengthLimit);
      }
    }
    return [nameOf(obj), spec?.type ?? '', ncs, queues, handSize, queueLengthLimit, ageOf(obj, now)];
  },
};

export const validatingAdmissionPolicyPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Validations', 'integer', 'Validations indicates the number of validation rules defined in this configuration'),
    column('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const spec = as<ValidatingAdmissionPolicy>(obj).spec;
    const paramKind = spec?.paramKind ? `${spec.paramKind.apiVersion ?? ''}/${spec.paramKind.kind ?? ''}` : '<unset>';
    return [nameOf(obj), (spec?.validations ?? []).length, paramKind, ageOf(obj, now)];
  },
};

export const validatingAdmissionPolicyBindingPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
    column('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const spec = as<ValidatingAdmissionPolicyBinding>(obj).spec;
    let param = '<unset>';
    const ref = spec?.paramRef;
    if (ref) {
      if (ref.name) param = ref.namespace ? `${ref.namespace}/${ref.name}` : `*/${ref.name}`;
      else if (ref.selector) {
        try {
          param = labelSelectorFromObject(ref.selector).toString();
        } catch {
          param = '';
        }
      }
    }
    return [nameOf(obj), spec?.policyName ?? '', param, ageOf(obj, now)];
  },
};

export const csiStorageCapacityPrinter: TablePrinter = {
  columns: [NAME_COLUMN, docColumn('StorageClassName', 'string', 'CSIStorageCapacity.storageClassName'), docColumn('Capacity', 'string', 'CSIStorageCapacity.capacity')],
  cells: (obj) => [nameOf(obj), text(obj.storageClassName), typeof obj.capacity === 'string' ? obj.capacity : '<unset>'],
};

/** The scale subresource (`kubectl get deploy/web --subresource=scale`); its Name column has no "name" format upstream. */
export const scalePrinter: TablePrinter = {
  columns: [
    { ...NAME_COLUMN, format: '' },
    docColumn('Desired', 'integer', 'ScaleSpec.replicas'),
    docColumn('Available', 'integer', 'ScaleStatus.replicas'),
    AGE_COLUMN,
  ],
  cells: (obj, now) => [nameOf(obj), int(rec(obj.spec).replicas as number | undefined), int(rec(obj.status).replicas as number | undefined), ageOf(obj, now)],
};
