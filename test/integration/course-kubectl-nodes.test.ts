// The course's node maintenance and autoscaling commands (seeds/004 "Kubectl : Maintenance",
// "autoscale"), with the real kubectl on a three-node sandbox: cordon/drain/uncordon (evictions, pods
// rescheduled elsewhere, PodDisruptionBudgets respected), kubectl top, and an HPA on the HPA
// walkthrough's php-apache that sees real utilization and scales under load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { fails, manifest, ok, poll, table, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 3 });
  kubectl = kubectlFor(sandbox);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

const webPods = async () => table(await ok(kubectl, ['get', 'pods', '-l', 'app=web', '-o', 'wide'])).rows;
const nodeStatus = async (name: string) => table(await ok(kubectl, ['get', 'node', name])).rows[0].STATUS;

describe('cordon, drain, uncordon', () => {
  it('cordon marks the node SchedulingDisabled; drain evicts its pods, which come back on another node', async () => {
    await ok(kubectl, ['create', 'deployment', 'web', '--image=nginx', '--replicas=4']);
    expect((await kubectl(['rollout', 'status', 'deploy/web', '--timeout=90s'], { timeoutMs: 100_000 })).code).toBe(0);
    expect(new Set((await webPods()).map((r) => r.NODE))).toEqual(new Set(['kubedesk-worker', 'kubedesk-worker2']));
    expect(await ok(kubectl, ['cordon', 'kubedesk-worker'])).toBe('node/kubedesk-worker cordoned\n');
    expect(await nodeStatus('kubedesk-worker')).toBe('Ready,SchedulingDisabled');
    // The node lifecycle controller adds the matching taint.
    await poll('the unschedulable taint', async () => (await ok(kubectl, ['get', 'node', 'kubedesk-worker', '-o', 'jsonpath={.spec.taints[*].key}'])) === 'node.kubernetes.io/unschedulable');
    const described = await ok(kubectl, ['describe', 'node', 'kubedesk-worker']);
    expect(described).toMatch(/^Taints: {13}node\.kubernetes\.io\/unschedulable:NoSchedule$/m);
    expect(described).toMatch(/^Unschedulable: {6}true$/m);
    const onWorker = (await webPods()).filter((r) => r.NODE === 'kubedesk-worker').map((r) => r.NAME);
    const drain = await kubectl(['drain', 'kubedesk-worker', '--ignore-daemonsets'], { timeoutMs: 90_000 });
    expect(drain.code).toBe(0);
    const lines = drain.stdout.trim().split('\n');
    expect(lines[0]).toBe('node/kubedesk-worker already cordoned');
    expect(lines.at(-1)).toBe('node/kubedesk-worker drained');
    // CoreDNS and the ingress controller go too when they run there, as on kind; kube-proxy stays (a DaemonSet's).
    const system = /^(evicting pod (kube-system\/coredns|ingress-nginx\/ingress-nginx-controller)-[a-z0-9]+-[a-z0-9]{5}|pod\/(coredns|ingress-nginx-controller)-[a-z0-9]+-[a-z0-9]{5} evicted)$/;
    const own = lines.filter((l) => !system.test(l));
    expect(own.filter((l) => l.startsWith('evicting pod ')).sort()).toEqual(onWorker.map((n) => `evicting pod default/${n}`).sort());
    expect(own.filter((l) => l.endsWith(' evicted')).sort()).toEqual(onWorker.map((n) => `pod/${n} evicted`).sort());
    expect(drain.stderr).toMatch(/^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-[a-z0-9]{5}$/m);
    // The ReplicaSet replaces them; the scheduler can only use the other worker.
    const rows = await poll('4 web pods running again', async () => {
      const r = await webPods();
      return r.length === 4 && r.every((p) => p.STATUS === 'Running' && p.READY === '1/1') ? r : undefined;
    }, 60_000);
    expect(rows.map((r) => r.NODE)).toEqual(['kubedesk-worker2', 'kubedesk-worker2', 'kubedesk-worker2', 'kubedesk-worker2']);
    expect(await ok(kubectl, ['uncordon', 'kubedesk-worker'])).toBe('node/kubedesk-worker uncordoned\n');
    expect(await nodeStatus('kubedesk-worker')).toBe('Ready');
    await poll('the taint removed', async () => /^Taints: {13}<none>$/m.test(await ok(kubectl, ['describe', 'node', 'kubedesk-worker'])));
    expect(await ok(kubectl, ['describe', 'node', 'kubedesk-control-plane'])).toMatch(/^Taints: {13}node-role\.kubernetes\.io\/control-plane:NoSchedule$/m);
  });

  it('drain respects a PodDisruptionBudget: it retries while an eviction would violate it', async () => {
    expect(await ok(kubectl, ['create', 'pdb', 'web', '--selector=app=web', '--min-available=4'])).toBe('poddisruptionbudget.policy/web created\n');
    await poll('the PDB allows no disruption', async () => {
      const row = table(await ok(kubectl, ['get', 'pdb', 'web'])).rows[0];
      return row['ALLOWED DISRUPTIONS'] === '0' && row['MIN AVAILABLE'] === '4' && row['MAX UNAVAILABLE'] === 'N/A';
    });
    const drain = await kubectl(['drain', 'kubedesk-worker2', '--ignore-daemonsets', '--timeout=12s'], { timeoutMs: 60_000 });
    expect(drain.code).toBe(1);
    expect(drain.stderr).toMatch(/^error when evicting pods\/"web-\w+-\w+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\.$/m);
    expect(drain.stderr).toContain('error: unable to drain node "kubedesk-worker2" due to error: ');
    expect(drain.stderr).toContain('global timeout reached: 12s');
    // Nothing was evicted.
    const rows = await webPods();
    expect(rows.map((r) => [r.STATUS, r.NODE])).toEqual(Array(4).fill(['Running', 'kubedesk-worker2']));
    await ok(kubectl, ['delete', 'pdb', 'web']);
    await ok(kubectl, ['uncordon', 'kubedesk-worker2']);
    await ok(kubectl, ['delete', 'deployment', 'web']);
  });
});

describe('top', () => {
  it('top nodes and top pods show usage from metrics.k8s.io', async () => {
    const nodes = table(await ok(kubectl, ['top', 'nodes']));
    expect(nodes.headers).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    expect(nodes.rows.map((r) => r.NAME)).toEqual(['kubedesk-control-plane', 'kubedesk-worker', 'kubedesk-worker2']);
    for (const r of nodes.rows) {
      expect(r['CPU(cores)']).toMatch(/^\d+m$/);
      expect(r['CPU(%)']).toMatch(/^\d+%$/);
      expect(r['MEMORY(bytes)']).toMatch(/^\d+Mi$/);
      expect(r['MEMORY(%)']).toMatch(/^\d+%$/);
    }
    await ok(kubectl, ['run', 'idle', '--image=nginx']);
    expect((await kubectl(['wait', '--for=condition=Ready', 'pod/idle', '--timeout=60s'], { timeoutMs: 70_000 })).code).toBe(0);
    const pods = table(await poll('pod metrics', async () => {
      const r = await kubectl(['top', 'pod', 'idle']);
      return r.code === 0 ? r.stdout : undefined;
    }));
    expect(pods.headers).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(pods.rows).toEqual([{ NAME: 'idle', 'CPU(cores)': expect.stringMatching(/^\d+m$/), 'MEMORY(bytes)': expect.stringMatching(/^\d+Mi$/) }]);
    const containers = table(await ok(kubectl, ['top', 'pod', 'idle', '--containers']));
    expect(containers.headers).toEqual(['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(containers.rows.map((r) => [r.POD, r.NAME])).toEqual([['idle', 'idle']]);
    await ok(kubectl, ['delete', 'pod', 'idle', '--wait=false']);
  });
});

const PHP_APACHE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
  labels:
    run: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
`;

describe('autoscale', () => {
  it('kubectl autoscale of a missing deployment says it is not found', async () => {
    expect(await fails(kubectl, ['autoscale', 'deployment', 'my-Deployments', '--min=2', '--max=10', '--cpu-percent=70'])).toBe(
      'Error from server (NotFound): deployments.apps "my-Deployments" not found',
    );
  });

  it('an HPA on php-apache shows real utilization once metrics arrive, then scales out under load', async () => {
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'php-apache.yaml', PHP_APACHE)]);
    expect((await kubectl(['rollout', 'status', 'deploy/php-apache', '--timeout=90s'], { timeoutMs: 100_000 })).code).toBe(0);
    expect(await ok(kubectl, ['autoscale', 'deployment', 'php-apache', '--cpu-percent=50', '--min=1', '--max=10'])).toBe('horizontalpodautoscaler.autoscaling/php-apache autoscaled\n');
    const hpa = () => ok(kubectl, ['get', 'hpa', 'php-apache']).then((out) => table(out).rows[0]);
    const first = await hpa();
    expect([first.REFERENCE, first.MINPODS, first.MAXPODS]).toEqual(['Deployment/php-apache', '1', '10']);
    expect(first.TARGETS).toMatch(/^cpu: (<unknown>|\d+%)\/50%$/);
    // The controller syncs every 15 s: the idle pod's utilization shows then.
    const idle = await poll('a measured utilization', async () => {
      const row = await hpa();
      return /^cpu: \d+%\/50%$/.test(row.TARGETS) ? row : undefined;
    }, 60_000);
    expect(idle.TARGETS).toMatch(/^cpu: [0-9]%\/50%$/);
    expect(idle.REPLICAS).toBe('1');
    await ok(kubectl, ['run', 'load-generator', '--image=busybox:1.28', '--restart=Never', '--', '/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done']);
    try {
      const busy = await poll('the HPA scaling out', async () => {
        const row = await hpa();
        return Number(row.REPLICAS) > 1 ? row : undefined;
      }, 90_000);
      expect(Number(busy.TARGETS.match(/^cpu: (\d+)%\/50%$/)?.[1])).toBeGreaterThan(50);
      // A container is throttled at its CPU limit (500m): top never shows more.
      for (const row of table(await ok(kubectl, ['top', 'pod', '-l', 'run=php-apache'])).rows) {
        expect(Number(row['CPU(cores)'].replace(/m$/, ''))).toBeLessThanOrEqual(500);
      }
      const described = await ok(kubectl, ['describe', 'hpa', 'php-apache']);
      expect(described).toMatch(/Normal\s+SuccessfulRescale\s+\S+\s+horizontal-pod-autoscaler\s+New size: \d+; reason: cpu resource utilization \(percentage of request\) above target/);
    } finally {
      await ok(kubectl, ['delete', 'pod', 'load-generator', '--wait=false']);
    }
  });
});
