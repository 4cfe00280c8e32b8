import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { JOBS, PODS, isPodActive, specOf, statusOf, type Obj } from './common.js';
import { eventsOf, listOf, markPodFinished, startFixture, type Fixture } from './test-fixture.js';
import { backoffDelay, formatIndexes, parseIndexes } from './job-pods.js';

function job(name: string, spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } }, ...spec },
  };
}

const conditions = (j: KubeObject) => (statusOf(j).conditions ?? []) as { type: string; status: string; reason: string; message: string }[];
const activePods = async (f: Fixture) => (await listOf(f.client, PODS)).filter(isPodActive);

describe('JobController', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('runs completions with parallelism, tracks pods with the finalizer, completes', async () => {
    await f.client.create(JOBS, 'default', job('pi', { completions: 3, parallelism: 2 }));
    await f.settle();
    let pods = await activePods(f);
    expect(pods).toHaveLength(2);
    expect(pods[0].metadata.name).toMatch(/^pi-[a-z0-9]{5}$/);
    expect(pods[0].metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    expect(pods[0].metadata.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi' });
    let j = await f.client.get(JOBS, 'default', 'pi');
    expect(statusOf(j)).toMatchObject({ active: 2, startTime: '2026-01-01T00:00:00Z' });
    await f.advance(5000);
    await markPodFinished(f.client, pods[0], f.clock.now(), true);
    await f.settle();
    j = await f.client.get(JOBS, 'default', 'pi');
    expect(statusOf(j)).toMatchObject({ active: 2, succeeded: 1 });
    const done = await f.client.get(PODS, 'default', pods[0].metadata.name ?? '');
    expect(done.metadata.finalizers ?? []).toEqual([]);
    pods = await activePods(f);
    for (const p of pods) await markPodFinished(f.client, p, f.clock.now(), true);
    await f.settle();
    j = await f.client.get(JOBS, 'default', 'pi');
    expect(statusOf(j)).toMatchObject({ succeeded: 3, completionTime: '2026-01-01T00:00:05Z' });
    expect(statusOf(j).active ?? 0).toBe(0);
    expect(conditions(j).map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);
    const events = await eventsOf(f.client, 'pi');
    expect(events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
    expect(events.find((e) => e.reason === 'Completed')).toMatchObject({ message: 'Job completed', type: 'Normal', source: { component: 'job-controller' } });
    expect(f.errors).toEqual([]);
  });

  it('backs off 10 s then 20 s after failures and fails at the backoff limit', async () => {
    await f.client.create(JOBS, 'default', job('fail', { backoffLimit: 2 }));
    await f.settle();
    const podCount = async () => (await listOf(f.client, PODS)).length;
    let [pod] = await activePods(f);
    await markPodFinished(f.client, pod, f.clock.now(), false);
    await f.settle();
    expect(await activePods(f)).toHaveLength(0);
    await f.advance(9_000);
    expect(await activePods(f)).toHaveLength(0);
    await f.advance(1_001);
    [pod] = await activePods(f);
    expect(pod).toBeDefined();
    await markPodFinished(f.client, pod, f.clock.now(), false);
    await f.settle();
    await f.advance(19_000);
    expect(await activePods(f)).toHaveLength(0);
    await f.advance(1_001);
    [pod] = await activePods(f);
    expect(pod).toBeDefined();
    expect(await podCount()).toBe(3);
    await markPodFinished(f.client, pod, f.clock.now(), false);
    await f.settle();
    const j = await f.client.get(JOBS, 'default', 'fail');
    expect(statusOf(j)).toMatchObject({ failed: 3 });
    expect(conditions(j).map((c) => [c.type, c.reason, c.message])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    expect((await eventsOf(f.client, 'fail')).find((e) => e.reason === 'BackoffLimitExceeded')).toMatchObject({ type: 'Warning', message: 'Job has reached the specified backoff limit' });
    await f.advance(600_000);
    expect(await podCount()).toBe(3);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds and deletes its pods', async () => {
    await f.client.create(JOBS, 'default', job('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 2 }));
    await f.settle();
    expect(await activePods(f)).toHaveLength(2);
    await f.advance(29_000);
    expect(await activePods(f)).toHaveLength(2);
    await f.advance(2_000);
    await f.settle();
    expect(await listOf(f.client, PODS)).toHaveLength(0);
    const j = await f.client.get(JOBS, 'default', 'slow');
    expect(conditions(j).find((c) => c.type === 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(statusOf(j).failed).toBe(2);
  });

  it('Indexed mode: one pod per index with the index annotation, label and hostname; completedIndexes', async () => {
    await f.client.create(JOBS, 'default', job('idx', { completionMode: 'Indexed', completions: 3, parallelism: 3 }));
    await f.settle();
    const pods = (await activePods(f)).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    expect(pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])).toEqual(['0', '1', '2']);
    expect(pods.map((p) => p.metadata.labels?.['batch.kubernetes.io/job-completion-index'])).toEqual(['0', '1', '2']);
    expect(pods.map((p) => specOf(p).hostname)).toEqual(['idx-0', 'idx-1', 'idx-2']);
    expect(pods[1].metadata.name).toMatch(/^idx-1-[a-z0-9]{5}$/);
    await markPodFinished(f.client, pods[0], f.clock.now(), true);
    await markPodFinished(f.client, pods[2], f.clock.now(), true);
    await f.settle();
    let j = await f.client.get(JOBS, 'default', 'idx');
    expect(statusOf(j)).toMatchObject({ completedIndexes: '0,2', succeeded: 2, active: 1 });
    await markPodFinished(f.client, pods[1], f.clock.now(), false);
    await f.advance(10_001);
    const retry = (await activePods(f))[0];
    expect(retry.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).toBe('1');
    await markPodFinished(f.client, retry, f.clock.now(), true);
    await f.settle();
    j = await f.client.get(JOBS, 'default', 'idx');
    expect(statusOf(j)).toMatchObject({ completedIndexes: '0-2', succeeded: 3, failed: 1 });
    expect(conditions(j).some((c) => c.type === 'Complete')).toBe(true);
  });

  it('deletes a finished job after ttlSecondsAfterFinished', async () => {
    await f.client.create(JOBS, 'default', job('ttl', { ttlSecondsAfterFinished: 60 }));
    await f.settle();
    await markPodFinished(f.client, (await activePods(f))[0], f.clock.now(), true);
    await f.settle();
    await f.advance(59_000);
    expect((await listOf(f.client, JOBS)).length).toBe(1);
    await f.advance(1_500);
    await f.settle();
    expect((await listOf(f.client, JOBS)).filter((j) => !j.metadata.deletionTimestamp)).toHaveLength(0);
  });

  it('suspend removes pods and says so; resume starts them again', async () => {
    await f.client.create(JOBS, 'default', job('sus', { suspend: true }));
    await f.settle();
    expect(await activePods(f)).toHaveLength(0);
    let j = await f.client.get(JOBS, 'default', 'sus');
    expect(conditions(j).find((c) => c.type === 'Suspended')).toMatchObject({ status: 'True', reason: 'JobSuspended', message: 'Job suspended' });
    await f.client.patch(JOBS, 'default', 'sus', 'merge', { spec: { suspend: false } });
    await f.settle();
    expect(await activePods(f)).toHaveLength(1);
    j = await f.client.get(JOBS, 'default', 'sus');
    expect(conditions(j).find((c) => c.type === 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed' });
  });

  it('podFailurePolicy FailJob on an exit code fails at once', async () => {
    await f.client.create(
      JOBS,
      'default',
      job('pfp', { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'pi', operator: 'In', values: [1] } }] } }),
    );
    await f.settle();
    await markPodFinished(f.client, (await activePods(f))[0], f.clock.now(), false);
    await f.settle();
    const j = await f.client.get(JOBS, 'default', 'pfp');
    const failed = conditions(j).find((c) => c.type === 'Failed');
    expect(failed?.reason).toBe('PodFailurePolicy');
    expect(failed?.message).toMatch(/^Container pi for pod default\/pfp-[a-z0-9]{5} failed with exit code 1 matching FailJob rule at index 0$/);
  });
});

describe('job helpers', () => {
  it('back-off doubles from 10 s and caps at 6 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(backoffDelay)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000, 360_000]);
  });
  it('completed indexes round-trip as ranges', () => {
    expect(formatIndexes(new Set([0, 1, 2, 4, 6, 7]))).toBe('0-2,4,6-7');
    expect([...parseIndexes('0-2,4')]).toEqual([0, 1, 2, 4]);
  });
});
