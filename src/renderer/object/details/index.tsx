// The details view of each kind; the generic one (metadata, labels, conditions) always comes first.
import type { KubeObject } from '../../../shared/kube.js';
import type { OpenObject } from '../object-links.js';
import { selectorString } from '../object-links.js';
import { CronJobDetails, JobDetails } from './details-batch.js';
import { DeploymentDetails } from './details-deployment.js';
import { GenericDetails } from './details-generic.js';
import { NodeDetails } from './details-node.js';
import { PodDetails } from './details-pod.js';
import { PodsOf } from './details-pods-of.js';
import { ServiceDetails } from './details-service.js';
import { ClaimDetails, VolumeDetails } from './details-storage.js';

export function KindDetails({ clusterId, kind, obj, open }: { clusterId: string; kind: string; obj: KubeObject; open: OpenObject }) {
  const props = { clusterId, obj, open };
  const matchLabels = (obj as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels;
  let specific = null;
  if (kind === 'Pod') specific = <PodDetails {...props} />;
  else if (kind === 'Deployment') specific = <DeploymentDetails {...props} />;
  else if (kind === 'ReplicaSet' || kind === 'StatefulSet' || kind === 'DaemonSet') specific = <PodsOf {...props} labelSelector={selectorString(matchLabels) || undefined} />;
  else if (kind === 'Service') specific = <ServiceDetails {...props} />;
  else if (kind === 'Node') specific = <NodeDetails {...props} />;
  else if (kind === 'Job') specific = <JobDetails {...props} />;
  else if (kind === 'CronJob') specific = <CronJobDetails {...props} />;
  else if (kind === 'PersistentVolumeClaim') specific = <ClaimDetails {...props} />;
  else if (kind === 'PersistentVolume') specific = <VolumeDetails {...props} />;
  return (
    <div className="details" data-details={kind}>
      {specific}
      {/* A node's view shows its conditions first; the others leave them to the generic part. */}
      <GenericDetails obj={obj} kind={kind} open={open} conditions={kind !== 'Node'} />
    </div>
  );
}
