// The app's drain (what the node panel's Drain runs) against a real two-node sandbox, checked with
// the real kubectl: it refuses as kubectl does when a pod has emptyDir data or no controller, evicting
// nothing; with the options it evicts through the Eviction API, leaves DaemonSet pods, retries what a
// PodDisruptionBudget refuses, and waits until the evicted pods are gone before saying "drained".
import { KubeConfig } from '@kubernetes/client-node';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainNode } from '../../src/core/app/object-actions-drain.js';
import { ObjectActions } from '../../src/core/app/object-actions.js';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';

let sandbox: RunningSandbox;
let kubectl: (args: string[]) => Promise<string>;
let actions: ObjectActions;
const WORKER = 'kubedesk-worker';

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 2 });
  const raw = kubectlFor(sandbox);
  kubectl = async (args) => {
    const result = await raw(args, { timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };
  const config = new KubeConfig();
  config.loadFromFile(sandbox.kubeconfig);
  actions = new ObjectActions(() => config);
  const manifest = join(sandbox.dataDir, 'drain.yaml');
  await writeFile(manifest, `apiVersion: apps/v1
kind: Deployment
metadata: { name: scratch }
spec:
  replicas: 1
  selector: { matchLabels: { app: scratch } }
  template:
    metadata: { labels: { app: scratch } }
    spec:
      # Slow to go: "evicted" must mean gone, not just asked to leave.
      containers: [{ name: nginx, image: nginx, volumeMounts: [{ name: tmp, mountPath: /scratch }], lifecycle: { preStop: { exec: { command: [sleep, '4'] } } } }]
      volumes: [{ name: tmp, emptyDir: {} }]
`);
  await kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
  await kubectl(['create', 'deployment', 'guarded', '--image=nginx', '--replicas=1']);
  await kubectl(['create', 'poddisruptionbudget', 'guarded', '--selector=app=guarded', '--min-available=1']);
  await kubectl(['apply', '-f', manifest]);
  await kubectl(['run', 'lonely', '--image=nginx', '--restart=Never']);
  // A Pending pod may always be evicted: the budget protects the guarded pod once it runs.
  await kubectl(['wait', '--for=condition=Ready', 'pods', '--all', '--timeout=120s']);
}, 240_000);

afterAll(async () => {
  await sandbox?.stop();
  if (sandbox) await removeDir(sandbox.dataDir);
});

