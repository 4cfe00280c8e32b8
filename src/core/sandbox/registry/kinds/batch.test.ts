import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { cronScheduleError } from './cron.js';
import { createThrough, invalidError, resourceDef, updateThrough } from './strategy-harness.js';

const jobs = resourceDef('batch', 'jobs');
const cronjobs = resourceDef('batch', 'cronjobs');

function piJob(): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi' },
    spec: {
      template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }], restartPolicy: 'Never' } },
      backoffLimit: 4,
    },
  };
}

type JobSpec = Record<string, unknown> & { template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> } };

describe('jobs strategy', () => {
  it('defaults a job and generates its selector and labels from the uid', () => {
    const job = createThrough(jobs, piJob());
    const uid = job.metadata.uid!;
    const spec = job.spec as JobSpec;
    expect(spec.completions).toBe(1);
    expect(spec.parallelism).toBe(1);
    expect(spec.backoffLimit).toBe(4);
    expect(spec.completionMode).toBe('NonIndexed');
    expect(spec.suspend).toBe(false);
    expect(spec.podReplacementPolicy).toBe('TerminatingOrFailed');
    expect(spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': uid,
      'job-name': 'pi',
    });
    expect(job.status).toEqual({});
  });

  it('defaults backoffLimit to 6 and keeps completions unset when only parallelism is given', () => {
    const input = piJob();
    delete (input.spec as JobSpec).backoffLimit;
    (input.spec as JobSpec).parallelism = 2;
    const spec = createThrough(jobs, input).spec as JobSpec;
    expect(spec.backoffLimit).toBe(6);
    expect(spec.parallelism).toBe(2);
    expect(spec.completions).toBeUndefined();
  });

  it('requires restartPolicy OnFailure or Never', () => {
    const input = piJob();
    delete (input.spec as JobSpec).template.spec.restartPolicy;
    const err = invalidError(() => createThrough(jobs, input));
    expect(err.status.message).toBe('Job.batch "pi" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
  });

  it('refuses a hand-written selector without manualSelector', () => {
    const input = piJob();
    (input.spec as JobSpec).selector = { matchLabels: { app: 'pi' } };
    (input.spec as JobSpec).template.metadata = { labels: { app: 'pi' } };
    const causes = invalidError(() => createThrough(jobs, input)).status.details?.causes;
    expect(causes).toContainEqual({
      reason: 'FieldValueInvalid',
      message: expect.stringMatching(
        /^Invalid value: v1\.LabelSelector\{MatchLabels:map\[string\]string\{"app":"pi", "batch\.kubernetes\.io\/controller-uid":"[-0-9a-f]+"\}, MatchExpressions:\[\]v1\.LabelSelectorRequirement\(nil\)\}: `selector` not auto-generated$/,
      ),
      field: 'spec.selector',
    });
    (input.spec as JobSpec).manualSelector = true;
    const manual = createThrough(jobs, input);
    expect((manual.spec as JobSpec).selector).toEqual({ matchLabels: { app: 'pi' } });
    expect((manual.spec as JobSpec).template.metadata.labels).toEqual({ app: 'pi' });
  });

  it('lets a suspended job that never ran change only scheduling directives', () => {
    const input = piJob();
    (input.spec as JobSpec).suspend = true;
    const job = createThrough(jobs, input);
    const rescheduled = structuredClone(job);
    (rescheduled.spec as JobSpec).template.spec.nodeSelector = { disk: 'ssd' };
    expect(() => updateThrough(jobs, job, rescheduled)).not.toThrow();
    (rescheduled.spec as JobSpec).template.spec.containers = [{ name: 'pi', image: 'perl:5.36' }];
    expect(invalidError(() => updateThrough(jobs, job, rescheduled)).status.details?.causes?.map((c) => c.field)).toEqual(['spec.template']);
  });

  it('keeps the pod template immutable', () => {
    const job = createThrough(jobs, piJob());
    const changed = structuredClone(job);
    (changed.spec as JobSpec).template.spec.containers = [{ name: 'pi', image: 'perl:5.36' }];
    const causes = invalidError(() => updateThrough(jobs, job, changed)).status.details?.causes;
    expect(causes?.map((c) => `${c.field}: ${c.message}`)).toContain('spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable');
  });
});

describe('cronjobs strategy', () => {
  function hello(schedule: string): KubeObject {
    return {
      metadata: { name: 'hello' },
      spec: {
        schedule,
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox:1.28', command: ['date'] }], restartPolicy: 'OnFailure' } } } },
      },
    };
  }

  it('defaults a cronjob', () => {
    const cj = createThrough(cronjobs, hello('* * * * *'));
    const spec = cj.spec as Record<string, unknown>;
    expect(spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect((spec.jobTemplate as Record<string, unknown>).metadata).toEqual({ creationTimestamp: null });
    expect(((spec.jobTemplate as { spec: Record<string, unknown> }).spec).backoffLimit).toBeUndefined();
    expect(cj.status).toEqual({});
  });

  it('rejects bad schedules with robfig/cron wording', () => {
    const err = invalidError(() => createThrough(cronjobs, hello('every minute')));
    expect(err.status.details?.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]', field: 'spec.schedule' },
    ]);
    expect(cronScheduleError('*/5 * * * *')).toBeUndefined();
    expect(cronScheduleError('@hourly')).toBeUndefined();
    expect(cronScheduleError('0 0 * JAN-MAR MON')).toBeUndefined();
    expect(cronScheduleError('60 * * * *')).toBe('end of range (60) above maximum (59): 60');
  });

  it('limits names to 52 characters', () => {
    const input = hello('@daily');
    input.metadata.name = 'a'.repeat(53);
    expect(invalidError(() => createThrough(cronjobs, input)).status.details?.causes?.[0].message).toBe(`Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`);
  });
});
