// Jobs and CronJobs: completions and their pods; a cron job's schedule and the jobs it owns.
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../../shared/kube.js';
import { i18n } from '../../i18n.js';
import { Fields, Section } from '../detail-parts.js';
import { ObjectLink, ownedBy, type OpenObject } from '../object-links.js';
import { objectRpc } from '../object-rpc.js';
import { useRpcData } from '../use-rpc-data.js';
import { PodsOf } from './details-pods-of.js';

export function JobDetails({ clusterId, obj, open }: { clusterId: string; obj: KubeObject; open: OpenObject }) {
  const { t } = i18n;
  const job = obj as unknown as Job;
  const s = job.status ?? {};
  return (
    <>
      <Section title={t('object.status')}>
        <Fields
          rows={[
            [t('object.job.completions'), `${s.succeeded ?? 0}/${job.spec?.completions ?? 1}`],
            [t('object.job.active'), String(s.active ?? 0)],
            [t('object.job.succeeded'), String(s.succeeded ?? 0)],
            [t('object.job.failed'), String(s.failed ?? 0)],
          ]}
        />
      </Section>
      <PodsOf clusterId={clusterId} obj={obj} open={open} labelSelector={`batch.kubernetes.io/controller-uid=${obj.metadata.uid ?? ''}`} />
    </>
  );
}

export function CronJobDetails({ clusterId, obj, open }: { clusterId: string; obj: KubeObject; open: OpenObject }) {
  const { t } = i18n;
  const cron = obj as unknown as CronJob;
  const ns = obj.metadata.namespace;
  const jobs = useRpcData(`${clusterId}/${obj.metadata.uid}/${obj.metadata.resourceVersion}/jobs`, () => objectRpc().call('object.list', { clusterId, apiVersion: 'batch/v1', kind: 'Job', namespace: ns }));
  const owned = ownedBy(jobs.data ?? [], obj);
  return (
    <>
      <Section title={t('object.status')}>
        <Fields
          rows={[
            [t('object.cron.schedule'), cron.spec?.schedule],
            [t('object.cron.suspended'), String(cron.spec?.suspend ?? false)],
            [t('object.cron.lastSchedule'), cron.status?.lastScheduleTime],
            [t('object.job.active'), String(cron.status?.active?.length ?? 0)],
          ]}
        />
      </Section>
      <Section title={`${t('object.cron.jobs')} (${owned.length})`}>
        <ul className="links" data-list="jobs">
          {owned.map((j) => (
            <li key={j.metadata.uid}>
              <ObjectLink refTo={{ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name ?? '', namespace: ns }} uid={j.metadata.uid} open={open} label={j.metadata.name} />
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
