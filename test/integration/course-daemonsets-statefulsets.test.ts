// The course's chapter on DaemonSets and StatefulSets, run with the real kubectl against a three-node
// sandbox: one pod per (selected) node, ordered pods with stable names, and per-pod claims bound by the
// default StorageClass that outlive the StatefulSet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { jsonOf, manifest, ok, poll, table, type Kubectl } from './kubectl-helpers.js';

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

interface NodeList {
  items: { metadata: { name: string }; spec: { taints?: { effect: string }[] } }[];
}

/** Nodes a pod without tolerations may land on (a control-plane node may be tainted NoSchedule). */
async function schedulableNodes(): Promise<string[]> {
  const nodes = jsonOf<NodeList>(await ok(kubectl, ['get', 'nodes', '-o', 'json']));
  return nodes.items.filter((n) => !(n.spec.taints ?? []).some((t) => t.effect === 'NoSchedule')).map((n) => n.metadata.name);
}

const SSD_MONITOR = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ssd-monitor
spec:
  selector:
    matchLabels:
      app: ssd-monitor
  template:
    metadata:
      labels:
        app: ssd-monitor
    spec:
      nodeSelector:
        disk: ssd
      containers:
      - name: main
        image: luksa/ssd-monitor
`;

const dsRow = async (name: string) => table(await ok(kubectl, ['get', 'ds', name])).rows[0];

describe('daemonsets', () => {
  it('the ssd-monitor DaemonSet follows the disk=ssd node label', async () => {
    expect(await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'ssd-monitor.yaml', SSD_MONITOR)])).toBe('daemonset.apps/ssd-monitor created\n');
    const empty = table(await ok(kubectl, ['get', 'ds', 'ssd-monitor']));
    expect(empty.headers).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
    expect(empty.rows[0]['NODE SELECTOR']).toBe('disk=ssd');
    const [first, second] = await schedulableNodes();
    expect(await ok(kubectl, ['label', 'node', first, 'disk=ssd'])).toBe(`node/${first} labeled\n`);
    const one = await poll('one ready', async () => {
      const r = await dsRow('ssd-monitor');
      return r.READY === '1' ? r : undefined;
    }, 60_000);
    expect([one.DESIRED, one.CURRENT, one['UP-TO-DATE'], one.AVAILABLE]).toEqual(['1', '1', '1', '1']);
    const pods = table(await ok(kubectl, ['get', 'pods', '-l', 'app=ssd-monitor', '-o', 'wide'])).rows;
    expect(pods.map((p) => [p.NODE, p.STATUS])).toEqual([[first, 'Running']]);
    expect(pods[0].NAME).toMatch(/^ssd-monitor-[a-z0-9]{5}$/);
    await ok(kubectl, ['label', 'node', second, 'disk=ssd']);
    await poll('two ready', async () => (await dsRow('ssd-monitor')).READY === '2', 60_000);
    // Taking the label away deletes the node's pod (it stays Terminating for its grace period, as sh
    // as PID 1 ignores SIGTERM on a real node too).
    await ok(kubectl, ['label', 'node', first, 'disk-']);
    await poll('pod leaves the unlabelled node', async () => {
      const rows = table(await ok(kubectl, ['get', 'pods', '-l', 'app=ssd-monitor', '-o', 'wide'])).rows;
      const leaving = rows.find((p) => p.NODE === first);
      return (leaving === undefined || leaving.STATUS === 'Terminating') && rows.some((p) => p.NODE === second && p.STATUS === 'Running');
    }, 60_000);
    expect((await dsRow('ssd-monitor')).DESIRED).toBe('1');
    const describe = await ok(kubectl, ['describe', 'ds', 'ssd-monitor']);
    expect(describe).toMatch(/Node-Selector:\s+disk=ssd/);
    expect(describe).toMatch(/Normal\s+SuccessfulCreate\s+.*Created pod: ssd-monitor-[a-z0-9]{5}/);
    expect(describe).toMatch(/Normal\s+SuccessfulDelete\s+.*Deleted pod: ssd-monitor-[a-z0-9]{5}/);
  });

  it('a DaemonSet without a selector runs one pod on every schedulable node and rolls on set image', async () => {
    const nodes = await schedulableNodes();
    await ok(kubectl, [
      'apply',
      '-f',
      await manifest(
        sandbox,
        'agent.yaml',
        'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      terminationGracePeriodSeconds: 1\n      containers: [{name: agent, image: busybox, command: [sleep, "3600"]}]\n',
      ),
    ]);
    expect(await ok(kubectl, ['rollout', 'status', 'ds/agent', '--timeout=90s'])).toMatch(/daemon set "agent" successfully rolled out\n$/);
    const pods = table(await ok(kubectl, ['get', 'pods', '-l', 'app=agent', '-o', 'wide'])).rows;
    expect(pods.map((p) => p.NODE).sort()).toEqual([...nodes].sort());
    expect(await ok(kubectl, ['set', 'image', 'ds/agent', 'agent=busybox:1.36'])).toBe('daemonset.apps/agent image updated\n');
    expect(await ok(kubectl, ['rollout', 'status', 'ds/agent', '--timeout=120s'])).toMatch(/daemon set "agent" successfully rolled out\n$/);
    await poll('every agent on busybox:1.36', async () => {
      const images = (await ok(kubectl, ['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image} {.status.phase}{"\\n"}{end}'])).trim().split('\n');
      return images.length === nodes.length && images.every((i) => i === 'busybox:1.36 Running');
    }, 60_000);
    expect(await ok(kubectl, ['rollout', 'history', 'ds/agent'])).toMatch(/^daemonset\.apps\/agent \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
  });
});

const WEB = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  serviceName: "nginx"
  replicas: 3
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
`;

