// What a learner finds in a fresh cluster, with the real kubectl on a 3-node sandbox, checked against
// a kind cluster: kube-system's static pods (mirror pods of the control-plane node), CoreDNS behind
// kube-dns, kube-proxy on every node, their ConfigMaps and logs; the node events of
// `kubectl describe node`; and a restart that finds them all again without duplicates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { AGE, jsonOf, ok, poll, table, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;
const CP = 'kubedesk-control-plane';
const STATIC = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 3 });
  kubectl = kubectlFor(sandbox);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

async function systemPods(): Promise<Record<string, string>[]> {
  return table(await ok(kubectl, ['get', 'pods', '-n', 'kube-system'])).rows;
}

async function allRunning(count: number): Promise<Record<string, string>[]> {
  return poll(
    `${count} kube-system pods Running and ready`,
    async () => {
      const rows = await systemPods();
      return rows.length === count && rows.every((r) => r.STATUS === 'Running' && r.READY === '1/1') ? rows : undefined;
    },
    90_000,
  );
}

describe('kube-system (course: kubectl get pods -n kube-system)', () => {
  it('lists the static pods, two CoreDNS replicas and one kube-proxy per node, all Running', async () => {
    const rows = await allRunning(9);
    const names = rows.map((r) => r.NAME);
    for (const c of STATIC) expect(names).toContain(`${c}-${CP}`);
    // kubeadm 1.32's CoreDNS ReplicaSet is coredns-668d6bf9bc in every real cluster: same template, same hash.
    expect(names.filter((n) => /^coredns-668d6bf9bc-[a-z0-9]{5}$/.test(n))).toHaveLength(2);
    expect(names.filter((n) => /^kube-proxy-[a-z0-9]{5}$/.test(n))).toHaveLength(3);
    for (const r of rows) expect(r.AGE).toMatch(AGE);
    const wide = table(await ok(kubectl, ['get', 'pods', '-n', 'kube-system', '-o', 'wide'])).rows;
    // Static pods and kube-proxy use the host's network: the node's address is their IP.
    for (const c of [...STATIC.map((s) => `${s}-${CP}`)]) expect(wide.find((r) => r.NAME === c)).toMatchObject({ IP: '172.18.0.2', NODE: CP });
    expect(new Set(wide.filter((r) => r.NAME.startsWith('kube-proxy-')).map((r) => r.NODE))).toEqual(new Set([CP, 'kubedesk-worker', 'kubedesk-worker2']));
    for (const r of wide.filter((x) => x.NAME.startsWith('coredns-'))) expect(r.IP).toMatch(/^10\.244\.\d+\.\d+$/);
  });

  it('static pods are mirror pods: labels, annotations, priority, owned by the Node', async () => {
    const pod = jsonOf<{
      metadata: { labels: Record<string, string>; annotations: Record<string, string>; ownerReferences: { kind: string; name: string; controller: boolean }[] };
      spec: { priorityClassName: string; priority: number; hostNetwork: boolean; nodeName: string; containers: { image: string; command: string[] }[] };
    }>(await ok(kubectl, ['get', 'pod', '-n', 'kube-system', `etcd-${CP}`, '-o', 'json']));
    expect(pod.metadata.labels).toEqual({ component: 'etcd', tier: 'control-plane' });
    expect(pod.metadata.annotations['kubernetes.io/config.source']).toBe('file');
    expect(pod.metadata.annotations['kubernetes.io/config.mirror']).toMatch(/^[0-9a-f]{32}$/);
    expect(pod.metadata.annotations['kubernetes.io/config.hash']).toBe(pod.metadata.annotations['kubernetes.io/config.mirror']);
    expect(pod.metadata.annotations['kubeadm.kubernetes.io/etcd.advertise-client-urls']).toBe('https://172.18.0.2:2379');
    expect(pod.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Node', name: CP, controller: true })]);
    expect(pod.spec).toMatchObject({ priorityClassName: 'system-node-critical', priority: 2000001000, hostNetwork: true, nodeName: CP });
    expect(pod.spec.containers[0].image).toBe('registry.k8s.io/etcd:3.5.16-0');
    const tiers = table(await ok(kubectl, ['get', 'pods', '-A', '-l', 'tier=control-plane', '-L', 'component'])).rows;
    expect(tiers.map((r) => r.COMPONENT).sort()).toEqual([...STATIC].sort());
    expect(await ok(kubectl, ['get', 'pod', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'jsonpath={.items[*].spec.priorityClassName}'])).toBe('system-cluster-critical system-cluster-critical');
  });

  it('selects CoreDNS by label across namespaces, with its pod-template-hash, and negated', async () => {
    const dns = table(await ok(kubectl, ['get', 'po', '-A', '-l', 'k8s-app=kube-dns'])).rows;
    expect(dns).toHaveLength(2);
    for (const r of dns) expect(r).toMatchObject({ NAMESPACE: 'kube-system', READY: '1/1', STATUS: 'Running' });
    const hash = /^coredns-([a-z0-9]+)-/.exec(dns[0].NAME)?.[1] ?? '';
    expect(await ok(kubectl, ['get', 'po', '-A', '-l', `k8s-app=kube-dns,pod-template-hash=${hash}`, '-o', 'name'])).toBe(dns.map((r) => `pod/${r.NAME}\n`).sort().join(''));
    expect(await ok(kubectl, ['get', 'po', '-A', '-l', 'k8s-app=kube-dns', '-l', `pod-template-hash=${hash}`, '-o', 'name'])).toBe(dns.map((r) => `pod/${r.NAME}\n`).sort().join(''));
    const others = table(await ok(kubectl, ['get', 'po', '-A', '-l', 'k8s-app!=kube-dns'])).rows.map((r) => r.NAME);
    expect(others.some((n) => n.startsWith('coredns-'))).toBe(false);
    expect(others).toContain(`etcd-${CP}`);
    const labels = table(await ok(kubectl, ['get', 'pods', '-n', 'kube-system', '-L', 'k8s-app'])).rows;
    expect(labels.filter((r) => r['K8S-APP'] === 'kube-proxy')).toHaveLength(3);
    expect(table(await ok(kubectl, ['get', 'deploy', '-n', 'kube-system', '--show-labels'])).rows).toEqual([expect.objectContaining({ NAME: 'coredns', READY: '2/2', LABELS: 'k8s-app=kube-dns' })]);
  });

  it('kube-dns is 10.96.0.10 with dns, dns-tcp and metrics ports, endpoints on the CoreDNS pods', async () => {
    expect(table(await ok(kubectl, ['get', 'svc', '-n', 'kube-system', 'kube-dns'])).rows[0]).toMatchObject({ TYPE: 'ClusterIP', 'CLUSTER-IP': '10.96.0.10', 'EXTERNAL-IP': '<none>', 'PORT(S)': '53/UDP,53/TCP,9153/TCP' });
    const ports = await ok(kubectl, ['get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'jsonpath={range .spec.ports[*]}{.name}/{.protocol}/{.port} {end}']);
    expect(ports).toBe('dns/UDP/53 dns-tcp/TCP/53 metrics/TCP/9153 ');
    const ips = await ok(kubectl, ['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'jsonpath={.items[*].status.podIP}']);
    const ep = await poll('kube-dns endpoints', async () => {
      const row = table(await ok(kubectl, ['get', 'endpoints', '-n', 'kube-system', 'kube-dns'])).rows[0];
      return row && row.ENDPOINTS.split(',').length >= 3 ? row.ENDPOINTS : undefined;
    });
    for (const ip of ips.split(' ')) expect(ep).toContain(`${ip}:53`);
    expect(table(await ok(kubectl, ['get', 'ds', '-n', 'kube-system'])).rows[0]).toMatchObject({ NAME: 'kube-proxy', DESIRED: '3', CURRENT: '3', READY: '3', 'NODE SELECTOR': 'kubernetes.io/os=linux' });
  });

  it('ConfigMaps: coredns Corefile, kube-proxy config, kubeadm-config, kube-root-ca.crt', async () => {
    const names = table(await ok(kubectl, ['get', 'cm', '-n', 'kube-system'])).rows.map((r) => r.NAME);
    for (const n of ['coredns', 'kube-proxy', 'kube-root-ca.crt', 'kubeadm-config', 'kubelet-config']) expect(names).toContain(n);
    const corefile = await ok(kubectl, ['get', 'cm', '-n', 'kube-system', 'coredns', '-o', 'jsonpath={.data.Corefile}']);
    expect(corefile).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa {');
    expect(corefile).toContain('forward . /etc/resolv.conf {');
    expect(await ok(kubectl, ['get', 'cm', '-n', 'kube-system', 'kube-proxy', '-o', 'jsonpath={.data.config\\.conf}'])).toContain('mode: iptables');
  });

  it('logs: CoreDNS, kube-proxy and etcd print their startup lines', async () => {
    const dns = await ok(kubectl, ['logs', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '--tail=4']);
    expect(dns).toContain('.:53\n[INFO] plugin/reload: Running configuration SHA512 = ');
    expect(dns).toContain('CoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n');
    const proxy = await ok(kubectl, ['logs', '-n', 'kube-system', 'ds/kube-proxy']);
    expect(proxy).toMatch(/^I\d{4} \d\d:\d\d:\d\d\.\d{6} {7}1 server_linux\.go:66\] "Using iptables proxy"$/m);
    const etcd = (await ok(kubectl, ['logs', '-n', 'kube-system', `etcd-${CP}`])).trim().split('\n');
    expect(JSON.parse(etcd[0])).toMatchObject({ level: 'info', caller: 'etcdmain/etcd.go:73', msg: 'Running: ' });
    expect(await ok(kubectl, ['logs', '-n', 'kube-system', `kube-apiserver-${CP}`])).toContain('Serving securely on [::]:6443');
  });

  it('deleting a mirror pod does not remove it: the kubelet posts it again', async () => {
    const before = await ok(kubectl, ['get', 'pod', '-n', 'kube-system', `kube-scheduler-${CP}`, '-o', 'jsonpath={.metadata.uid}']);
    expect(await ok(kubectl, ['delete', 'pod', '-n', 'kube-system', `kube-scheduler-${CP}`])).toBe(`pod "kube-scheduler-${CP}" deleted\n`);
    const after = await poll('the mirror pod back', async () => {
      const r = await kubectl(['get', 'pod', '-n', 'kube-system', `kube-scheduler-${CP}`, '-o', 'jsonpath={.metadata.uid}']);
      return r.code === 0 && r.stdout !== before ? r.stdout : undefined;
    });
    expect(after).not.toBe(before);
    await allRunning(9);
  });
});

describe('node events (course: kubectl describe node)', () => {
  it('shows the kubelet start, RegisteredNode and NodeReady; cordon and uncordon add (Not)Schedulable', async () => {
    const events = (text: string) => text.slice(text.indexOf('Events:'));
    const described = events(await ok(kubectl, ['describe', 'node', 'kubedesk-worker']));
    expect(described).toMatch(/Normal\s+Starting\s+\S+\s+kubelet\s+Starting kubelet\./);
    for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']) expect(described).toMatch(new RegExp(`Normal\\s+${reason}\\s+\\S+\\s+kubelet\\s+Node kubedesk-worker status is now: ${reason}`));
    expect(described).toMatch(/Normal\s+NodeAllocatableEnforced\s+\S+\s+kubelet\s+Updated Node Allocatable limit across pods/);
    expect(described).toMatch(/Normal\s+Starting\s+\S+\s+kube-proxy\s*$/m);
    expect(described).toMatch(/Normal\s+RegisteredNode\s+\S+\s+node-controller\s+Node kubedesk-worker event: Registered Node kubedesk-worker in Controller/);
    await ok(kubectl, ['cordon', 'kubedesk-worker']);
    await poll('NodeNotSchedulable', async () => /Normal\s+NodeNotSchedulable\s+\S+\s+kubelet\s+Node kubedesk-worker status is now: NodeNotSchedulable/.test(await ok(kubectl, ['describe', 'node', 'kubedesk-worker'])));
    await ok(kubectl, ['uncordon', 'kubedesk-worker']);
    await poll('NodeSchedulable', async () => /Normal\s+NodeSchedulable\s+\S+\s+kubelet\s+Node kubedesk-worker status is now: NodeSchedulable/.test(await ok(kubectl, ['describe', 'node', 'kubedesk-worker'])));
    const fields = await ok(kubectl, ['get', 'events', '--field-selector', 'involvedObject.kind=Node,involvedObject.name=kubedesk-worker', '-o', 'jsonpath={range .items[*]}{.reason}/{.source.component}{"\\n"}{end}']);
    expect(fields).toContain('Starting/kubelet');
    expect(fields).toContain('RegisteredNode/node-controller');
  });
});

describe('restart', () => {
  it('a restarted sandbox finds the same system pods, with no duplicates', async () => {
    const before = (await systemPods()).map((r) => r.NAME).sort();
    expect(await sandbox.stop()).toBe(0);
    sandbox = await startSandbox({ nodes: 3, dataDir: sandbox.dataDir });
    kubectl = kubectlFor(sandbox);
    const rows = await allRunning(9);
    expect(rows.map((r) => r.NAME).sort()).toEqual(before);
    expect(table(await ok(kubectl, ['get', 'deploy', '-A'])).rows.map((r) => `${r.NAMESPACE}/${r.NAME}`)).toEqual(['ingress-nginx/ingress-nginx-controller', 'kube-system/coredns']);
  });
});
