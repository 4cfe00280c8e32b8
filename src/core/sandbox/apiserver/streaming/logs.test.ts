import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, runningPod, startKubectl, startTestSandbox, type TestSandbox } from './test-sandbox.js';
import { ScriptedContainer } from './test-doubles.js';
import { rfc3339Nano } from './logs.js';

let t: TestSandbox;
const now = Date.now();
const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000);
const entries = [
  { time: at(3600), line: 'started\n' },
  { time: at(600), line: 'ten minutes ago\n' },
  { time: new Date(Math.floor(at(5).getTime() / 1000) * 1000 + 120), line: 'five seconds ago\n' },
];

beforeAll(async () => {
  t = await startTestSandbox();
  await runningPod(t, 'web-1', [new ScriptedContainer('app'), new ScriptedContainer('sidecar')], { app: 'web' });
  await runningPod(t, 'web-2', [new ScriptedContainer('app')], { app: 'web' });
  await runningPod(t, 'starting', [new ScriptedContainer('app')], {}, 'default', { waiting: { reason: 'ContainerCreating' } });
  await runningPod(t, 'badimage', [new ScriptedContainer('app')], {}, 'default', { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } });
  t.backend.setLogs('default', 'web-1', 'app', entries, [{ time: at(7200), line: 'before the restart\n' }]);
  t.backend.setLogs('default', 'web-1', 'sidecar', [{ time: at(10), line: 'sidecar says hi\n' }]);
  t.backend.setLogs('default', 'web-2', 'app', [{ time: at(20), line: 'second replica\n' }]);
  await t.sandbox.controlPlane.client.create({ group: 'apps', resource: 'deployments' }, 'default', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'scripted' }] } } },
  });
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('kubectl logs', () => {
  it('prints the container log; -c picks another container', async () => {
    const r = await kubectl(t, ['logs', 'web-1', '-c', 'app']);
    expect(r.stdout).toBe('started\nten minutes ago\nfive seconds ago\n');
    expect((await kubectl(t, ['logs', 'web-1', '-c', 'sidecar'])).stdout).toBe('sidecar says hi\n');
    const defaulted = await kubectl(t, ['logs', 'web-1']);
    expect(defaulted.stdout).toBe('started\nten minutes ago\nfive seconds ago\n');
    expect(defaulted.stderr).toContain('Defaulted container "app" out of: app, sidecar');
  });

  it('--tail, --since, --since-time, --timestamps, --limit-bytes', async () => {
    expect((await kubectl(t, ['logs', 'web-1', '-c', 'app', '--tail=2'])).stdout).toBe('ten minutes ago\nfive seconds ago\n');
    expect((await kubectl(t, ['logs', 'web-1', '-c', 'app', '--tail=0'])).stdout).toBe('');
    expect((await kubectl(t, ['logs', 'web-1', '-c', 'app', '--since=1m'])).stdout).toBe('five seconds ago\n');
    const sinceTime = at(1200).toISOString();
    expect((await kubectl(t, ['logs', 'web-1', '-c', 'app', `--since-time=${sinceTime}`])).stdout).toBe('ten minutes ago\nfive seconds ago\n');
    const stamped = await kubectl(t, ['logs', 'web-1', '-c', 'app', '--timestamps', '--tail=1']);
    expect(stamped.stdout).toBe(`${rfc3339Nano(entries[2].time)} five seconds ago\n`);
    expect(stamped.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.12Z five/);
    expect((await kubectl(t, ['logs', 'web-1', '-c', 'app', '--limit-bytes=10'])).stdout).toBe('started\nte');
  });

  it('--previous shows the instance before the restart, or says there is none', async () => {
    expect((await kubectl(t, ['logs', 'web-1', '-c', 'app', '--previous'])).stdout).toBe('before the restart\n');
    const none = await kubectl(t, ['logs', 'web-2', '--previous']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('previous terminated container "app" in pod "web-2" not found');
  });

  it('relays the kubelet errors and the apiserver checks', async () => {
    const waiting = await kubectl(t, ['logs', 'starting']);
    expect(waiting.stderr).toContain('container "app" in pod "starting" is waiting to start: ContainerCreating');
    const pulling = await kubectl(t, ['logs', 'badimage']);
    expect(pulling.stderr).toContain('container "app" in pod "badimage" is waiting to start: trying and failing to pull image');
    const invalid = await kubectl(t, ['logs', 'web-1', '-c', 'nope']);
    expect(invalid.stderr).toContain('container nope is not valid for pod web-1');
  });

  it('-l selects pods, --prefix names each line; deploy/x reads a pod of the deployment', async () => {
    const r = await kubectl(t, ['logs', '-l', 'app=web', '--prefix', '-c', 'app']);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([
      '[pod/web-1/app] five seconds ago',
      '[pod/web-1/app] started',
      '[pod/web-1/app] ten minutes ago',
      '[pod/web-2/app] second replica',
    ]);
    const d = await kubectl(t, ['logs', 'deploy/web', '-c', 'app']);
    expect(d.code).toBe(0);
    expect(['started\nten minutes ago\nfive seconds ago\n', 'second replica\n']).toContain(d.stdout);
  });

  it('-f streams new lines until the container ends', async () => {
    const follow = startKubectl(t, ['logs', '-f', 'web-2']);
    await follow.waitFor(/second replica\n/);
    t.backend.log('default', 'web-2', 'app', { time: new Date(), line: 'a new line\n' });
    await follow.waitFor(/a new line\n/);
    t.backend.log('default', 'web-2', 'app', { time: new Date(), line: 'and another\n' });
    await follow.waitFor(/and another\n/);
    t.backend.end('default', 'web-2', 'app');
    expect(await follow.exited).toBe(0);
    expect(follow.stdout()).toBe('second replica\na new line\nand another\n');
  });

  it('-f stops following when kubectl goes away', async () => {
    const follow = startKubectl(t, ['logs', '-f', 'web-1', '-c', 'sidecar']);
    await follow.waitFor(/sidecar says hi\n/);
    expect(t.backend.followerCount('default', 'web-1', 'sidecar')).toBe(1);
    await follow.stop();
    const deadline = Date.now() + 5000;
    while (t.backend.followerCount('default', 'web-1', 'sidecar') > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(t.backend.followerCount('default', 'web-1', 'sidecar')).toBe(0);
  });
});
