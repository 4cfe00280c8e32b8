// apps/v1 printers: deployments, replicasets, statefulsets, daemonsets, controllerrevisions.
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../../shared/kube.js';
import type { TablePrinter } from '../types.js';
import { formatLabelSelector, formatLabels, labelSelectorFromObject } from '../selectors/label-selector.js';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, ageOf, column, containerCells, docColumn, int, nameOf } from './table.js';

function as<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

export const deploymentPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    docColumn('Up-to-date', 'string', 'DeploymentStatus.updatedReplicas'),
    docColumn('Available', 'string', 'DeploymentStatus.availableReplicas'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    docColumn('Selector', 'string', 'DeploymentSpec.selector', 1),
  ],
  cells(obj, now) {
    const d = as<Deployment>(obj);
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    let selector: string;
    try {
      // LabelSelectorAsSelector(...).String(): "" (not "<none>") when empty.
      selector = labelSelectorFromObject(d.spec?.selector).toString();
    } catch {
      selector = '<invalid>';
    }
    return [
      nameOf(obj),
      `${int(d.status?.readyReplicas)}/${int(d.spec?.replicas)}`,
      int(d.status?.updatedReplicas),
      int(d.status?.availableReplicas),
      ageOf(obj, now),
      names,
      images,
      selector,
    ];
  },
};

export const replicaSetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Desired', 'integer', 'ReplicaSetSpec.replicas'),
    docColumn('Current', 'integer', 'ReplicaSetStatus.replicas'),
    docColumn('Ready', 'integer', 'ReplicaSetStatus.readyReplicas'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    docColumn('Selector', 'string', 'ReplicaSetSpec.selector', 1),
  ],
  cells(obj, now) {
    const rs = as<ReplicaSet>(obj);
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      int(rs.spec?.replicas),
      int(rs.status?.replicas),
      int(rs.status?.readyReplicas),
      ageOf(obj, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Ready', 'string', 'Number of the pod with ready state'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  cells(obj, now) {
    const ss = as<StatefulSet>(obj);
    const [names, images] = containerCells(ss.spec?.template?.spec?.containers);
    return [nameOf(obj), `${int(ss.status?.readyReplicas)}/${int(ss.spec?.replicas)}`, ageOf(obj, now), names, images];
  },
};

export const daemonSetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    docColumn('Desired', 'integer', 'DaemonSetStatus.desiredNumberScheduled'),
    docColumn('Current', 'integer', 'DaemonSetStatus.currentNumberScheduled'),
    docColumn('Ready', 'integer', 'DaemonSetStatus.numberReady'),
    docColumn('Up-to-date', 'integer', 'DaemonSetStatus.updatedNumberScheduled'),
    docColumn('Available', 'integer', 'DaemonSetStatus.numberAvailable'),
    docColumn('Node Selector', 'string', 'PodSpec.nodeSelector'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    docColumn('Selector', 'string', 'DaemonSetSpec.selector', 1),
  ],
  cells(obj, now) {
    const ds = as<DaemonSet>(obj);
    const st = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      int(st?.desiredNumberScheduled),
      int(st?.currentNumberScheduled),
      int(st?.numberReady),
      int(st?.updatedNumberScheduled),
      int(st?.numberAvailable),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageOf(obj, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};

/** "daemonset.apps/name": the lower-cased GroupKind of the controller plus its name. */
function controllerName(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  if (!ref.kind && !group) return ref.name;
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${groupKind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Controller', 'string', 'Controller of the object'), docColumn('Revision', 'string', 'ControllerRevision.revision'), AGE_COLUMN],
  cells: (obj, now) => [nameOf(obj), controllerName(obj), int(as<ControllerRevision>(obj).revision), ageOf(obj, now)],
};
