// The course's resource management and probe chapters (seeds 004) run with the real kubectl against
// a 3-node sandbox: requests/limits and QoS classes, LimitRange defaults, ResourceQuota refusals,
// an OOMKilled container, and liveness/readiness/startup probes with their events and endpoints.
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

const row = async (args: string[]) => table(await ok(kubectl, ['get', ...args])).rows[0];
const override = (name: string, image: string, resources: unknown) => JSON.stringify({ spec: { containers: [{ name, image, resources }] } });

describe('requests, limits and QoS (course: Gestion des Ressources)', () => {
  it('the frontend pod (mysql + wordpress) runs with its requests and limits, Burstable', async () => {
    const resources = '    resources:\n      requests:\n        memory: "64Mi"\n        cpu: "250m"\n      limits:\n        memory: "128Mi"\n        cpu: "500m"\n';
    const file = await manifest(
      sandbox,
      'frontend.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: frontend\nspec:\n  containers:\n  - name: db\n    image: mysql\n    env:\n    - name: MYSQL_ROOT_PASSWORD\n      value: "password"\n${resources}  - name: wp\n    image: wordpress\n${resources}`,
    );
    await ok(kubectl, ['apply', '-f', file]);
    await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/frontend', '--timeout=90s']);
    expect(await row(['pod', 'frontend'])).toMatchObject({ READY: '2/2', STATUS: 'Running', RESTARTS: '0' });
    const described = await ok(kubectl, ['describe', 'pod', 'frontend']);
    expect(described).toMatch(/Limits:\n\s+cpu:\s+500m\n\s+memory:\s+128Mi\n\s+Requests:\n\s+cpu:\s+250m\n\s+memory:\s+64Mi/);
    expect(described).toMatch(/QoS Class:\s+Burstable/);
  });

  it('BestEffort without resources; Guaranteed with limits only (requests default to limits)', async () => {
    await ok(kubectl, ['run', 'besteffort', '--image=nginx']);
    await ok(kubectl, ['run', 'guaranteed', '--image=nginx', '--overrides', override('guaranteed', 'nginx', { limits: { cpu: '100m', memory: '100Mi' } })]);
    await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/besteffort', '--timeout=60s']);
    const best = await ok(kubectl, ['describe', 'pod', 'besteffort']);
    expect(best).toMatch(/QoS Class:\s+BestEffort/);
    // Same-second events list in the order they happened, the scheduler's first.
    const reasons = best.slice(best.indexOf('Events:')).split('\n').slice(3).map((l) => l.trim().split(/\s+/)[1]).filter(Boolean);
    expect(reasons).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    const described = await ok(kubectl, ['describe', 'pod', 'guaranteed']);
    expect(described).toMatch(/QoS Class:\s+Guaranteed/);
    expect(described).toMatch(/Requests:\n\s+cpu:\s+100m\n\s+memory:\s+100Mi/);
    expect(await ok(kubectl, ['get', 'pod', 'guaranteed', '-o', 'jsonpath={.status.qosClass}'])).toBe('Guaranteed');
  });

  it('a container allocating beyond its memory limit is OOMKilled (exit 137) and restarted', async () => {
    const file = await manifest(
      sandbox,
      'oom.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: memory-demo-2\nspec:\n  containers:\n  - name: memory-demo-2-ctr\n    image: polinux/stress\n    resources:\n      requests:\n        memory: "50Mi"\n      limits:\n        memory: "100Mi"\n    command: ["stress"]\n    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    const described = await poll('OOMKilled last state', async () => {
      const d = await ok(kubectl, ['describe', 'pod', 'memory-demo-2']);
      // The first restart is immediate; the back-off comes with the second crash.
      return /Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137/.test(d) && d.includes('Back-off restarting') ? d : undefined;
    }, 60_000);
    expect(described).toMatch(/Restart Count:\s+[1-9]/);
    expect(described).toMatch(/Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container memory-demo-2-ctr in pod memory-demo-2_default\(/);
    expect((await row(['pod', 'memory-demo-2'])).STATUS).toMatch(/^(OOMKilled|CrashLoopBackOff)$/);
  });
});