/** A pod's name without what its controller generated. */
const base = (pod: string) => pod.replace(/(-[a-z0-9]{6,10})?-[a-z0-9]{5}$/, '');
const podsOnWorker = async () => (await kubectl(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${WORKER}`, '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}'])).trim().split(/\s+/).filter(Boolean).sort();

describe('drain', () => {
  it('refuses, evicting nothing, when a pod has emptyDir data or no controller (as kubectl without options)', async () => {
    const before = await podsOnWorker();
    expect(before.filter((p) => p.startsWith('default/web-'))).toHaveLength(2);
    const report = await drainNode(actions, 'it', WORKER, { timeoutSeconds: 10 });
    expect(report.cordoned).toBe(true);
    expect(report.drained).toBe(false);
    expect(report.evicted).toEqual([]);
    expect(report.blocked.map((b) => `${base(b.pod)} ${b.reason}`).sort()).toEqual([
      'default/lonely cannot delete Pods that declare no controller (use --force to override)',
      'default/scratch cannot delete Pods with local storage (use --delete-emptydir-data to override)',
    ]);
    expect(report.skipped.map((s) => s.pod)).toContainEqual(expect.stringMatching(/^kube-system\/kube-proxy-/));
    expect(report.log.join('\n')).toMatch(/^node\/kubedesk-worker cordoned\nWarning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-\S+\nerror: unable to drain node "kubedesk-worker" due to error: /);
    expect(await podsOnWorker()).toEqual(before);
    expect(await kubectl(['get', 'node', WORKER, '-o', 'jsonpath={.spec.unschedulable}'])).toBe('true');
  });

  it('with --delete-emptydir-data and --force: evicts, retries what the budget refuses, waits for the pods to be gone', async () => {
    const lines: string[] = [];
    const at = new Map<string, number>();
    const onProgress = (line: string) => {
      lines.push(line);
      at.set(line.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}\b/g, ''), Date.now());
    };
    const report = await drainNode(actions, 'it', WORKER, { timeoutSeconds: 12, retryMs: 2000, deleteEmptyDirData: true, force: true, onProgress });
    // The cluster's own Deployments (coredns, ingress controller) on that node go too, as with kubectl.
    expect(report.evicted.map(base).filter((p) => p.startsWith('default/'))).toEqual(['default/lonely', 'default/scratch', 'default/web', 'default/web']);
    expect(report.blocked).toHaveLength(1);
    expect(report.blocked[0].pod).toMatch(/^default\/guarded-/);
    expect(report.blocked[0].reason).toMatch(/disruption budget/);
    expect(report.drained).toBe(false);
    expect(lines).toEqual(report.log);
    const log = lines.join('\n');
    // kubectl's one warning line.
    const warning = lines.filter((l) => l.startsWith('Warning: '));
    expect(warning).toHaveLength(1);
    expect(warning[0].slice('Warning: '.length).split('; ').map(base).sort()).toEqual([
      'deleting Pods that declare no controller: default/lonely',
      'deleting Pods with local storage: default/scratch',
      'ignoring DaemonSet-managed Pods: kube-system/kube-proxy',
    ]);
    expect(log).toMatch(/error when evicting pods\/"guarded-\S+" -n "default": global timeout reached: 12s/);
    expect(log).toMatch(/error: unable to drain node "kubedesk-worker" due to error: \[error when evicting pods\/"guarded-\S+" -n "default": global timeout reached: 12s\]; the node stays cordoned$/);
    // Evictions run in parallel, as kubectl's: their lines interleave.
    expect(log).toMatch(/evicting pod default\/guarded-/);
    expect(log).toMatch(/error when evicting pods\/"guarded-\S+" -n "default" \(will retry after 2s\): Cannot evict pod as it would violate the pod's disruption budget/);
    expect(log).toMatch(/pod\/lonely evicted/);
    // Its preStop hook takes 4 s: "pod/scratch-… evicted" comes once it is gone, not when asked to leave.
    expect((at.get('pod/scratch evicted') ?? 0) - (at.get('evicting pod default/scratch') ?? Infinity)).toBeGreaterThanOrEqual(3500);
    // "evicted" means gone, as kubectl waits for it: only the guarded pod and the DaemonSet's remain.
    expect((await podsOnWorker()).map(base)).toEqual(['default/guarded', 'kube-system/kube-proxy']);
  }, 120_000);

  it('finishes once the budget allows it, and says the node is drained', async () => {
    const drained = drainNode(actions, 'it', WORKER, { timeoutSeconds: 90, retryMs: 1000 });
    // Refused at least once before the budget goes.
    await new Promise((r) => setTimeout(r, 2500));
    await kubectl(['delete', 'poddisruptionbudget', 'guarded']);
    const report = await drained;
    expect(report.blocked).toEqual([]);
    expect(report.terminating).toEqual([]);
    expect(report.drained).toBe(true);
    expect(report.evicted).toEqual([expect.stringMatching(/^default\/guarded-/)]);
    expect(report.log.at(-1)).toBe('node/kubedesk-worker drained');
    expect((await podsOnWorker()).map(base)).toEqual(['kube-system/kube-proxy']);
  }, 120_000);

  it('names the pods still terminating at the deadline', async () => {
    await kubectl(['uncordon', WORKER]);
    const manifest = join(sandbox.dataDir, 'slow.yaml');
    await writeFile(manifest, `apiVersion: apps/v1
kind: Deployment
metadata: { name: slow }
spec:
  replicas: 1
  selector: { matchLabels: { app: slow } }
  template:
    metadata: { labels: { app: slow } }
    spec:
      nodeSelector: { kubernetes.io/hostname: ${WORKER} }
      containers: [{ name: nginx, image: nginx, lifecycle: { preStop: { exec: { command: [sleep, '15'] } } } }]
`);
    await kubectl(['apply', '-f', manifest]);
    await kubectl(['wait', '--for=condition=Ready', 'pods', '-l', 'app=slow', '--timeout=120s']);
    const report = await drainNode(actions, 'it', WORKER, { timeoutSeconds: 3 });
    expect(report.drained).toBe(false);
    expect(report.blocked).toEqual([]);
    expect(report.terminating.map(base)).toEqual(['default/slow']);
    expect(report.log.join('\n')).toMatch(/error when waiting for pod "slow-\S+" in namespace "default" to terminate: global timeout reached: 3s/);
    expect(report.log.at(-1)).toMatch(/^error: unable to drain node "kubedesk-worker" due to error: \[error when waiting for pod "slow-\S+" in namespace "default" to terminate: global timeout reached: 3s\]; the node stays cordoned$/);
  }, 120_000);
});