describe('statefulsets', () => {
  it('pods are created in order with stable names, each with its own bound claim', async () => {
    await ok(kubectl, ['create', 'service', 'clusterip', 'nginx', '--clusterip=None', '--tcp=80:80']);
    expect(await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'web-sts.yaml', WEB)])).toBe('statefulset.apps/web created\n');
    // OrderedReady: web-1 appears only once web-0 is Running and Ready.
    const seen: string[][] = [];
    await poll('three ready', async () => {
      const rows = table((await kubectl(['get', 'po', '-l', 'app=nginx'])).stdout).rows;
      seen.push(rows.map((r) => `${r.NAME} ${r.READY}`));
      return rows.length === 3 && rows.every((r) => r.READY === '1/1' && r.STATUS === 'Running');
    }, 120_000);
    for (const snapshot of seen) {
      const names = snapshot.map((s) => s.split(' ')[0]);
      expect(names).toEqual(['web-0', 'web-1', 'web-2'].slice(0, names.length));
      // Every pod but the newest is ready.
      for (const s of snapshot.slice(0, -1)) expect(s.endsWith(' 1/1')).toBe(true);
    }
    const sts = table(await ok(kubectl, ['get', 'sts', 'web']));
    expect(sts.headers).toEqual(['NAME', 'READY', 'AGE']);
    expect(sts.rows[0].READY).toBe('3/3');
    expect(await ok(kubectl, ['rollout', 'status', 'sts/web', '--timeout=30s'])).toMatch(/partitioned roll out complete: 3 new pods have been updated\.\.\.\n$/);
    const defaultClass = table(await ok(kubectl, ['get', 'storageclass'])).rows.find((r) => r.NAME.endsWith('(default)'));
    expect(defaultClass).toBeDefined();
    const pvcs = table(await ok(kubectl, ['get', 'pvc']));
    expect(pvcs.headers).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(pvcs.rows.map((r) => [r.NAME, r.STATUS, r.CAPACITY, r['ACCESS MODES'], r.STORAGECLASS])).toEqual(
      ['web-0', 'web-1', 'web-2'].map((p) => [`www-${p}`, 'Bound', '1Gi', 'RWO', defaultClass!.NAME.replace(' (default)', '')]),
    );
    for (const row of pvcs.rows) expect(row.VOLUME).toMatch(/^pvc-[0-9a-f-]{36}$/);
    const pvs = table(await ok(kubectl, ['get', 'pv'])).rows;
    expect(pvs.map((r) => r.STATUS)).toEqual(['Bound', 'Bound', 'Bound']);
    expect(pvs.map((r) => r.CLAIM).sort()).toEqual(['default/www-web-0', 'default/www-web-1', 'default/www-web-2']);
    // The stable identity: hostname is the pod name.
    expect(await ok(kubectl, ['exec', 'web-1', '--', 'hostname'])).toBe('web-1\n');
  });

  it('data written in a pod survives its replacement; scaling down and deleting keep the claims', async () => {
    await ok(kubectl, ['exec', 'web-0', '--', 'sh', '-c', 'echo hello from web-0 > /usr/share/nginx/html/index.html']);
    const uid = await ok(kubectl, ['get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid}']);
    await ok(kubectl, ['delete', 'pod', 'web-0']);
    await poll('web-0 back', async () => {
      const p = jsonOf<{ metadata: { uid: string }; status: { phase: string } }>(await ok(kubectl, ['get', 'pod', 'web-0', '-o', 'json']));
      return p.metadata.uid !== uid && p.status.phase === 'Running';
    }, 60_000);
    expect(await ok(kubectl, ['exec', 'web-0', '--', 'cat', '/usr/share/nginx/html/index.html'])).toBe('hello from web-0\n');
    expect(await ok(kubectl, ['scale', 'sts', 'web', '--replicas=1'])).toBe('statefulset.apps/web scaled\n');
    await poll('scaled to one', async () => table((await kubectl(['get', 'po', '-l', 'app=nginx'])).stdout).rows.length === 1, 60_000);
    expect(table(await ok(kubectl, ['get', 'pvc'])).rows.map((r) => [r.NAME, r.STATUS])).toEqual([
      ['www-web-0', 'Bound'],
      ['www-web-1', 'Bound'],
      ['www-web-2', 'Bound'],
    ]);
    expect(await ok(kubectl, ['delete', 'sts', 'web'])).toBe('statefulset.apps "web" deleted\n');
    await poll('pods gone', async () => (await kubectl(['get', 'po', '-l', 'app=nginx'])).stderr.includes('No resources found'), 60_000);
    expect(table(await ok(kubectl, ['get', 'pvc'])).rows).toHaveLength(3);
    expect(table(await ok(kubectl, ['get', 'pv'])).rows.map((r) => r.STATUS)).toEqual(['Bound', 'Bound', 'Bound']);
  });

  it("the course's mysql StatefulSet: the init container derives server-id from the ordinal", async () => {
    const file = await manifest(
      sandbox,
      'mysql.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: mysql
  labels:
    app: mysql
    app.kubernetes.io/name: mysql
data:
  primary.cnf: |
    [mysqld]
    log-bin
  replica.cnf: |
    [mysqld]
    super-read-only
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: mysql
spec:
  selector:
    matchLabels:
      app: mysql
      app.kubernetes.io/name: mysql
  serviceName: mysql
  replicas: 2
  template:
    metadata:
      labels:
        app: mysql
        app.kubernetes.io/name: mysql
    spec:
      initContainers:
      - name: init-mysql
        image: mysql:5.7
        command:
        - bash
        - "-c"
        - |
          set -ex
          [[ \`hostname\` =~ -([0-9]+)$ ]] || exit 1
          ordinal=\${BASH_REMATCH[1]}
          echo [mysqld] > /mnt/conf.d/server-id.cnf
          echo server-id=$((100 + $ordinal)) >> /mnt/conf.d/server-id.cnf
          if [[ $ordinal -eq 0 ]]; then
            cp /mnt/config-map/primary.cnf /mnt/conf.d/
          else
            cp /mnt/config-map/replica.cnf /mnt/conf.d/
          fi
        volumeMounts:
        - name: conf
          mountPath: /mnt/conf.d
        - name: config-map
          mountPath: /mnt/config-map
      containers:
      - name: mysql
        image: mysql:5.7
        env:
        - name: MYSQL_ALLOW_EMPTY_PASSWORD
          value: "1"
        volumeMounts:
        - name: conf
          mountPath: /etc/mysql/conf.d
      volumes:
      - name: conf
        emptyDir: {}
      - name: config-map
        configMap:
          name: mysql
`,
    );
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('configmap/mysql created\nstatefulset.apps/mysql created\n');
    await poll('mysql ready', async () => table(await ok(kubectl, ['get', 'sts', 'mysql'])).rows[0].READY === '2/2', 120_000);
    expect(await ok(kubectl, ['exec', 'mysql-1', '-c', 'mysql', '--', 'cat', '/etc/mysql/conf.d/server-id.cnf'])).toBe('[mysqld]\nserver-id=101\n');
    expect(await ok(kubectl, ['exec', 'mysql-0', '--', 'ls', '/etc/mysql/conf.d'])).toBe('primary.cnf\nserver-id.cnf\n');
    expect(await ok(kubectl, ['exec', 'mysql-1', '--', 'ls', '/etc/mysql/conf.d'])).toBe('replica.cnf\nserver-id.cnf\n');
    // set -x traces each command on stderr, which the init container's log shows.
    expect(await ok(kubectl, ['logs', 'mysql-1', '-c', 'init-mysql'])).toContain('+ ordinal=1\n');
    const logs = await kubectl(['logs', 'mysql-1']);
    expect(logs.stderr).toBe('Defaulted container "mysql" out of: mysql, init-mysql (init)\n');
    expect(logs.stdout).toContain('ready for connections');
  });
});
