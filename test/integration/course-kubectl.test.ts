// The course's "KUBECTL : Usage Avancé" chapter (seeds/004), run with the real kubectl against a
// three-node sandbox: run (-i/-it --rm), scale, set image --record, rollout status/history/undo/
// restart, exec, attach, port-forward, logs, events, and the cluster commands (cluster-info, config,
// get --raw, proxy). Outputs are checked against what a real cluster prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, kubectlFor, removeDir, run, startSandbox, type RunningSandbox } from './harness.js';
import { fails, jsonOf, ok, poll, table, type Kubectl } from './kubectl-helpers.js';
import { background, inTerminal } from './course-kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 3 });
  kubectl = kubectlFor(sandbox);
  // Long-running pods the tests below share: a clock writing a line a second, and nginx.
  await ok(kubectl, ['run', 'clock', '--image=busybox', '--', 'sh', '-c', 'while true; do date; sleep 1; done']);
  await ok(kubectl, ['run', 'nginx', '--image=nginx', '--env=GREETING=bonjour', '--port=80']);
  await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/clock', 'pod/nginx', '--timeout=60s']);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

describe('kubectl run', () => {
  it('run -i --rm prints the command output and deletes the pod', async () => {
    const r = await kubectl(['run', '-i', '--rm', 't', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo hi'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hi\npod "t" deleted\n');
    expect(await fails(kubectl, ['get', 'pod', 't'])).toBe('Error from server (NotFound): pods "t" not found');
  });

  it('run -it --rm gives a shell on a terminal; its exit code is kubectl\'s', async () => {
    const r = await inTerminal(sandbox, ['run', '-it', '--rm', 'shell', '--image=busybox', '--restart=Never', '--', 'sh'], 'echo sum=$((40+2))\nexit 3\n');
    expect(r.stdout).toContain('sum=42');
    expect(r.stdout).toContain('pod "shell" deleted');
    expect(r.stdout).toContain('pod default/shell terminated (Error)');
    expect(r.code).toBe(3);
    expect(await fails(kubectl, ['get', 'pod', 'shell'])).toBe('Error from server (NotFound): pods "shell" not found');
  });

  it('--dry-run=client and --dry-run=server print without creating', async () => {
    expect(await ok(kubectl, ['run', 'dry', '--image=nginx', '--dry-run=client'])).toBe('pod/dry created (dry run)\n');
    expect(await ok(kubectl, ['run', 'dry', '--image=nginx', '--dry-run=server'])).toBe('pod/dry created (server dry run)\n');
    expect((await kubectl(['get', 'pod', 'dry'])).code).toBe(1);
  });
});

describe('scale, set image, rollout', () => {
  it('scale --replicas=5 then set image rolls out a second revision', async () => {
    await ok(kubectl, ['create', 'deployment', 'web', '--image=nginx:1.14', '--replicas=2']);
    expect(await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=90s'], {})).toContain('deployment "web" successfully rolled out');
    expect(await ok(kubectl, ['scale', '--replicas=5', 'deployment', 'web'])).toBe('deployment.apps/web scaled\n');
    await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=90s']);
    const deploy = table(await ok(kubectl, ['get', 'deploy', 'web']));
    expect(deploy.rows.map((r) => [r.READY, r['UP-TO-DATE'], r.AVAILABLE])).toEqual([['5/5', '5', '5']]);
    expect(await ok(kubectl, ['set', 'image', 'deployment', 'web', 'nginx=nginx:1.15'])).toBe('deployment.apps/web image updated\n');
    const status = await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=120s']);
    expect(status).toMatch(/^Waiting for deployment "web" rollout to finish: \d+ out of 5 new replicas have been updated\.\.\.$/m);
    expect(status.trimEnd().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    const rs = table(await ok(kubectl, ['get', 'rs', '-l', 'app=web', '-o', 'wide']));
    expect(rs.rows.map((r) => [r.IMAGES, r.DESIRED, r.READY]).sort()).toEqual([
      ['nginx:1.14', '0', '0'],
      ['nginx:1.15', '5', '5'],
    ]);
    const pods = table(await ok(kubectl, ['get', 'pods', '-l', 'app=web', '-o', 'wide']));
    // The control plane is tainted NoSchedule: the pods run on the two workers.
    expect(new Set(pods.rows.map((r) => r.NODE))).toEqual(new Set(['kubedesk-worker', 'kubedesk-worker2']));
  });

  it('rollout history, undo and restart', async () => {
    await ok(kubectl, ['annotate', 'deploy', 'web', 'kubernetes.io/change-cause=image 1.15']);
    expect(await ok(kubectl, ['rollout', 'history', 'deployment', 'web'])).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.15\n\n');
    expect(await ok(kubectl, ['rollout', 'undo', 'deploy/web'])).toBe('deployment.apps/web rolled back\n');
    await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=120s']);
    // Revision 1 comes back as revision 3, with the deployment's annotations of that revision.
    expect(await ok(kubectl, ['rollout', 'history', 'deployment', 'web'])).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         image 1.15\n3         <none>\n\n');
    expect(await ok(kubectl, ['rollout', 'history', 'deployment', 'web', '--revision=3'])).toMatch(/^deployment\.apps\/web with revision #3\nPod Template:\n {2}Labels:\tapp=web\n\tpod-template-hash=\w+\n {2}Containers:\n {3}nginx:\n {4}Image:\tnginx:1\.14\n/);
    expect(await ok(kubectl, ['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'])).toBe('3');
    const before = new Set(table(await ok(kubectl, ['get', 'pods', '-l', 'app=web'])).rows.map((r) => r.NAME));
    expect(await ok(kubectl, ['rollout', 'restart', 'deploy/web'])).toBe('deployment.apps/web restarted\n');
    await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=120s']);
    const after = await poll('old pods gone after the restart', async () => {
      const rows = table(await ok(kubectl, ['get', 'pods', '-l', 'app=web'])).rows;
      return rows.length === 5 && rows.every((r) => r.STATUS === 'Running') ? rows : undefined;
    }, 60_000);
    expect(after.filter((r) => before.has(r.NAME))).toEqual([]);
    expect(await ok(kubectl, ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('set image --record stores the command line as the change cause', async () => {
    await ok(kubectl, ['create', 'deployment', 'worker', '--image=dockercoins/worker:v0.2']);
    const r1 = await kubectl(['set', 'image', 'deployment', 'worker', 'worker=dockercoins/worker:v0.1', '--record']);
    expect(r1.stderr).toBe('Flag --record has been deprecated, --record will be removed in the future\n');
    await ok(kubectl, ['set', 'image', 'deployment', 'worker', 'worker=dockercoins/worker:v0.2', '--record']);
    const history = await poll('three revisions observed', async () => {
      const out = await ok(kubectl, ['rollout', 'history', 'deployment', 'worker']);
      return out.includes('\n3 ') ? out : undefined;
    });
    // kubectl records its whole command line, global flags included.
    const flags = `--kubeconfig=${sandbox.kubeconfig} --cache-dir=${sandbox.dataDir}/kubectl-cache --record=true`;
    expect(history).toBe(
      'deployment.apps/worker \nREVISION  CHANGE-CAUSE\n' +
        `2         kubectl set image deployment worker worker=dockercoins/worker:v0.1 ${flags}\n` +
        `3         kubectl set image deployment worker worker=dockercoins/worker:v0.2 ${flags}\n\n`,
    );
    await ok(kubectl, ['rollout', 'status', 'deploy/worker', '--timeout=90s']);
    await poll('worker logs', async () => (await ok(kubectl, ['logs', 'deploy/worker'])).includes('units of work done'), 30_000);
  });
});

describe('exec and attach', () => {
  it('exec shows the container environment and returns its exit codes', async () => {
    const env = (await ok(kubectl, ['exec', 'nginx', '--', 'env'])).split('\n');
    expect(env).toContain('GREETING=bonjour');
    expect(env).toContain('HOSTNAME=nginx');
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
    expect(env).toContain('KUBERNETES_SERVICE_PORT=443');
    const seven = await kubectl(['exec', 'nginx', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    expect([seven.code, seven.stdout, seven.stderr]).toEqual([7, 'out\n', 'err\ncommand terminated with exit code 7\n']);
    const missing = await kubectl(['exec', 'nginx', '--', 'nosuchcmd']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('exec: "nosuchcmd": executable file not found in $PATH');
  });

  it('exec -it runs a shell on a terminal', async () => {
    const r = await inTerminal(sandbox, ['exec', '-it', 'nginx', '--', 'sh'], 'echo tty=$(tty)\nexit 5\n');
    expect(r.stdout).toMatch(/tty=\/dev\/pts\/\d+/);
    expect(r.stdout).toContain('command terminated with exit code 5');
    expect(r.code).toBe(5);
  });

  it('attach streams the output of the running container', async () => {
    const attach = background(sandbox, ['attach', 'clock']);
    try {
      await attach.waitFor(/(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n){2}/);
    } finally {
      await attach.stop();
    }
  });
});

describe('attach -i', () => {
  it('attach -i sends stdin to the container\'s main process', async () => {
    await ok(kubectl, ['run', 'reader', '--image=busybox', '-i', '--attach=false', '--', 'sh', '-c', 'while read line; do echo got $line; done']);
    expect((await kubectl(['wait', '--for=condition=Ready', 'pod/reader', '--timeout=60s'], { timeoutMs: 70_000 })).code).toBe(0);
    // As containerd does, the attach ends when kubectl's stdin ends: keep it open while output comes back.
    const r = await run('sh', ['-c', '(echo hello; sleep 2) | "$@"', 'sh', KUBECTL, '--kubeconfig', sandbox.kubeconfig, 'attach', 'reader', '-i']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('got hello\n');
    expect(r.stderr).toBe('If you don\'t see a command prompt, try pressing enter.\n');
    // kubectl run -i made the container stdinOnce: the end of that attach closed its stdin, the loop
    // read EOF and the container exited and restarted; its first run's log holds the line.
    await poll('the container restarted', async () => Number(await ok(kubectl, ['get', 'pod', 'reader', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])) >= 1);
    expect(await ok(kubectl, ['get', 'pod', 'reader', '-o', 'jsonpath={.spec.containers[0].stdinOnce}'])).toBe('true');
    expect(await ok(kubectl, ['logs', 'reader', '--previous'])).toBe('got hello\n');
  });
});

describe('port-forward', () => {
  it('to a pod and to a service: an HTTP GET returns nginx\'s page, and nginx logs it', async () => {
    await ok(kubectl, ['expose', 'pod', 'nginx', '--port=80', '--name=nginx-svc']);
    for (const target of ['pod/nginx', 'svc/nginx-svc']) {
      const pf = background(sandbox, ['port-forward', target, ':80']);
      try {
        const port = (await pf.waitFor(/^Forwarding from 127\.0\.0\.1:(\d+) -> 80$/m))[1];
        const res = await fetch(`http://127.0.0.1:${port}/`);
        expect(res.status).toBe(200);
        expect(res.headers.get('server')).toMatch(/^nginx\/1\.\d+\.\d+$/);
        expect(await res.text()).toContain('<title>Welcome to nginx!</title>');
        await pf.waitFor(new RegExp(`^Handling connection for ${port}$`, 'm'));
      } finally {
        await pf.stop();
      }
    }
    const logs = await ok(kubectl, ['logs', 'nginx', '--tail=2']);
    expect(logs).toMatch(/^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "[^"]+" "-"$/m);
  });
});

describe('logs', () => {
  it('-f shows new lines as the container writes them', async () => {
    const follow = background(sandbox, ['logs', '-f', 'clock', '--tail=1']);
    try {
      await follow.waitFor(/UTC \d{4}\n/);
      const first = follow.output();
      // Lines keep arriving, one a second, while kubectl is still running.
      await follow.waitFor(/(UTC \d{4}\n[^]*){4}/, 15_000);
      expect(follow.output().startsWith(first)).toBe(true);
      const lines = follow.output().trim().split('\n');
      expect(new Set(lines).size).toBe(lines.length);
    } finally {
      await follow.stop();
    }
  });

  it('--tail, --since and --timestamps', async () => {
    expect((await ok(kubectl, ['logs', 'clock', '--tail=3'])).trim().split('\n')).toHaveLength(3);
    const recent = (await ok(kubectl, ['logs', 'clock', '--since=3s'])).trim().split('\n');
    expect(recent.length).toBeGreaterThanOrEqual(2);
    expect(recent.length).toBeLessThanOrEqual(4);
    // The course's combination: the last 5 s, at most 100 lines, then following.
    const combined = background(sandbox, ['logs', 'pod/clock', '--tail', '100', '--follow', '--since=5s']);
    try {
      await combined.waitFor(/(UTC \d{4}\n[^]*){6}/, 15_000);
    } finally {
      await combined.stop();
    }
    const stamped = (await ok(kubectl, ['logs', 'clock', '--tail=2', '--timestamps'])).trim().split('\n');
    for (const line of stamped) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}$/);
  });

  it('-l selector with --prefix reads every pod; deploy/ reads one', async () => {
    await ok(kubectl, ['create', 'deployment', 'pingpong', '--image=busybox', '--replicas=2', '--', 'sh', '-c', 'i=0; while true; do echo "pong $i from $(hostname)"; i=$((i+1)); sleep 1; done']);
    await ok(kubectl, ['rollout', 'status', 'deploy/pingpong', '--timeout=90s']);
    const pods = table(await ok(kubectl, ['get', 'pods', '-l', 'app=pingpong'])).rows.map((r) => r.NAME);
    const prefixed = await poll('a line from each pod', async () => {
      const out = await ok(kubectl, ['logs', '-l', 'app=pingpong', '--prefix', '--tail=1']);
      return out.trim().split('\n').length === 2 ? out : undefined;
    });
    for (const pod of pods) expect(prefixed).toMatch(new RegExp(`^\\[pod/${pod}/busybox\\] pong \\d+ from ${pod}$`, 'm'));
    const one = await kubectl(['logs', 'deploy/pingpong', '--tail=1']);
    expect(one.stderr).toMatch(/^Found 2 pods, using pod\/pingpong-\w+-\w+\n$/);
    expect(one.stdout).toMatch(/^pong \d+ from pingpong-\w+-\w+\n$/);
  });

  it('--previous shows the last run of a crashed container', async () => {
    await ok(kubectl, ['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'echo run at $(date +%s); sleep 1; exit 2']);
    await poll('a restart', async () => Number(await ok(kubectl, ['get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])) >= 1, 60_000);
    expect(await ok(kubectl, ['logs', 'crash', '--previous'])).toMatch(/^run at \d+\n$/);
    const last = jsonOf<{ exitCode: number; reason: string }>(await ok(kubectl, ['get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated}']));
    expect([last.exitCode, last.reason]).toEqual([2, 'Error']);
    expect(await fails(kubectl, ['logs', 'clock', '--previous'])).toBe('Error from server (BadRequest): previous terminated container "clock" in pod "clock" not found');
  });
});

describe('events', () => {
  it('get events --sort-by=.lastTimestamp tells a pod\'s start in order, with each source', async () => {
    const t = table(await ok(kubectl, ['get', 'events', '--sort-by=.lastTimestamp', '--field-selector', 'involvedObject.name=clock', '-o', 'wide']));
    expect(t.rows.map((r) => [r.TYPE, r.REASON, r.OBJECT, r.SUBOBJECT, r.SOURCE])).toEqual([
      ['Normal', 'Scheduled', 'pod/clock', '', 'default-scheduler'],
      ['Normal', 'Pulling', 'pod/clock', 'spec.containers{clock}', expect.stringMatching(/^kubelet, kubedesk-worker2?$/)],
      ['Normal', 'Pulled', 'pod/clock', 'spec.containers{clock}', expect.stringMatching(/^kubelet, kubedesk-worker2?$/)],
      ['Normal', 'Created', 'pod/clock', 'spec.containers{clock}', expect.stringMatching(/^kubelet, kubedesk-worker2?$/)],
      ['Normal', 'Started', 'pod/clock', 'spec.containers{clock}', expect.stringMatching(/^kubelet, kubedesk-worker2?$/)],
    ]);
    expect(t.rows[0].MESSAGE).toMatch(/^Successfully assigned default\/clock to kubedesk-worker2?$/);
    expect(t.rows[1].MESSAGE).toBe('Pulling image "busybox"');
    expect(t.rows[2].MESSAGE).toMatch(/^Successfully pulled image "busybox" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\.$/);
    expect(t.rows[3].MESSAGE).toBe('Created container: clock');
    expect(t.rows[4].MESSAGE).toBe('Started container clock');
    // The whole namespace's list sorts too, and deployments tell their scaling.
    const all = await ok(kubectl, ['get', 'events', '--sort-by=.lastTimestamp']);
    expect(all).toMatch(/Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-\w+ from 0 to 2/);
  });
});

describe('cluster commands', () => {
  it('cluster-info, get --raw /livez?verbose', async () => {
    // Off a terminal kubectl prints no colours.
    // kube-dns carries kubernetes.io/cluster-service=true: kubectl lists it, as on kind.
    expect(await ok(kubectl, ['cluster-info'])).toBe(`Kubernetes control plane is running at ${sandbox.url}\nCoreDNS is running at ${sandbox.url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
    const livez = await ok(kubectl, ['get', '--raw=/livez?verbose']);
    expect(livez).toMatch(/^\[\+\]ping ok\n\[\+\]log ok\n\[\+\]etcd ok\n(\[\+\][\w/-]+ ok\n)+livez check passed\n$/);
    expect(await ok(kubectl, ['get', '--raw=/readyz'])).toBe('ok');
  });

  it('config get-contexts, set-context --current --namespace, view --flatten', async () => {
    const contexts = table(await ok(kubectl, ['config', 'get-contexts']));
    expect(contexts.rows).toEqual([{ CURRENT: '*', NAME: 'kubedesk-sandbox', CLUSTER: 'kubedesk-sandbox', AUTHINFO: 'kubedesk-sandbox-admin', NAMESPACE: '' }]);
    expect(await ok(kubectl, ['config', 'set-context', '--current', '--namespace', 'kube-system'])).toBe('Context "kubedesk-sandbox" modified.\n');
    try {
      // kube-system's own ConfigMap is found without -n.
      expect(await ok(kubectl, ['get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.metadata.namespace}'])).toBe('kube-system');
      expect(table(await ok(kubectl, ['get', 'deploy'])).rows.map((r) => r.NAME)).toEqual(['coredns']);
      expect((await kubectl(['get', 'statefulsets'])).stderr).toBe('No resources found in kube-system namespace.\n');
    } finally {
      await ok(kubectl, ['config', 'set-context', '--current', '--namespace', 'default']);
    }
    const flat = await ok(kubectl, ['config', 'view', '--flatten']);
    expect(flat).toMatch(/certificate-authority-data: [A-Za-z0-9+/=]{100,}/);
    expect(flat).toContain(`server: ${sandbox.url}`);
    expect(await ok(kubectl, ['config', 'use-context', 'kubedesk-sandbox'])).toBe('Switched to context "kubedesk-sandbox".\n');
  });

  it('kubectl proxy then an HTTP GET of /api/v1/namespaces/default/pods', async () => {
    const proxy = background(sandbox, ['proxy', '--port=0']);
    try {
      const port = (await proxy.waitFor(/^Starting to serve on 127\.0\.0\.1:(\d+)$/m))[1];
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods`);
      expect(res.status).toBe(200);
      const list = (await res.json()) as { kind: string; items: { metadata: { name: string } }[] };
      expect(list.kind).toBe('PodList');
      expect(list.items.map((p) => p.metadata.name)).toEqual(expect.arrayContaining(['clock', 'nginx']));
      const page = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/services/nginx-svc:80/proxy/`);
      expect(await page.text()).toContain('<title>Welcome to nginx!</title>');
    } finally {
      await proxy.stop();
    }
  });
});
