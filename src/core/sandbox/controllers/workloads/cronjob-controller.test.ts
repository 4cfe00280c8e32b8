import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { CRONJOBS, JOBS, PODS, isPodActive, statusOf, type Obj } from './common.js';
import { eventsOf, listOf, markPodFinished, startFixture, type Fixture } from './test-fixture.js';

const T0 = Date.UTC(2026, 0, 1);
const minutes = (ms: number) => Math.floor(ms / 60_000);

function cronJob(name: string, spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: { metadata: { labels: { run: name } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

const jobNames = async (f: Fixture) => (await listOf(f.client, JOBS)).filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name).sort();

async function finishAllPods(f: Fixture): Promise<void> {
  for (const pod of (await listOf(f.client, PODS)).filter(isPodActive)) await markPodFinished(f.client, pod, f.clock.now(), true);
  await f.settle();
}

describe('CronJobController', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture({ start: T0 });
  });
  afterEach(async () => {
    await f.close();
  });

  it('creates <cronjob>-<minutes since epoch> each minute, with the scheduled timestamp, and tracks completion', async () => {
    await f.client.create(CRONJOBS, 'default', cronJob('hello'));
    await f.settle();
    expect(await jobNames(f)).toEqual([]);
    await f.advance(60_000);
    const name = `hello-${minutes(T0) + 1}`;
    expect(await jobNames(f)).toEqual([name]);
    const job = await f.client.get(JOBS, 'default', name);
    expect(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-01T00:01:00Z');
    expect(job.metadata.labels?.run).toBe('hello');
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'hello', controller: true });
    let cj = await f.client.get(CRONJOBS, 'default', 'hello');
    expect(statusOf(cj)).toMatchObject({ lastScheduleTime: '2026-01-01T00:01:00Z', active: [{ kind: 'Job', name, apiVersion: 'batch/v1' }] });
    await f.advance(5_000);
    await finishAllPods(f);
    cj = await f.client.get(CRONJOBS, 'default', 'hello');
    expect(statusOf(cj).active).toBeUndefined();
    expect(statusOf(cj).lastSuccessfulTime).toBe('2026-01-01T00:01:05Z');
    const events = await eventsOf(f.client, 'hello');
    expect(events.map((e) => [e.reason, e.message])).toEqual([
      ['SuccessfulCreate', `Created job ${name}`],
      ['SawCompletedJob', `Saw completed job: ${name}, status: Complete`],
    ]);
    expect(events[0].source.component).toBe('cronjob-controller');
  });

  it('Forbid skips a run while one is active; Replace deletes it; Allow runs both', async () => {
    await f.client.create(CRONJOBS, 'default', cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    await f.client.create(CRONJOBS, 'default', cronJob('replace', { concurrencyPolicy: 'Replace' }));
    await f.client.create(CRONJOBS, 'default', cronJob('allow'));
    await f.advance(60_000);
    await f.advance(60_000);
    const names = await jobNames(f);
    const m1 = minutes(T0) + 1;
    const m2 = m1 + 1;
    expect(names).toEqual([`allow-${m1}`, `allow-${m2}`, `forbid-${m1}`, `replace-${m2}`].sort());
    expect((await eventsOf(f.client, 'replace')).map((e) => e.message)).toContain(`Deleted job replace-${m1}`);
    expect((await eventsOf(f.client, 'forbid')).map((e) => e.reason)).toContain('JobAlreadyActive');
  });

  it('keeps successfulJobsHistoryLimit finished jobs', async () => {
    await f.client.create(CRONJOBS, 'default', cronJob('hist', { successfulJobsHistoryLimit: 2 }));
    for (let i = 0; i < 4; i++) {
      await f.advance(60_000);
      await finishAllPods(f);
    }
    await f.settle();
    const m = minutes(T0);
    expect(await jobNames(f)).toEqual([`hist-${m + 3}`, `hist-${m + 4}`]);
    expect((await eventsOf(f.client, 'hist')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toEqual([`Deleted job hist-${m + 1}`, `Deleted job hist-${m + 2}`]);
  });

  it('suspend stops runs; past the starting deadline a missed run is skipped; too many missed runs warn', async () => {
    await f.client.create(CRONJOBS, 'default', cronJob('late', { schedule: '*/5 * * * *', suspend: true, startingDeadlineSeconds: 10 }));
    await f.advance(5 * 60_000 + 20_000);
    expect(await jobNames(f)).toEqual([]);
    await f.client.patch(CRONJOBS, 'default', 'late', 'merge', { spec: { suspend: false } });
    await f.settle();
    expect(await jobNames(f)).toEqual([]);
    // Runs older than startingDeadlineSeconds are not even considered (upstream v2 controller).
    expect((await eventsOf(f.client, 'late')).filter((e) => e.reason === 'SuccessfulCreate')).toEqual([]);
    await f.advance(5 * 60_000);
    expect(await jobNames(f)).toEqual([`late-${minutes(T0) + 10}`]);

    await f.client.create(CRONJOBS, 'default', cronJob('many', { suspend: true }));
    await f.advance(150 * 60_000);
    await f.client.patch(CRONJOBS, 'default', 'many', 'merge', { spec: { suspend: false } });
    await f.settle();
    const warning = (await eventsOf(f.client, 'many')).find((e) => e.reason === 'TooManyMissedTimes');
    expect(warning?.message).toMatch(/^too many missed start times: \d+\. Set or decrease \.spec\.startingDeadlineSeconds or check clock skew$/);
    expect((await jobNames(f)).filter((n) => n?.startsWith('many-'))).toEqual([`many-${minutes(f.clock.now().getTime())}`]);
  });

  it('a manual job (kubectl create job --from=cronjob) runs normally', async () => {
    const cj = await f.client.create(CRONJOBS, 'default', cronJob('manual', { schedule: '0 0 1 1 *' }));
    const template = (cj.spec as { jobTemplate: { spec: Obj } }).jobTemplate;
    await f.client.create(JOBS, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'manual-now', annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'manual', uid: cj.metadata.uid ?? '', controller: true }] },
      spec: template.spec,
    });
    await f.settle();
    const pods = (await listOf(f.client, PODS)).filter(isPodActive);
    expect(pods).toHaveLength(1);
    await finishAllPods(f);
    const job = await f.client.get(JOBS, 'default', 'manual-now');
    expect((statusOf(job).conditions as { type: string }[]).map((c) => c.type)).toContain('Complete');
  });
});
