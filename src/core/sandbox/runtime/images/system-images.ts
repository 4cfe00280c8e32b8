// The images a kubeadm/kind cluster runs in kube-system (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, kube-proxy, CoreDNS) and the ingress-nginx controller: their startup logs as the
// real binaries print them, and the health ports their probes reach. The control plane itself is the
// sandbox's; these containers are what `kubectl get pods -n kube-system` and `kubectl logs` show.
import type { Listener, Program, ProgramContext } from '../shell/system.js';
import { encode } from '../shell/io.js';
import type { ImageDef } from './catalog.js';
import { httpDate } from './servers.js';
import { ingressNginxController } from './ingress-nginx.js';
import { klog, subMillisecond } from './klog.js';

/** An endpoint answering probes as the components do: 200 "ok" (etcd answers JSON). */
function health(ctx: ProgramContext, body: (path: string) => string = () => 'ok'): Listener {
  return {
    http: (req) => {
      const bytes = encode(body(req.path));
      return Promise.resolve({ status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', Date: httpDate(ctx.sys.clock.now()), 'Content-Length': String(bytes.length) }, body: bytes });
    },
  };
}

interface Component {
  lines: (ctx: ProgramContext) => string[];
  ports: (ctx: ProgramContext) => Record<number, Listener>;
  stream?: 'stdout' | 'stderr';
  memoryBytes: number;
}

/** Prints its startup log, listens on its ports, runs until SIGTERM (exit 0). */
function component(c: Component): Program {
  return async (ctx) => {
    const out = c.stream === 'stdout' ? ctx.stdout : ctx.stderr;
    for (const line of c.lines(ctx)) await out.write(line + '\n');
    const listeners = Object.entries(c.ports(ctx)).map(([port, l]) => ctx.sys.listen(Number(port), l));
    ctx.sys.allocate(c.memoryBytes);
    let stop: ((code: number) => void) | undefined;
    const stopped = new Promise<number>((r) => (stop = r));
    ctx.proc.handler = (sig) => {
      if (sig !== 15 && sig !== 2) return false;
      stop?.(0);
      return true;
    };
    try {
      return await ctx.proc.race(stopped);
    } finally {
      for (const l of listeners) l.dispose();
    }
  };
}

const flag = (ctx: ProgramContext, name: string): string | undefined => ctx.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

function etcdJson(ctx: ProgramContext, caller: string, msg: string, extra: Record<string, unknown> = {}): string {
  const now = ctx.sys.clock.now();
  const ts = now.toISOString().replace(/\.(\d{3})Z$/, '.$1' + String(subMillisecond(now)).padStart(3, '0') + 'Z');
  return JSON.stringify({ level: 'info', ts, caller, msg, ...extra });
}

const etcd = (version: string): Program =>
  component({
    memoryBytes: 36 * 1024 * 1024,
    lines: (ctx) => {
      const name = flag(ctx, 'name') ?? ctx.sys.hostname;
      const client = flag(ctx, 'advertise-client-urls') ?? `https://${ctx.sys.podIP}:2379`;
      return [
        etcdJson(ctx, 'etcdmain/etcd.go:73', 'Running: ', { args: ctx.argv }),
        etcdJson(ctx, 'embed/etcd.go:128', 'configuring peer listeners', { 'listen-peer-urls': [flag(ctx, 'listen-peer-urls') ?? `https://${ctx.sys.podIP}:2380`] }),
        etcdJson(ctx, 'embed/etcd.go:136', 'configuring client listeners', { 'listen-client-urls': (flag(ctx, 'listen-client-urls') ?? client).split(',') }),
        etcdJson(ctx, 'embed/etcd.go:311', 'starting an etcd server', { 'etcd-version': version, 'git-sha': 'a4d6c8a', 'go-version': 'go1.22.7', 'go-os': 'linux', 'go-arch': 'amd64', name, 'data-dir': flag(ctx, 'data-dir') ?? '/var/lib/etcd' }),
        etcdJson(ctx, 'etcdserver/server.go:2065', 'published local member to cluster through raft', { 'local-member-attributes': `{Name:${name} ClientURLs:[${client}]}`, 'cluster-id': '9d8fdeb88b6def78', 'publish-timeout': '7s' }),
        etcdJson(ctx, 'embed/serve.go:103', 'ready to serve client requests'),
        etcdJson(ctx, 'embed/serve.go:250', 'serving client traffic securely', { traffic: 'grpc+http', address: `${ctx.sys.podIP}:2379` }),
        etcdJson(ctx, 'embed/serve.go:250', 'serving client traffic securely', { traffic: 'grpc+http', address: '127.0.0.1:2379' }),
      ];
    },
    ports: (ctx) => {
      const ok = health(ctx, () => '{"health":"true","reason":""}');
      return { 2379: ok, 2380: ok, 2381: ok };
    },
  });

const apiserver = (version: string): Program =>
  component({
    memoryBytes: 210 * 1024 * 1024,
    lines: (ctx) => [
      klog(ctx, 'I', 'options.go:238', `external host was not specified, using ${flag(ctx, 'advertise-address') ?? ctx.sys.podIP}`),
      klog(ctx, 'I', 'server.go:143', `Version: v${version}`),
      klog(ctx, 'I', 'server.go:145', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
      klog(ctx, 'I', 'shared_informer.go:313', 'Waiting for caches to sync for node_authorizer'),
      klog(ctx, 'I', 'plugins.go:157', 'Loaded 13 mutating admission controller(s) successfully in the following order: NamespaceLifecycle,LimitRanger,ServiceAccount,NodeRestriction,TaintNodesByCondition,Priority,DefaultTolerationSeconds,DefaultStorageClass,StorageObjectInUseProtection,RuntimeClass,DefaultIngressClass,MutatingAdmissionPolicy,MutatingAdmissionWebhook.'),
      klog(ctx, 'I', 'secure_serving.go:213', `Serving securely on [::]:${flag(ctx, 'secure-port') ?? '6443'}`),
      klog(ctx, 'I', 'controller.go:615', 'quota admission added evaluator for: leases.coordination.k8s.io'),
      klog(ctx, 'I', 'alloc.go:330', '"allocated clusterIPs" service="default/kubernetes" clusterIPs={"IPv4":"10.96.0.1"}'),
      klog(ctx, 'I', 'controller.go:615', 'quota admission added evaluator for: endpoints'),
    ],
    ports: (ctx) => ({ [Number(flag(ctx, 'secure-port') ?? 6443)]: health(ctx) }),
  });

const controllerManager = (version: string): Program =>
  component({
    memoryBytes: 45 * 1024 * 1024,
    lines: (ctx) => [
      klog(ctx, 'I', 'serving.go:386', 'Generated self-signed cert in-memory'),
      klog(ctx, 'I', 'controllermanager.go:185', `"Starting" version="v${version}"`),
      klog(ctx, 'I', 'controllermanager.go:187', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
      klog(ctx, 'I', 'secure_serving.go:213', 'Serving securely on 127.0.0.1:10257'),
      klog(ctx, 'I', 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/kube-controller-manager...'),
      klog(ctx, 'I', 'leaderelection.go:271', 'successfully acquired lease kube-system/kube-controller-manager'),
      klog(ctx, 'I', 'event.go:389', `"Event occurred" object="kube-system/kube-controller-manager" fieldPath="" kind="Lease" apiVersion="coordination.k8s.io/v1" type="Normal" reason="LeaderElection" message="${ctx.sys.hostname}_${Math.random().toString(16).slice(2, 10)} became leader"`),
      klog(ctx, 'I', 'shared_informer.go:320', 'Caches are synced for garbage collector'),
    ],
    ports: (ctx) => ({ 10257: health(ctx) }),
  });

const scheduler = (version: string): Program =>
  component({
    memoryBytes: 18 * 1024 * 1024,
    lines: (ctx) => [
      klog(ctx, 'I', 'serving.go:386', 'Generated self-signed cert in-memory'),
      klog(ctx, 'I', 'server.go:167', `"Starting Kubernetes Scheduler" version="v${version}"`),
      klog(ctx, 'I', 'server.go:169', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
      klog(ctx, 'I', 'secure_serving.go:213', 'Serving securely on 127.0.0.1:10259'),
      klog(ctx, 'I', 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/kube-scheduler...'),
      klog(ctx, 'I', 'leaderelection.go:271', 'successfully acquired lease kube-system/kube-scheduler'),
    ],
    ports: (ctx) => ({ 10259: health(ctx) }),
  });

const kubeProxy = (version: string): Program =>
  component({
    memoryBytes: 14 * 1024 * 1024,
    lines: (ctx) => [
      klog(ctx, 'I', 'server_linux.go:66', '"Using iptables proxy"'),
      klog(ctx, 'I', 'server.go:698', `"Successfully retrieved node IP(s)" IPs=["${ctx.sys.podIP}"]`),
      klog(ctx, 'I', 'conntrack.go:60', '"Setting nf_conntrack_max" nfConntrackMax=131072'),
      klog(ctx, 'I', 'server_linux.go:170', '"Using iptables Proxier"'),
      klog(ctx, 'I', 'proxier.go:255', '"Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"'),
      klog(ctx, 'I', 'server.go:497', `"Version info" version="v${version}"`),
      klog(ctx, 'I', 'server.go:499', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
      klog(ctx, 'I', 'config.go:199', '"Starting service config controller"'),
      klog(ctx, 'I', 'shared_informer.go:313', 'Waiting for caches to sync for service config'),
      klog(ctx, 'I', 'config.go:105', '"Starting endpoint slice config controller"'),
      klog(ctx, 'I', 'shared_informer.go:313', 'Waiting for caches to sync for endpoint slice config'),
      klog(ctx, 'I', 'config.go:329', '"Starting node config controller"'),
      klog(ctx, 'I', 'shared_informer.go:313', 'Waiting for caches to sync for node config'),
      klog(ctx, 'I', 'shared_informer.go:320', 'Caches are synced for node config'),
      klog(ctx, 'I', 'shared_informer.go:320', 'Caches are synced for service config'),
      klog(ctx, 'I', 'shared_informer.go:320', 'Caches are synced for endpoint slice config'),
    ],
    ports: (ctx) => ({ 10249: health(ctx), 10256: health(ctx) }),
  });

const coredns = (version: string): Program =>
  component({
    stream: 'stdout',
    memoryBytes: 12 * 1024 * 1024,
    lines: () => ['.:53', '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908', `CoreDNS-${version}`, 'linux/amd64, go1.21.11, a6338e9'],
    ports: (ctx) => ({ 53: health(ctx), 8080: health(ctx, () => 'OK'), 8181: health(ctx, () => 'OK'), 9153: health(ctx, () => '# HELP coredns_build_info A metric with a constant \'1\' value labeled by version, revision, and goversion from which CoreDNS was built.\n') }),
  });

/** Runs its arguments (dumb-init --, tini --). */
const init: Program = async (ctx) => {
  const { execNext } = await import('./servers.js');
  const args = ctx.argv.slice(1);
  return execNext(ctx, args[0] === '--' ? args.slice(1) : args);
};

const K8S = '1.32.3';
const kube = (name: string, sizeMB: number, program: (v: string) => Program): ImageDef => ({
  repository: `registry.k8s.io/${name}`,
  aliases: [`k8s.gcr.io/${name}`],
  latest: K8S,
  os: 'distroless',
  sizeMB,
  entrypoint: [],
  cmd: [],
  programs: (v) => ({ [`/usr/local/bin/${name}`]: program(v) }),
});

export const systemImages: ImageDef[] = [
  { repository: 'registry.k8s.io/etcd', aliases: ['k8s.gcr.io/etcd'], latest: '3.5.16', os: 'distroless', sizeMB: 57, entrypoint: [], cmd: [], programs: (v) => ({ '/usr/local/bin/etcd': etcd(v) }) },
  kube('kube-apiserver', 28, apiserver),
  kube('kube-controller-manager', 26, controllerManager),
  kube('kube-scheduler', 20, scheduler),
  kube('kube-proxy', 31, kubeProxy),
  { repository: 'registry.k8s.io/coredns/coredns', aliases: ['docker.io/coredns/coredns'], latest: '1.11.3', os: 'distroless', sizeMB: 18, entrypoint: ['/coredns'], cmd: [], ports: [53, 9153], programs: (v) => ({ '/coredns': coredns(v) }) },
  {
    repository: 'registry.k8s.io/ingress-nginx/controller',
    latest: '1.12.0',
    os: 'alpine',
    sizeMB: 105,
    entrypoint: ['/usr/bin/dumb-init', '--'],
    cmd: ['/nginx-ingress-controller'],
    ports: [80, 443],
    programs: (v) => ({ '/usr/bin/dumb-init': init, '/nginx-ingress-controller': ingressNginxController(v) }),
  },
];