describe('LimitRange and ResourceQuota (course: LimitRanges, ResourceQuotas)', () => {
  it('LimitRange defaults a container without resources; describe shows the table', async () => {
    await ok(kubectl, ['create', 'namespace', 'limits']);
    const file = await manifest(sandbox, 'limitrange.yaml', 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: limit-example\nspec:\n  limits:\n  - default:\n      memory: 512Mi\n    defaultRequest:\n      memory: 256Mi\n    type: Container\n');
    expect(await ok(kubectl, ['-n', 'limits', 'apply', '-f', file])).toBe('limitrange/limit-example created\n');
    const described = await ok(kubectl, ['-n', 'limits', 'describe', 'limitrange', 'limit-example']);
    expect(described).toMatch(/Type\s+Resource\s+Min\s+Max\s+Default Request\s+Default Limit\s+Max Limit\/Request Ratio\n[- ]+\nContainer\s+memory\s+-\s+-\s+256Mi\s+512Mi\s+-/);
    await ok(kubectl, ['-n', 'limits', 'run', 'defaulted', '--image=nginx']);
    expect(await ok(kubectl, ['-n', 'limits', 'get', 'pod', 'defaulted', '-o', 'jsonpath={.spec.containers[0].resources}'])).toBe('{"limits":{"memory":"512Mi"},"requests":{"memory":"256Mi"}}');
    expect(await ok(kubectl, ['-n', 'limits', 'get', 'pod', 'defaulted', '-o', 'jsonpath={.metadata.annotations}'])).toContain('LimitRanger plugin set: memory request for container defaulted; memory limit for container defaulted');
  });

  it('ResourceQuota on cpu and memory: usage, "must specify" and "exceeded quota" refusals', async () => {
    await ok(kubectl, ['create', 'namespace', 'quota']);
    const file = await manifest(sandbox, 'quota.yaml', 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: cpu-and-ram\nspec:\n  hard:\n    requests.cpu: 400m\n    requests.memory: 200Mi\n    limits.cpu: 600m\n    limits.memory: 500Mi\n');
    await ok(kubectl, ['-n', 'quota', 'apply', '-f', file]);
    expect(await fails(kubectl, ['-n', 'quota', 'run', 'nores', '--image=nginx'])).toBe(
      'Error from server (Forbidden): pods "nores" is forbidden: failed quota: cpu-and-ram: must specify limits.cpu for: nores; limits.memory for: nores; requests.cpu for: nores; requests.memory for: nores',
    );
    await ok(kubectl, ['-n', 'quota', 'run', 'p1', '--image=nginx', '--overrides', override('p1', 'nginx', { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '200m', memory: '200Mi' } })]);
    const used = await poll('quota usage', async () => {
      const r = await row(['-n', 'quota', 'resourcequota', 'cpu-and-ram']);
      return r?.REQUEST.includes('100m/400m') ? r : undefined;
    });
    expect(used).toMatchObject({ REQUEST: 'requests.cpu: 100m/400m, requests.memory: 100Mi/200Mi', LIMIT: 'limits.cpu: 200m/600m, limits.memory: 200Mi/500Mi' });
    expect(await ok(kubectl, ['-n', 'quota', 'describe', 'quota', 'cpu-and-ram'])).toMatch(/Resource\s+Used\s+Hard\n[- ]+\nlimits\.cpu\s+200m\s+600m\nlimits\.memory\s+200Mi\s+500Mi\nrequests\.cpu\s+100m\s+400m\nrequests\.memory\s+100Mi\s+200Mi/);
    expect(await fails(kubectl, ['-n', 'quota', 'run', 'p2', '--image=nginx', '--overrides', override('p2', 'nginx', { requests: { cpu: '350m', memory: '150Mi' }, limits: { cpu: '400m', memory: '200Mi' } })])).toBe(
      'Error from server (Forbidden): pods "p2" is forbidden: exceeded quota: cpu-and-ram, requested: requests.cpu=350m,requests.memory=150Mi, used: requests.cpu=100m,requests.memory=100Mi, limited: requests.cpu=400m,requests.memory=200Mi',
    );
  });

  it('object-count quota: services.nodeports 0 refuses a NodePort service', async () => {
    await ok(kubectl, ['create', 'namespace', 'objects']);
    const file = await manifest(
      sandbox,
      'quota-objects.yaml',
      'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota-for-objects\nspec:\n  hard:\n    pods: 200\n    services: 10\n    secrets: 20\n    configmaps: 40\n    persistentvolumeclaims: 40\n    services.nodeports: 0\n    services.loadbalancers: 0\n    count/roles.rbac.authorization.k8s.io: 10\n',
    );
    await ok(kubectl, ['-n', 'objects', 'apply', '-f', file]);
    await poll('quota status', async () => (await ok(kubectl, ['-n', 'objects', 'describe', 'quota', 'quota-for-objects'])).includes('services.nodeports'));
    expect(await fails(kubectl, ['-n', 'objects', 'create', 'service', 'nodeport', 'np', '--tcp=80:80'])).toBe(
      'error: failed to create NodePort service: services "np" is forbidden: exceeded quota: quota-for-objects, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0',
    );
    expect(await ok(kubectl, ['-n', 'objects', 'create', 'service', 'clusterip', 'cip', '--tcp=80:80'])).toBe('service/cip created\n');
  });
});

describe('probes (course: Sondes)', () => {
  it('a failing liveness probe records Unhealthy and Killing, and the container restarts', async () => {
    const file = await manifest(
      sandbox,
      'liveness.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: liveness-exec\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n  - name: liveness\n    image: registry.k8s.io/busybox\n    args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 4; rm -f /tmp/healthy; sleep 600"]\n    livenessProbe:\n      exec:\n        command: ["cat", "/tmp/healthy"]\n      initialDelaySeconds: 1\n      periodSeconds: 2\n      failureThreshold: 1\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    await poll('a restart', async () => (await row(['pod', 'liveness-exec'])).RESTARTS.startsWith('1'), 60_000);
    const described = await ok(kubectl, ['describe', 'pod', 'liveness-exec']);
    expect(described).toMatch(/Warning\s+Unhealthy\s+.*kubelet\s+Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory/);
    expect(described).toMatch(/Normal\s+Killing\s+.*kubelet\s+Container liveness failed liveness probe, will be restarted/);
    expect(described).toMatch(/Liveness:\s+exec \[cat \/tmp\/healthy\] delay=1s timeout=1s period=2s #success=1 #failure=1/);
  });

  it('a failing readiness probe keeps the pod out of the endpoints until it passes', async () => {
    const file = await manifest(
      sandbox,
      'readiness.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ready-web\n  labels: {app: ready-web}\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n    readinessProbe:\n      httpGet:\n        path: /healthz\n        port: 80\n      periodSeconds: 1\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    await ok(kubectl, ['expose', 'pod', 'ready-web', '--port=80']);
    const unhealthy = await poll('readiness failure event', async () => {
      const d = await ok(kubectl, ['describe', 'pod', 'ready-web']);
      return d.includes('Readiness probe failed') ? d : undefined;
    }, 60_000);
    expect(unhealthy).toMatch(/Warning\s+Unhealthy\s+.*kubelet\s+Readiness probe failed: HTTP probe failed with statuscode: 404/);
    expect(await row(['pod', 'ready-web'])).toMatchObject({ READY: '0/1', STATUS: 'Running' });
    expect(await row(['endpoints', 'ready-web'])).toMatchObject({ ENDPOINTS: '' });
    await ok(kubectl, ['exec', 'ready-web', '--', 'sh', '-c', 'echo ok > /usr/share/nginx/html/healthz']);
    const ep = await poll('ready endpoint', async () => {
      const r = await row(['endpoints', 'ready-web']);
      return r?.ENDPOINTS.endsWith(':80') ? r.ENDPOINTS : undefined;
    }, 30_000);
    expect(ep).toMatch(/^10\.244\.\d+\.\d+:80$/);
    expect(await row(['pod', 'ready-web'])).toMatchObject({ READY: '1/1' });
  });

  it('a startup probe holds readiness until it succeeds; the course probe (one-string command) fails and restarts', async () => {
    const file = await manifest(
      sandbox,
      'startup.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: slow-start\nspec:\n  containers:\n  - name: web\n    image: nginx\n    startupProbe:\n      exec:\n        command: ["cat", "/etc/nginx/nginx.conf"]\n      initialDelaySeconds: 3\n      periodSeconds: 1\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    await poll('started', async () => (await ok(kubectl, ['get', 'pod', 'slow-start', '-o', 'jsonpath={.status.containerStatuses[0].started}'])) !== '', 30_000);
    const early = await ok(kubectl, ['get', 'pod', 'slow-start', '-o', 'jsonpath={.status.containerStatuses[0].started} {.status.containerStatuses[0].ready}']);
    expect(early).toBe('false false');
    await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/slow-start', '--timeout=30s']);
    const course = await manifest(
      sandbox,
      'course-startup.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n  - name: my-app-container\n    image: nginx\n    startupProbe:\n      exec:\n        command:\n        - cat /etc/nginx/nginx.conf\n      periodSeconds: 1\n      failureThreshold: 2\n',
    );
    await ok(kubectl, ['apply', '-f', course]);
    const described = await poll('startup failure', async () => {
      const d = await ok(kubectl, ['describe', 'pod', 'my-app']);
      return d.includes('failed startup probe') ? d : undefined;
    }, 60_000);
    expect(described).toMatch(/Warning\s+Unhealthy\s+.*kubelet\s+Startup probe failed: .*cat \/etc\/nginx\/nginx\.conf.*no such file or directory/);
    expect(described).toMatch(/Normal\s+Killing\s+.*kubelet\s+Container my-app-container failed startup probe, will be restarted/);
  });
});
