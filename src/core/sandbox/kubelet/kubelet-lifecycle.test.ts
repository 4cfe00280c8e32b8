import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, PODS, startTestCluster, type TestCluster } from './test-cluster.js';

let c: TestCluster;
beforeEach(async () => {
  c = await startTestCluster();
});
afterEach(async () => {
  await c.close();
});

const reasons = async (name: string) => (await c.events(name)).map((e) => `${e.type} ${e.reason} ${e.message}`);

describe('kubelet pod lifecycle', () => {
  it('runs nginx: Running, IPs from the node podCIDR, conditions, events', async () => {
    await c.createPod({ metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
    const pod = await eventually(async () => {
      const p = await c.pod('web');
      expect(p.status?.phase).toBe('Running');
      return p;
    });
    const s = pod.status!;
    expect(s.podIP).toMatch(/^10\.244\.1\.\d+$/);
    expect(s.podIPs).toEqual([{ ip: s.podIP }]);
    expect(s.hostIP).toBe('172.18.0.3');
    expect(s.qosClass).toBe('BestEffort');
    expect(s.conditions?.map((x) => `${x.type}=${x.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    const cs = s.containerStatuses![0];
    expect(cs).toMatchObject({ name: 'nginx', ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:latest' });
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:/);
    expect(cs.state?.running?.startedAt).toBe('2026-01-01T00:00:00Z');
    const events = await reasons('web');
    expect(events).toEqual(
      expect.arrayContaining([
        'Normal Pulling Pulling image "nginx"',
        'Normal Pulled Successfully pulled image "nginx" in 1.234s (1.234s including waiting). Image size: 72099410 bytes.',
        'Normal Created Created container: nginx',
        'Normal Started Started container nginx',
      ]),
    );
    expect(c.errors).toEqual([]);
  });

  it('gives each pod of a node a different IP', async () => {
    for (const name of ['a', 'b', 'c']) await c.createPod({ metadata: { name }, spec: { containers: [{ name: 'x', image: 'nginx' }] } });
    const ips = await eventually(async () => {
      const all = await Promise.all(['a', 'b', 'c'].map((n) => c.pod(n)));
      const found = all.map((p) => p.status?.podIP);
      expect(found.every(Boolean)).toBe(true);
      return found;
    });
    expect(new Set(ips).size).toBe(3);
  });

  it("gives a deleted pod's IP to the next pod started on its node (lowest free address)", async () => {
    for (const name of ['a', 'b']) await c.createPod({ metadata: { name }, spec: { containers: [{ name: 'x', image: 'nginx' }] } });
    const ipOf = (name: string) => eventually(async () => {
      const ip = (await c.pod(name)).status?.podIP;
      expect(ip).toBeTruthy();
      return ip;
    });
    const a = await ipOf('a');
    const b = await ipOf('b');
    await c.client.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    const node = (await c.pod('b')).spec?.nodeName ?? '';
    await eventually(() => expect(c.fleet.node(node)?.pods().map((p) => p.name)).toEqual(['b']));
    await c.createPod({ metadata: { name: 'c' }, spec: { containers: [{ name: 'x', image: 'nginx' }] } });
    expect(await ipOf('c')).toBe(a);
    expect(b).not.toBe(a);
  });

  it('completes a run-to-completion pod: Succeeded, terminated Completed exit 0 with times', async () => {
    await c.createPod({ metadata: { name: 'job' }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['print:working', 'sleep:5', 'exit:0'] }] } });
    await eventually(async () => expect((await c.pod('job')).status?.phase).toBe('Running'));
    await c.advance(5000);
    const pod = await eventually(async () => {
      const p = await c.pod('job');
      expect(p.status?.phase).toBe('Succeeded');
      return p;
    });
    const term = pod.status!.containerStatuses![0].state!.terminated!;
    expect(term).toMatchObject({ exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:05Z' });
    expect(term.containerID).toBe(pod.status!.containerStatuses![0].containerID);
    const ready = pod.status!.conditions!.find((x) => x.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(c.fleet.logs.read('default', 'job', 'main')).toEqual(['working\n']);
  });

  it('fails a restartPolicy Never pod whose container exits 1', async () => {
    await c.createPod({ metadata: { name: 'bad' }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['exit:1'] }] } });
    const pod = await eventually(async () => {
      const p = await c.pod('bad');
      expect(p.status?.phase).toBe('Failed');
      return p;
    });
    expect(pod.status!.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('restarts a crashing container with back-off 10s, 20s, 40s: CrashLoopBackOff, restartCount, lastState, BackOff event', async () => {
    const created = await c.createPod({ metadata: { name: 'crash' }, spec: { containers: [{ name: 'app', image: 'busybox', command: ['sleep:1', 'exit:2'] }] } });
    const uid = created.metadata!.uid!;
    await eventually(async () => expect((await c.pod('crash')).status?.phase).toBe('Running'));
    await c.advance(1000);
    // First crash: restarted at once.
    await eventually(async () => expect((await c.pod('crash')).status?.containerStatuses?.[0].restartCount).toBe(1));
    await c.advance(1000);
    // Second crash: back-off 10s.
    const waiting = await eventually(async () => {
      const cs = (await c.pod('crash')).status!.containerStatuses![0];
      expect(cs.state?.waiting?.reason).toBe('CrashLoopBackOff');
      return cs;
    });
    expect(waiting.state!.waiting!.message).toBe(`back-off 10s restarting failed container=app pod=crash_default(${uid})`);
    expect(waiting.lastState?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(waiting.restartCount).toBe(1);
    expect((await c.pod('crash')).status?.phase).toBe('Running');
    await c.advance(9000);
    expect((await c.pod('crash')).status!.containerStatuses![0].restartCount).toBe(1);
    await c.advance(1000);
    await eventually(async () => expect((await c.pod('crash')).status?.containerStatuses?.[0].restartCount).toBe(2));
    await c.advance(1000);
    await eventually(async () => expect((await c.pod('crash')).status?.containerStatuses?.[0].state?.waiting?.message).toMatch(/^back-off 20s /));
    expect(await reasons('crash')).toContain(`Warning BackOff Back-off restarting failed container app in pod crash_default(${uid})`);
  });

  it('restartPolicy OnFailure: success ends the pod, failure restarts', async () => {
    await c.createPod({ metadata: { name: 'once' }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'a', image: 'busybox', command: ['exit:0'] }] } });
    await eventually(async () => expect((await c.pod('once')).status?.phase).toBe('Succeeded'));
    await c.createPod({ metadata: { name: 'retry' }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'a', image: 'busybox', command: ['sleep:1', 'exit:3'] }] } });
    await eventually(async () => expect((await c.pod('retry')).status?.phase).toBe('Running'));
    await c.advance(1000);
    await eventually(async () => {
      const p = await c.pod('retry');
      expect(p.status?.containerStatuses?.[0].restartCount).toBe(1);
      expect(p.status?.phase).toBe('Running');
    });
  });

  it('OOMKilled: exit 137 with reason OOMKilled', async () => {
    await c.createPod({ metadata: { name: 'oom' }, spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'busybox', command: ['oom'], resources: { limits: { memory: '64Mi', cpu: '250m' } } }] } });
    await eventually(async () => expect((await c.pod('oom')).status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' }));
    expect(c.runtime.latest('oom', 'a')!.config.memoryLimitBytes).toBe(64 * 1024 * 1024);
    expect(c.runtime.latest('oom', 'a')!.config.cpuLimitNanoCores).toBe(250_000_000);
  });
});

describe('spec changes and deletion', () => {
  it('activeDeadlineSeconds: the pod fails with DeadlineExceeded and its containers are stopped', async () => {
    await c.createPod({ metadata: { name: 'late' }, spec: { activeDeadlineSeconds: 30, containers: [{ name: 'a', image: 'nginx' }] } });
    await eventually(async () => expect((await c.pod('late')).status?.phase).toBe('Running'));
    await c.advance(29_000);
    expect((await c.pod('late')).status?.phase).toBe('Running');
    await c.advance(1000);
    await eventually(async () => {
      const p = await c.pod('late');
      expect(p.status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
      expect(p.status?.containerStatuses?.[0].state?.terminated).toBeDefined();
    });
    expect(await reasons('late')).toContain('Normal DeadlineExceeded Pod was active on the node longer than the specified deadline');
  });

  it('restarts a container whose image changed (kubectl set image on a pod)', async () => {
    await c.createPod({ metadata: { name: 'img' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
    await eventually(async () => expect((await c.pod('img')).status?.phase).toBe('Running'));
    await c.client.patch(PODS, 'default', 'img', 'strategic', { spec: { containers: [{ name: 'web', image: 'nginx:latest' }] } });
    await eventually(async () => {
      const cs = (await c.pod('img')).status!.containerStatuses![0];
      expect(cs.image).toBe('docker.io/library/nginx:latest');
      expect(cs.restartCount).toBe(1);
      expect(cs.state?.running).toBeDefined();
    });
    expect(await reasons('img')).toContain('Normal Killing Container web definition changed, will be restarted');
  });

  it('deletes a pod stuck pulling at once', async () => {
    await c.createPod({ metadata: { name: 'stuck' }, spec: { containers: [{ name: 'a', image: 'nope' }] } });
    await eventually(async () => expect((await c.pod('stuck')).status?.containerStatuses?.[0].state?.waiting?.reason).toBe('ErrImagePull'));
    await c.client.delete(PODS, 'default', 'stuck');
    await eventually(async () => expect(await c.client.get(PODS, 'default', 'stuck').catch((e: { code: number }) => e.code)).toBe(404));
  });
});

describe('init containers', () => {
  const spec = (first: string[]): PodSpec => ({
    initContainers: [
      { name: 'init-a', image: 'busybox', command: first },
      { name: 'init-b', image: 'busybox', command: ['sleep:2', 'exit:0'] },
    ],
    containers: [{ name: 'main', image: 'nginx' }],
  });

  it('runs init containers one after another before the containers', async () => {
    await c.createPod({ metadata: { name: 'init' }, spec: spec(['sleep:3', 'exit:0']) });
    const first = await eventually(async () => {
      const p = await c.pod('init');
      expect(p.status?.initContainerStatuses?.[0].state?.running).toBeDefined();
      return p;
    });
    expect(first.status!.phase).toBe('Pending');
    expect(first.status!.initContainerStatuses![1].state?.waiting?.reason).toBe('PodInitializing');
    expect(first.status!.containerStatuses![0].state?.waiting?.reason).toBe('PodInitializing');
    expect(first.status!.conditions!.find((x) => x.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init-a init-b]' });
    await c.advance(3000);
    await eventually(async () => expect((await c.pod('init')).status?.initContainerStatuses?.[1].state?.running).toBeDefined());
    expect(c.runtime.latest('init', 'main')).toBeUndefined();
    await c.advance(2000);
    const done = await eventually(async () => {
      const p = await c.pod('init');
      expect(p.status?.phase).toBe('Running');
      return p;
    });
    expect(done.status!.initContainerStatuses!.map((s) => s.state?.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(done.status!.conditions!.find((x) => x.type === 'Initialized')?.status).toBe('True');
  });

  it('restarts a failing init container with back-off (Init:CrashLoopBackOff) and never starts the containers', async () => {
    await c.createPod({ metadata: { name: 'initfail' }, spec: spec(['exit:1']) });
    await c.advance(1000);
    await eventually(async () => {
      const p = await c.pod('initfail');
      expect(p.status?.initContainerStatuses?.[0].state?.waiting?.reason).toBe('CrashLoopBackOff');
      expect(p.status?.phase).toBe('Pending');
    });
    expect(c.runtime.latest('initfail', 'main')).toBeUndefined();
  });

  it('fails the pod when an init container fails under restartPolicy Never', async () => {
    await c.createPod({ metadata: { name: 'initnever' }, spec: { ...spec(['exit:1']), restartPolicy: 'Never' } });
    await eventually(async () => expect((await c.pod('initnever')).status?.phase).toBe('Failed'));
  });

  it('sidecars (restartPolicy Always init containers) start first, run beside the containers, stop when the pod completes', async () => {
    await c.createPod({
      metadata: { name: 'side' },
      spec: {
        restartPolicy: 'Never',
        initContainers: [
          { name: 'proxy', image: 'nginx', restartPolicy: 'Always' },
          { name: 'setup', image: 'busybox', command: ['sleep:2', 'exit:0'] },
        ],
        containers: [{ name: 'main', image: 'busybox', command: ['sleep:5', 'exit:0'] }],
      },
    });
    await eventually(async () => {
      const p = await c.pod('side');
      expect(p.status?.initContainerStatuses?.[0]).toMatchObject({ name: 'proxy', started: true, ready: true });
      expect(p.status?.initContainerStatuses?.[1].state?.running).toBeDefined();
    });
    await c.advance(2000);
    await eventually(async () => {
      const p = await c.pod('side');
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.conditions?.find((x) => x.type === 'Initialized')?.status).toBe('True');
      expect(p.status?.initContainerStatuses?.[0].state?.running).toBeDefined();
    });
    await c.advance(5000);
    await eventually(async () => expect((await c.pod('side')).status?.phase).toBe('Succeeded'));
    expect(c.runtime.latest('side', 'proxy')!.signals).toEqual(['SIGTERM']);
    await eventually(async () => expect((await c.pod('side')).status?.initContainerStatuses?.[0].state?.terminated?.exitCode).toBe(0));
  });
});
