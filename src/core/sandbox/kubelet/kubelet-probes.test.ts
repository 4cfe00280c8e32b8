import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, PODS, startTestCluster, type TestCluster } from './test-cluster.js';

let c: TestCluster;
beforeEach(async () => {
  c = await startTestCluster();
});
afterEach(async () => {
  await c.close();
});

const messages = async (name: string) => (await c.events(name)).map((e) => `${e.type} ${e.reason} ${e.message}`);

describe('probes', () => {
  it('liveness httpGet failing 3 times: Unhealthy events, Killing, restart', async () => {
    await c.createPod({
      metadata: { name: 'live' },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx',
            command: ['listen:80', 'http:80:/healthz:404', 'forever'],
            livenessProbe: { httpGet: { path: '/healthz', port: 80 }, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 3 },
          },
        ],
      },
    });
    await eventually(async () => expect((await c.pod('live')).status?.phase).toBe('Running'));
    await c.advance(14_000);
    expect((await c.pod('live')).status!.containerStatuses![0].restartCount).toBe(0);
    await c.advance(1000);
    await eventually(async () => expect((await c.pod('live')).status?.containerStatuses?.[0].restartCount).toBe(1));
    const events = await c.events('live');
    const unhealthy = events.find((e) => e.reason === 'Unhealthy')!;
    expect(unhealthy.message).toBe('Liveness probe failed: HTTP probe failed with statuscode: 404');
    expect(unhealthy.count).toBe(3);
    expect(unhealthy.type).toBe('Warning');
    expect(unhealthy.involvedObject.fieldPath).toBe('spec.containers{nginx}');
    expect(await messages('live')).toContain('Normal Killing Container nginx failed liveness probe, will be restarted');
    expect(c.runtime.created.filter((x) => x.config.podName === 'live')[0].signals).toEqual(['SIGTERM']);
  });

  it('readiness exec: not ready until the probe passes, then ready; failing again makes it unready', async () => {
    await c.createPod({
      metadata: { name: 'ready' },
      spec: {
        containers: [
          { name: 'app', image: 'nginx', command: ['sleep:12', 'touch:/tmp/ready', 'sleep:20', 'rm:/tmp/ready', 'forever'], readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 5 } },
        ],
      },
    });
    await eventually(async () => expect((await c.pod('ready')).status?.phase).toBe('Running'));
    const notReady = (await c.pod('ready')).status!;
    expect(notReady.containerStatuses![0].ready).toBe(false);
    expect(notReady.conditions!.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    await c.advance(15_000);
    await eventually(async () => expect((await c.pod('ready')).status?.containerStatuses?.[0].ready).toBe(true));
    expect((await c.pod('ready')).status!.conditions!.find((x) => x.type === 'Ready')!.lastTransitionTime).toBe('2026-01-01T00:00:15Z');
    await c.advance(35_000);
    await eventually(async () => expect((await c.pod('ready')).status?.containerStatuses?.[0].ready).toBe(false));
    expect((await c.events('ready')).some((e) => e.reason === 'Unhealthy' && e.message?.startsWith('Readiness probe failed'))).toBe(true);
  });

  it('startup probe gates liveness and started; tcpSocket', async () => {
    await c.createPod({
      metadata: { name: 'slow' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            command: ['sleep:20', 'listen:8080', 'forever'],
            startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 30 },
            livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 10 },
          },
        ],
      },
    });
    await eventually(async () => expect((await c.pod('slow')).status?.phase).toBe('Running'));
    expect((await c.pod('slow')).status!.containerStatuses![0]).toMatchObject({ started: false, ready: false });
    await c.advance(20_000);
    await eventually(async () => expect((await c.pod('slow')).status?.containerStatuses?.[0]).toMatchObject({ started: true, ready: true }));
    expect((await c.events('slow')).find((e) => e.reason === 'Unhealthy')?.message).toMatch(/^Startup probe failed: dial tcp 10\.244\.1\.\d+:8080: connect: connection refused$/);
    expect((await c.pod('slow')).status!.containerStatuses![0].restartCount).toBe(0);
  });
});

describe('lifecycle hooks', () => {
  it('postStart runs in the container; a failing one kills and restarts it', async () => {
    await c.createPod({ metadata: { name: 'hooked' }, spec: { containers: [{ name: 'a', image: 'nginx', lifecycle: { postStart: { exec: { command: ['true'] } } } }] } });
    await eventually(() => expect(c.runtime.latest('hooked', 'a')?.execs).toEqual([['true']]));
    await c.createPod({ metadata: { name: 'badhook' }, spec: { containers: [{ name: 'a', image: 'nginx', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 3'] } } } }] } });
    await eventually(async () => expect((await c.pod('badhook')).status?.containerStatuses?.[0].restartCount).toBeGreaterThanOrEqual(1));
    expect((await c.events('badhook')).find((e) => e.reason === 'FailedPostStartHook')?.message).toBe(
      `Exec lifecycle hook ([sh -c exit 3]) for Container "a" failed - error: command 'sh -c exit 3' exited with 3: `,
    );
  });
});

describe('graceful termination', () => {
  it('preStop, SIGTERM, then the pod is deleted with grace 0 (event Killing)', async () => {
    await c.createPod({ metadata: { name: 'bye' }, spec: { containers: [{ name: 'nginx', image: 'nginx', lifecycle: { preStop: { exec: { command: ['true'] } } } }] } });
    await eventually(async () => expect((await c.pod('bye')).status?.phase).toBe('Running'));
    const deleting = await c.client.delete(PODS, 'default', 'bye');
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    await eventually(async () => expect(await c.client.get(PODS, 'default', 'bye').catch((e: { code: number }) => e.code)).toBe(404));
    const container = c.runtime.latest('bye', 'nginx')!;
    expect(container.execs).toEqual([['true']]);
    expect(container.signals).toEqual(['SIGTERM']);
    expect((await messages('bye'))).toContain('Normal Killing Stopping container nginx');
  });

  it('SIGKILL after the grace period for a container that ignores SIGTERM', async () => {
    await c.createPod({ metadata: { name: 'stubborn' }, spec: { terminationGracePeriodSeconds: 20, containers: [{ name: 'a', image: 'nginx', command: ['ignore-term', 'forever'] }] } });
    await eventually(async () => expect((await c.pod('stubborn')).status?.phase).toBe('Running'));
    await c.client.delete(PODS, 'default', 'stubborn');
    await eventually(() => expect(c.runtime.latest('stubborn', 'a')!.signals).toEqual(['SIGTERM']));
    await c.advance(19_000);
    expect((await c.pod('stubborn')).metadata?.deletionTimestamp).toBeDefined();
    expect(c.runtime.latest('stubborn', 'a')!.signals).toEqual(['SIGTERM']);
    await c.advance(1000);
    await eventually(async () => expect(await c.client.get(PODS, 'default', 'stubborn').catch((e: { code: number }) => e.code)).toBe(404));
    expect(c.runtime.latest('stubborn', 'a')!.signals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('honours a shorter deletion grace period (kubectl delete --grace-period=3)', async () => {
    await c.createPod({ metadata: { name: 'quick' }, spec: { containers: [{ name: 'a', image: 'nginx', command: ['ignore-term', 'forever'] }] } });
    await eventually(async () => expect((await c.pod('quick')).status?.phase).toBe('Running'));
    await c.client.delete(PODS, 'default', 'quick', { gracePeriodSeconds: 3 });
    await c.advance(3000);
    await eventually(async () => expect(await c.client.get(PODS, 'default', 'quick').catch((e: { code: number }) => e.code)).toBe(404));
  });
});
