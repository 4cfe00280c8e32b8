// The course's chapter on Pods, init containers and Deployments, run with the real kubectl against a
// three-node sandbox: every manifest and command of the slides, checked against what a real cluster
// prints (table columns, statuses, rollout messages, events).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { AGE, jsonOf, manifest, ok, poll, table, type Kubectl } from './kubectl-helpers.js';

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

const podRow = async (name: string) => table(await ok(kubectl, ['get', 'pod', name])).rows[0];
const waitPod = (name: string, status: string, ready: string, timeoutMs = 60_000) =>
  poll(`pod ${name} ${ready} ${status}`, async () => {
    const row = await podRow(name);
    return row.STATUS === status && row.READY === ready ? row : undefined;
  }, timeoutMs);

const NGINX_POD = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
    env: prod
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
`;

const INIT_POD = `apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
`;

const MY_APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:stable
        ports:
        - containerPort: 80
`;

describe('pods', () => {
  it('the labelled nginx pod runs, lists its labels and is selectable', async () => {
    const file = await manifest(sandbox, 'nginx-pod.yaml', NGINX_POD);
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('pod/nginx created\n');
    const row = await waitPod('nginx', 'Running', '1/1');
    expect(row.RESTARTS).toBe('0');
    expect(row.AGE).toMatch(AGE);
    const labels = table(await ok(kubectl, ['get', 'pods', '--show-labels']));
    expect(labels.headers).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
    expect(labels.rows.find((r) => r.NAME === 'nginx')?.LABELS).toBe('app=nginx,env=prod');
    expect(table(await ok(kubectl, ['get', 'pods', '-l', 'env=prod', '-L', 'app'])).rows.map((r) => [r.NAME, r.APP])).toEqual([['nginx', 'nginx']]);
    const wide = table(await ok(kubectl, ['get', 'pods', 'nginx', '-o', 'wide']));
    expect(wide.headers).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(wide.rows[0].IP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(wide.rows[0].NODE).not.toBe('<none>');
    const phase = await ok(kubectl, ['get', 'pods', 'nginx', '-o', 'jsonpath={.status.phase}']);
    expect(phase).toBe('Running');
    const describe = await ok(kubectl, ['describe', 'pods', 'nginx']);
    expect(describe).toMatch(/^Status:\s+Running$/m);
    for (const reason of ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']) expect(describe).toMatch(new RegExp(`Normal\\s+${reason}\\s`));
    expect(describe).toMatch(/Successfully assigned default\/nginx to \S+/);
  });

  it('init containers hold the pod at Init:0/2 until the services they wait for exist', async () => {
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'myapp-pod.yaml', INIT_POD)]);
    await waitPod('myapp-pod', 'Init:0/2', '0/1');
    expect(await ok(kubectl, ['get', 'pod', 'myapp-pod', '-o', 'jsonpath={.status.phase}'])).toBe('Pending');
    const initialized = jsonOf<{ status: { conditions: { type: string; status: string }[] } }>(await ok(kubectl, ['get', 'pod', 'myapp-pod', '-o', 'json']));
    expect(initialized.status.conditions.find((c) => c.type === 'Initialized')?.status).toBe('False');
    await poll('init logs', async () => (await ok(kubectl, ['logs', 'myapp-pod', '-c', 'init-myservice'])).includes('waiting for myservice'));
    await ok(kubectl, ['create', 'service', 'clusterip', 'myservice', '--tcp=80:9376']);
    await waitPod('myapp-pod', 'Init:1/2', '0/1');
    await ok(kubectl, ['create', 'service', 'clusterip', 'mydb', '--tcp=80:9377']);
    await waitPod('myapp-pod', 'Running', '1/1');
    expect(await ok(kubectl, ['logs', 'myapp-pod'])).toBe('The app is running!\n');
  });

  it('one waiting init container shows Init:0/1; a failing one Init:CrashLoopBackOff and never starts the app', async () => {
    const file = await manifest(
      sandbox,
      'init-one.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: init-wait}
spec:
  initContainers: [{name: wait, image: busybox, command: ['sh', '-c', 'sleep 3600']}]
  containers: [{name: app, image: busybox, command: ['sleep', '3600']}]
---
apiVersion: v1
kind: Pod
metadata: {name: init-fail}
spec:
  initContainers: [{name: setup, image: busybox, command: ['sh', '-c', 'echo cannot set up; exit 1']}]
  containers: [{name: app, image: busybox, command: ['sleep', '3600']}]
`,
    );
    await ok(kubectl, ['apply', '-f', file]);
    await Promise.all([
      waitPod('init-wait', 'Init:0/1', '0/1'),
      poll('Init:CrashLoopBackOff', async () => (await podRow('init-fail')).STATUS === 'Init:CrashLoopBackOff', 60_000),
    ]);
    const describe = await ok(kubectl, ['describe', 'pod', 'init-fail']);
    expect(describe).toMatch(/Init Containers:\n\s+setup:[\s\S]*State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff\n\s+Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    expect(describe).toMatch(/Containers:\n\s+app:[\s\S]*State:\s+Waiting\n\s+Reason:\s+PodInitializing/);
    expect(await ok(kubectl, ['logs', 'init-fail', '-c', 'setup'])).toBe('cannot set up\n');
    await ok(kubectl, ['delete', '-f', file, '--grace-period=1']);
  });

  it('a container that keeps failing goes Error then CrashLoopBackOff with BackOff events', async () => {
    await ok(kubectl, ['run', 'crasher', '--image=busybox', '--', 'sh', '-c', 'echo boom; exit 3']);
    const row = await poll('CrashLoopBackOff', async () => {
      const r = await podRow('crasher');
      return r.STATUS === 'CrashLoopBackOff' ? r : undefined;
    }, 60_000);
    expect(row.READY).toBe('0/1');
    expect(Number(row.RESTARTS.split(' ')[0])).toBeGreaterThanOrEqual(1);
    const describe = await ok(kubectl, ['describe', 'pod', 'crasher']);
    expect(describe).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+3/);
    expect(describe).toMatch(/Warning\s+BackOff\s+.*Back-off restarting failed container crasher in pod crasher_default\(/);
    expect(await ok(kubectl, ['logs', 'crasher', '--previous'])).toBe('boom\n');
  });
});

describe('deployments', () => {
  it("the course's my-app manifest rolls out three ready replicas", async () => {
    const file = await manifest(sandbox, 'mon-deploiement.yaml', MY_APP);
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('deployment.apps/my-app created\n');
    expect(await ok(kubectl, ['rollout', 'status', 'deployment/my-app', '--timeout=90s'])).toMatch(/deployment "my-app" successfully rolled out\n$/);
    const t = table(await ok(kubectl, ['get', 'deploy', 'my-app']));
    expect(t.headers).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect([t.rows[0].READY, t.rows[0]['UP-TO-DATE'], t.rows[0].AVAILABLE]).toEqual(['3/3', '3', '3']);
    const rs = table(await ok(kubectl, ['get', 'rs', '-l', 'app=nginx']));
    expect(rs.headers).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(rs.rows).toHaveLength(1);
    expect(rs.rows[0].NAME).toMatch(/^my-app-[a-z0-9]{8,10}$/);
    const pods = table(await ok(kubectl, ['get', 'pods', '-l', 'app=nginx', '-o', 'wide'])).rows.filter((r) => r.NAME.startsWith('my-app-'));
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.NAME).toMatch(new RegExp(`^${rs.rows[0].NAME}-[a-z0-9]{5}$`));
    expect(new Set(pods.map((p) => p.NODE)).size).toBeGreaterThan(1);
    expect(await ok(kubectl, ['delete', '-f', file])).toBe('deployment.apps "my-app" deleted\n');
  });

  it('kubectl create deployment, scale and set image roll the pods over', async () => {
    expect(await ok(kubectl, ['create', 'deployment', 'web', '--image=nginx:latest', '--replicas=3'])).toBe('deployment.apps/web created\n');
    await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=90s']);
    expect(await ok(kubectl, ['scale', '--replicas=5', 'deployment', 'web'])).toBe('deployment.apps/web scaled\n');
    await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=90s']);
    expect(table(await ok(kubectl, ['get', 'deploy', 'web'])).rows[0].READY).toBe('5/5');
    expect(await ok(kubectl, ['set', 'image', 'deployment', 'web', 'nginx=nginx:1.15'])).toBe('deployment.apps/web image updated\n');
    const status = await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=120s']);
    // (The "Waiting for deployment ... rollout to finish" lines are asserted where the rollout stalls.)
    expect(status).toMatch(/deployment "web" successfully rolled out\n$/);
    const images = await ok(kubectl, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image}{"\\n"}{end}']);
    await poll('old pods gone', async () => {
      const now = await ok(kubectl, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image}{"\\n"}{end}']);
      return now.trim().split('\n').every((i) => i === 'nginx:1.15') && now.trim().split('\n').length === 5;
    }, 60_000);
    expect(images).toContain('nginx:1.15');
    const rs = table(await ok(kubectl, ['get', 'rs', '-l', 'app=web']));
    expect(rs.rows.map((r) => r.DESIRED).sort()).toEqual(['0', '5']);
    const describe = await ok(kubectl, ['describe', 'deploy', 'web']);
    expect(describe).toMatch(/StrategyType:\s+RollingUpdate/);
    expect(describe).toMatch(/RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
    expect(describe).toMatch(/Normal\s+ScalingReplicaSet\s+.*Scaled up replica set web-[a-z0-9]+ from 3 to 5/);
  });

  it('--record, rollout history and undo, as on the worker slide', async () => {
    await ok(kubectl, ['create', 'deployment', 'worker', '--image=dockercoins/worker:v0.2']);
    await ok(kubectl, ['rollout', 'status', 'deploy/worker', '--timeout=90s']);
    const recorded = await kubectl(['set', 'image', 'deployment', 'worker', 'worker=dockercoins/worker:v0.1', '--record']);
    expect(recorded.code).toBe(0);
    expect(recorded.stderr).toContain('Flag --record has been deprecated');
    await ok(kubectl, ['rollout', 'status', 'deploy/worker', '--timeout=90s']);
    await ok(kubectl, ['set', 'image', 'deployment', 'worker', 'worker=dockercoins/worker:v0.2', '--record']);
    await ok(kubectl, ['rollout', 'status', 'deploy/worker', '--timeout=90s']);
    const history = await ok(kubectl, ['rollout', 'history', 'deployment', 'worker']);
    const lines = history.trim().split('\n');
    expect(lines[0]).toBe('deployment.apps/worker ');
    expect(lines[1]).toMatch(/^REVISION\s+CHANGE-CAUSE$/);
    // Revision 1 came back as revision 3; the history lists 2 and 3.
    expect(lines.slice(2).map((l) => l.split(/\s+/)[0])).toEqual(['2', '3']);
    expect(lines[3]).toMatch(/^3\s+kubectl set image deployment worker worker=dockercoins\/worker:v0\.2 .*--record=true/);
    expect(await ok(kubectl, ['rollout', 'history', 'deployment', 'worker', '--revision=2'])).toMatch(/Image:\s+dockercoins\/worker:v0\.1/);
    expect(await ok(kubectl, ['rollout', 'undo', 'deployment', 'worker'])).toBe('deployment.apps/worker rolled back\n');
    await ok(kubectl, ['rollout', 'status', 'deploy/worker', '--timeout=90s']);
    expect(await ok(kubectl, ['get', 'deploy', 'worker', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('dockercoins/worker:v0.1');
    expect(await ok(kubectl, ['rollout', 'undo', 'deployment', 'worker', '--to-revision=3'])).toBe('deployment.apps/worker rolled back\n');
    expect(await ok(kubectl, ['get', 'deploy', 'worker', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('dockercoins/worker:v0.2');
  });

  it('a mistyped image tag stalls the rollout in ImagePullBackOff; rollout undo repairs it', async () => {
    await ok(kubectl, ['create', 'deployment', 'typo', '--image=nginx:1.27', '--replicas=2']);
    await ok(kubectl, ['rollout', 'status', 'deploy/typo', '--timeout=90s']);
    await ok(kubectl, ['set', 'image', 'deploy/typo', 'nginx=nginx:lastest']);
    const stuck = await poll('ImagePullBackOff', async () => {
      const rows = table(await ok(kubectl, ['get', 'pods', '-l', 'app=typo'])).rows;
      return rows.find((r) => r.STATUS === 'ImagePullBackOff');
    }, 60_000);
    expect(stuck.READY).toBe('0/1');
    // The old pods keep serving: maxUnavailable 25% of 2 rounds down to 0.
    expect(table(await ok(kubectl, ['get', 'deploy', 'typo'])).rows[0]).toMatchObject({ READY: '2/2', 'UP-TO-DATE': '1', AVAILABLE: '2' });
    const waiting = await kubectl(['rollout', 'status', 'deploy/typo', '--timeout=3s']);
    expect(waiting.code).not.toBe(0);
    expect(waiting.stdout).toContain('Waiting for deployment "typo" rollout to finish: 1 out of 2 new replicas have been updated...\n');
    expect(waiting.stderr).toBe('error: timed out waiting for the condition\n');
    const describe = await ok(kubectl, ['describe', 'pod', stuck.NAME]);
    expect(describe).toContain('Failed to pull image "nginx:lastest": failed to pull and unpack image "docker.io/library/nginx:lastest": failed to resolve reference "docker.io/library/nginx:lastest": docker.io/library/nginx:lastest: not found');
    expect(describe).toMatch(/Normal\s+BackOff\s+.*Back-off pulling image "nginx:lastest"/);
    expect(await ok(kubectl, ['rollout', 'undo', 'deploy/typo'])).toBe('deployment.apps/typo rolled back\n');
    await ok(kubectl, ['rollout', 'status', 'deploy/typo', '--timeout=90s']);
    await poll('bad pod gone', async () => table(await ok(kubectl, ['get', 'pods', '-l', 'app=typo'])).rows.every((r) => r.STATUS === 'Running'), 60_000);
  });

  it('rollout pause, resume and restart', async () => {
    await ok(kubectl, ['create', 'deployment', 'paused', '--image=nginx', '--replicas=2']);
    await ok(kubectl, ['rollout', 'status', 'deploy/paused', '--timeout=90s']);
    expect(await ok(kubectl, ['rollout', 'pause', 'deployment/paused'])).toBe('deployment.apps/paused paused\n');
    await ok(kubectl, ['set', 'image', 'deployment/paused', 'nginx=nginx:1.27']);
    // A paused deployment does not roll: the old replica set keeps both pods.
    await new Promise((r) => setTimeout(r, 2000));
    expect(table(await ok(kubectl, ['get', 'rs', '-l', 'app=paused'])).rows).toHaveLength(1);
    expect(await ok(kubectl, ['describe', 'deploy', 'paused'])).toMatch(/Progressing\s+Unknown\s+DeploymentPaused/);
    expect(await ok(kubectl, ['rollout', 'resume', 'deployment/paused'])).toBe('deployment.apps/paused resumed\n');
    await ok(kubectl, ['rollout', 'status', 'deploy/paused', '--timeout=90s']);
    expect(table(await ok(kubectl, ['get', 'rs', '-l', 'app=paused'])).rows).toHaveLength(2);
    expect(await ok(kubectl, ['rollout', 'restart', 'deployment/paused'])).toBe('deployment.apps/paused restarted\n');
    expect(await ok(kubectl, ['get', 'deploy', 'paused', '-o', 'jsonpath={.spec.template.metadata.annotations}'])).toMatch(/kubectl\.kubernetes\.io\/restartedAt/);
    await ok(kubectl, ['rollout', 'status', 'deploy/paused', '--timeout=90s']);
    expect(table(await ok(kubectl, ['get', 'rs', '-l', 'app=paused'])).rows).toHaveLength(3);
  });
});
