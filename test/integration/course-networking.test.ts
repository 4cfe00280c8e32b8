// The course's networking chapter (seeds 004) run with the real kubectl against a 3-node sandbox:
// Services of every type and the kubectl expose variants, service discovery from a pod (env vars,
// nslookup, wget by name), Ingress and IngressClass. Checked against what a kind cluster shows.
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { jsonOf, manifest, ok, poll, table, type Kubectl } from './kubectl-helpers.js';
import { background } from './course-kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 3 });
  kubectl = kubectlFor(sandbox);
  await ok(kubectl, ['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

const CLUSTER_IP = /^10\.(9[6-9]|1[01]\d)\.\d+\.\d+$/;

async function svcRow(name: string): Promise<Record<string, string>> {
  const rows = table(await ok(kubectl, ['get', 'svc', name])).rows;
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe('services (course: Kubernetes : Services)', () => {
  it('ClusterIP from the manifest and from kubectl expose', async () => {
    const file = await manifest(
      sandbox,
      'the-service.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: \n  name: the-service\nspec: \n  ports: \n    - port: 80\n      protocol: TCP\n      targetPort: 8080\n  selector: \n    app: web\n',
    );
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('service/the-service created\n');
    expect(await ok(kubectl, ['expose', 'deploy', 'web', '--port=80', '--target-port=8080'])).toBe('service/web exposed\n');
    for (const name of ['the-service', 'web']) {
      const row = await svcRow(name);
      expect(row).toMatchObject({ NAME: name, TYPE: 'ClusterIP', 'EXTERNAL-IP': '<none>', 'PORT(S)': '80/TCP' });
      expect(row['CLUSTER-IP']).toMatch(CLUSTER_IP);
    }
    await ok(kubectl, ['rollout', 'status', 'deploy/web', '--timeout=60s']);
    const ep = await poll('two endpoints on 8080', async () => {
      const row = table(await ok(kubectl, ['get', 'endpoints', 'web'])).rows[0];
      return row?.ENDPOINTS.split(',').length === 2 ? row.ENDPOINTS : undefined;
    });
    expect(ep).toMatch(/^10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080$/);
  });

  it('headless: CLUSTER-IP None from the manifest and from expose --cluster-ip none', async () => {
    const file = await manifest(
      sandbox,
      'headless.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-headless-service\nspec:\n  clusterIP: None # <--\n  selector:\n    app: test-app\n  ports:\n    - protocol: TCP\n      port: 80\n      targetPort: 3000\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    expect(await ok(kubectl, ['expose', 'deploy', 'web', '--name=web-hl', '--port=80', '--target-port=8080', '--cluster-ip', 'None'])).toBe('service/web-hl exposed\n');
    for (const name of ['my-headless-service', 'web-hl']) expect(await svcRow(name)).toMatchObject({ TYPE: 'ClusterIP', 'CLUSTER-IP': 'None', 'PORT(S)': '80/TCP' });
  });

  it('NodePort: a port in 30000-32767, shown as port:nodePort', async () => {
    const file = await manifest(
      sandbox,
      'nodeport.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-nginx\nspec:\n  type: NodePort\n  ports:\n  - port: 8080\n    targetPort: 80\n    protocol: TCP\n    name: http\n  selector:\n    app: my-nginx\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    await ok(kubectl, ['expose', 'deploy', 'web', '--name=web-np', '--type', 'NodePort', '--protocol', 'TCP', '--port', '80', '--target-port', '8080']);
    for (const [name, port] of [['my-nginx', 8080], ['web-np', 80]] as const) {
      const row = await svcRow(name);
      expect(row).toMatchObject({ TYPE: 'NodePort', 'EXTERNAL-IP': '<none>' });
      const m = new RegExp(`^${port}:(\\d+)/TCP$`).exec(row['PORT(S)']);
      expect(m).not.toBeNull();
      expect(Number(m?.[1])).toBeGreaterThanOrEqual(30000);
      expect(Number(m?.[1])).toBeLessThanOrEqual(32767);
    }
    const svc = jsonOf<{ spec: { externalTrafficPolicy: string } }>(await ok(kubectl, ['get', 'svc', 'web-np', '-o', 'json']));
    expect(svc.spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('LoadBalancer: an external IP is assigned as a local cloud does (no <pending> forever)', async () => {
    const file = await manifest(
      sandbox,
      'lb.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: myapp\nspec:\n  ports:\n    - port: 9000\n      targetPort: 1234\n  selector:\n    app: myapp\n  type: LoadBalancer\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    await ok(kubectl, ['expose', 'deploy', 'web', '--name=web-lb', '--type', 'LoadBalancer', '--protocol', 'TCP', '--port', '9000', '--target-port', '1234']);
    const ips = new Set<string>();
    for (const name of ['myapp', 'web-lb']) {
      const row = await poll(`${name} external IP`, async () => {
        const r = await svcRow(name);
        return r['EXTERNAL-IP'] !== '<pending>' ? r : undefined;
      });
      expect(row.TYPE).toBe('LoadBalancer');
      expect(row['EXTERNAL-IP']).toMatch(/^172\.18\.255\.(2[0-4]\d|250)$/);
      expect(row['PORT(S)']).toMatch(/^9000:3\d{4}\/TCP$/);
      ips.add(row['EXTERNAL-IP']);
    }
    expect(ips.size).toBe(2);
    const described = await ok(kubectl, ['describe', 'svc', 'web-lb']);
    expect(described).toMatch(/LoadBalancer Ingress:\s+172\.18\.255\.\d+ \(VIP\)/);
    expect(described).toMatch(/Normal\s+EnsuringLoadBalancer\s+\S+\s+service-controller\s+Ensuring load balancer/);
    expect(described).toMatch(/Normal\s+EnsuredLoadBalancer\s+\S+\s+service-controller\s+Ensured load balancer/);
  });

  it('ExternalName from the manifest (namespace prod) and kubectl create service externalname', async () => {
    await ok(kubectl, ['create', 'namespace', 'prod']);
    const file = await manifest(sandbox, 'externalname.yaml', 'kind: Service\napiVersion: v1\nmetadata:\n  name: my-service\n  namespace: prod\nspec:\n  type: ExternalName\n  externalName: my.database.example.com\n');
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('service/my-service created\n');
    expect(await ok(kubectl, ['create', 'service', 'externalname', 'my-service', '--external-name', 'my.database.example.com'])).toBe('service/my-service created\n');
    for (const ns of ['prod', 'default']) {
      const row = table(await ok(kubectl, ['-n', ns, 'get', 'svc', 'my-service'])).rows[0];
      expect(row).toMatchObject({ TYPE: 'ExternalName', 'CLUSTER-IP': '<none>', 'EXTERNAL-IP': 'my.database.example.com' });
    }
  });

  it('externalIPs: kubectl expose --external-ip and the manifest', async () => {
    await ok(kubectl, ['create', 'deployment', 'nginx', '--image=nginx']);
    expect(await ok(kubectl, ['expose', 'deploy', 'nginx', '--port=80', '--external-ip=1.2.3.4'])).toBe('service/nginx exposed\n');
    expect(await svcRow('nginx')).toMatchObject({ TYPE: 'ClusterIP', 'EXTERNAL-IP': '1.2.3.4', 'PORT(S)': '80/TCP' });
    const file = await manifest(
      sandbox,
      'externalips.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: nginx\n  name: nginx2\nspec:\n  externalIPs:\n  - 1.2.3.5\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: nginx\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    expect(await svcRow('nginx2')).toMatchObject({ 'EXTERNAL-IP': '1.2.3.5' });
  });
});

describe('service discovery (course: Kubernetes : Services Discovery)', () => {
  it('a pod started after the service sees <SVC>_SERVICE_HOST/_PORT; headless services add none', async () => {
    const clusterIP = (await svcRow('web'))['CLUSTER-IP'];
    await ok(kubectl, ['run', 'client', '--image=busybox', '--restart=Never', '--', 'sleep', '3600']);
    await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
    const env = (await ok(kubectl, ['exec', 'client', '--', 'env'])).split('\n').sort();
    expect(env).toContain(`WEB_SERVICE_HOST=${clusterIP}`);
    expect(env).toContain('WEB_SERVICE_PORT=80');
    expect(env).toContain(`WEB_PORT=tcp://${clusterIP}:80`);
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
    expect(env.filter((l) => l.startsWith('WEB_HL_'))).toEqual([]);
  });

  it('nslookup answers the service FQDN with its ClusterIP, a headless service with its pod IPs', async () => {
    const clusterIP = (await svcRow('web'))['CLUSTER-IP'];
    // busybox asks every search domain (A, then AAAA) and prints each reply: the NXDOMAINs of the
    // other domains make it exit 1 beside the answer, as on a real cluster.
    const answer = await kubectl(['exec', 'client', '--', 'nslookup', 'web']);
    expect(answer.code).toBe(1);
    expect(answer.stdout).toBe(
      `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${clusterIP}\n\n` +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n\n" +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n",
    );
    // A name with a dot is asked as is: the FQDN answers cleanly (the course's init containers rely on it).
    const fqdn = await ok(kubectl, ['exec', 'client', '--', 'nslookup', 'web.default.svc.cluster.local']);
    expect(fqdn).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${clusterIP}\n\n\n`);
    const headless = await ok(kubectl, ['exec', 'client', '--', 'nslookup', 'web-hl.default.svc.cluster.local']);
    expect(headless.match(/Address: 10\.244\.\d+\.\d+/g)).toHaveLength(2);
    const missing = await kubectl(['exec', 'client', '--', 'nslookup', 'nothere']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("** server can't find nothere.default.svc.cluster.local: NXDOMAIN\n");
    expect((await kubectl(['exec', 'client', '--', 'nslookup', 'kubernetes.default'])).stdout).toContain("** server can't find kubernetes.default: NXDOMAIN\n");
  });

  it('wget reaches nginx by service name and FQDN; a wrong targetPort is refused', async () => {
    await ok(kubectl, ['expose', 'deploy', 'web', '--name=web80', '--port=80']);
    for (const url of ['http://web80', 'http://web80.default', 'http://web80.default.svc.cluster.local']) {
      const page = await poll(`${url} answers`, async () => {
        const r = await kubectl(['exec', 'client', '--', 'wget', '-qO-', url]);
        return r.code === 0 ? r.stdout : undefined;
      });
      expect(page).toContain('<title>Welcome to nginx!</title>');
    }
    // The course's expose --target-port=8080: nginx listens on 80, so the connection is refused.
    const refused = await kubectl(['exec', 'client', '--', 'wget', '-qO-', 'http://web']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/wget: can't connect to remote host \(10\.\d+\.\d+\.\d+\): Connection refused/);
  });
});

describe('ExternalName (course: Services : ExternalName)', () => {
  it('nslookup shows the CNAME as busybox prints it; a CNAME to a cluster name resolves and answers', async () => {
    const short = await kubectl(['exec', 'client', '--', 'nslookup', 'my-service']);
    expect(short.stdout).toContain('\n\nmy-service.default.svc.cluster.local\tcanonical name = my.database.example.com\n\n');
    const fqdn = await ok(kubectl, ['exec', 'client', '--', 'nslookup', 'my-service.prod.svc.cluster.local']);
    const cname = 'my-service.prod.svc.cluster.local\tcanonical name = my.database.example.com\n\n';
    expect(fqdn).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n${cname}${cname}`);
    expect(await ok(kubectl, ['create', 'service', 'externalname', 'web-alias', '--external-name', 'web80.default.svc.cluster.local'])).toBe('service/web-alias created\n');
    const ip = (await svcRow('web80'))['CLUSTER-IP'];
    const alias = await ok(kubectl, ['exec', 'client', '--', 'nslookup', 'web-alias.default.svc.cluster.local']);
    expect(alias).toContain(`web-alias.default.svc.cluster.local\tcanonical name = web80.default.svc.cluster.local\nName:\tweb80.default.svc.cluster.local\nAddress: ${ip}\n\n`);
    expect(await ok(kubectl, ['exec', 'client', '--', 'wget', '-qO-', 'http://web-alias'])).toContain('<title>Welcome to nginx!</title>');
  });
});

describe('ingress (course: Kubernetes : Ingress)', () => {
  it('the cluster has the ingress-nginx controller and its default IngressClass nginx', async () => {
    const classes = table(await ok(kubectl, ['get', 'ingressclass']));
    expect(classes.headers).toEqual(['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE']);
    expect(classes.rows).toEqual([expect.objectContaining({ NAME: 'nginx', CONTROLLER: 'k8s.io/ingress-nginx', PARAMETERS: '<none>' })]);
    expect(await ok(kubectl, ['get', 'ingressclass', 'nginx', '-o', 'jsonpath={.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}'])).toBe('true');
    await ok(kubectl, ['-n', 'ingress-nginx', 'rollout', 'status', 'deploy/ingress-nginx-controller', '--timeout=90s']);
    const svc = await poll('the controller service gets its external IP', async () => {
      const row = table(await ok(kubectl, ['-n', 'ingress-nginx', 'get', 'svc', 'ingress-nginx-controller'])).rows[0];
      return row['EXTERNAL-IP'] !== '<pending>' ? row : undefined;
    });
    expect(svc).toMatchObject({ TYPE: 'LoadBalancer' });
    expect(svc['EXTERNAL-IP']).toMatch(/^172\.18\.255\.\d+$/);
    expect(svc['PORT(S)']).toMatch(/^80:3\d{4}\/TCP,443:3\d{4}\/TCP$/);
    const logs = await ok(kubectl, ['-n', 'ingress-nginx', 'logs', 'deploy/ingress-nginx-controller']);
    expect(logs).toContain('NGINX Ingress controller\n  Release:       v1.12.0\n');
    // Ingresses already there (the course's simple one comes later): each change reloads nginx.
    expect(await ok(kubectl, ['-n', 'ingress-nginx', 'get', 'pods', '-l', 'app.kubernetes.io/component=controller', '-o', 'jsonpath={.items[*].status.phase}'])).toBe('Running');
  });

  it('the argocd Ingress is accepted, listed with the real columns, gets the ADDRESS and a Sync event', async () => {
    const file = await manifest(
      sandbox,
      'ingress.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  annotations:\n    cert-manager.io/cluster-issuer: le\n    meta.helm.sh/release-name: argocd\n    meta.helm.sh/release-namespace: argocd\n  labels:\n    app.kubernetes.io/component: server\n    app.kubernetes.io/name: argocd-server\n  name: argocd-server\n  namespace: default\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: argocd.caas.fr\n    http:\n      paths:\n      - backend:\n          service:\n            name: argocd-server\n            port:\n              number: 443\n        path: /\n        pathType: Prefix\n  tls:\n  - hosts:\n    - argocd.caas.fr\n    secretName: argocd-server-tls\n',
    );
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('ingress.networking.k8s.io/argocd-server created\n');
    const lb = (table(await ok(kubectl, ['-n', 'ingress-nginx', 'get', 'svc', 'ingress-nginx-controller'])).rows[0] ?? {})['EXTERNAL-IP'];
    const ing = await poll('the ingress ADDRESS', async () => {
      const t = table(await ok(kubectl, ['get', 'ingress']));
      return t.rows[0]?.ADDRESS ? t : undefined;
    });
    expect(ing.headers).toEqual(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    expect(ing.rows[0]).toMatchObject({ NAME: 'argocd-server', CLASS: 'nginx', HOSTS: 'argocd.caas.fr', ADDRESS: lb, PORTS: '80, 443' });
    const described = await ok(kubectl, ['describe', 'ingress', 'argocd-server']);
    expect(described).toMatch(/Ingress Class:\s+nginx/);
    expect(described).toContain('argocd-server-tls terminates argocd.caas.fr');
    expect(described).toMatch(/\/\s+argocd-server:443 \(<error: services "argocd-server" not found>\)/);
    expect(described).toMatch(/Normal\s+Sync\s+\S+(?: \(x2 over \S+\))?\s+nginx-ingress-controller\s+Scheduled for sync/);
    expect(await ok(kubectl, ['-n', 'ingress-nginx', 'describe', 'pods', '-l', 'app.kubernetes.io/component=controller'])).toMatch(/Normal\s+RELOAD\s+\S+(?: \(x\d+ over \S+\))?\s+nginx-ingress-controller\s+NGINX reload triggered due to a change in configuration/);
    // Once for the new Ingress, once more for its status update.
    await poll('the second Sync', async () => /Normal\s+Sync\s+\S+ \(x2 over \S+\)\s+nginx-ingress-controller\s+Scheduled for sync/.test(await ok(kubectl, ['describe', 'ingress', 'argocd-server'])));
  });

  it('kubectl create ingress with a rule', async () => {
    expect(await ok(kubectl, ['create', 'ingress', 'simple', '--rule=foo.com/bar=web80:80'])).toBe('ingress.networking.k8s.io/simple created\n');
    // The default IngressClass is set by admission on an Ingress that names none.
    expect(table(await ok(kubectl, ['get', 'ing', 'simple'])).rows[0]).toMatchObject({ CLASS: 'nginx', HOSTS: 'foo.com', PORTS: '80' });
  });

  it('routes by host and path to the backends, 404 elsewhere, and logs as ingress-nginx does', async () => {
    const file = await manifest(
      sandbox,
      'test-ingress.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: test-ingress\n  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /testpath\n        pathType: Prefix\n        backend:\n          service:\n            name: web80\n            port:\n              number: 80\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    const lb = table(await ok(kubectl, ['-n', 'ingress-nginx', 'get', 'svc', 'ingress-nginx-controller'])).rows[0]['EXTERNAL-IP'];
    await poll('test-ingress ADDRESS', async () => table(await ok(kubectl, ['get', 'ingress', 'test-ingress'])).rows[0]?.ADDRESS === lb);
    await ok(kubectl, ['run', 'curl', '--image=curlimages/curl', '--restart=Never', '--command', '--', 'sleep', '3600']);
    await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/curl', '--timeout=60s']);
    // foo.com/bar (kubectl create ingress simple) and the rewritten /testpath both reach nginx.
    const page = await ok(kubectl, ['exec', 'curl', '--', 'curl', '-s', '-H', 'Host: foo.com', `http://${lb}/bar`]);
    expect(page).toContain('<h1>404 Not Found</h1>');
    expect(page).toContain('nginx/1.27.3');
    expect(await ok(kubectl, ['exec', 'curl', '--', 'curl', '-s', `http://${lb}/testpath`])).toContain('<title>Welcome to nginx!</title>');
    // The same through the controller service's NodePort on any node's address, as kube-proxy forwards it.
    const nodePort = await ok(kubectl, ['-n', 'ingress-nginx', 'get', 'svc', 'ingress-nginx-controller', '-o', 'jsonpath={.spec.ports[?(@.name=="http")].nodePort}']);
    expect(await ok(kubectl, ['exec', 'curl', '--', 'curl', '-s', `http://172.18.0.3:${nodePort}/testpath`])).toContain('<title>Welcome to nginx!</title>');
    const miss = await ok(kubectl, ['exec', 'curl', '--', 'curl', '-si', '-H', 'Host: other.example', `http://${lb}/bar`]);
    expect(miss).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(miss).toContain('<center>nginx</center>');
    const logs = await ok(kubectl, ['-n', 'ingress-nginx', 'logs', 'deploy/ingress-nginx-controller', '--tail=3']);
    expect(logs).toMatch(/^10\.244\.\d+\.\d+ - - \[[^\]]+\] "GET \/testpath HTTP\/1\.1" 200 615 "-" "curl\/8\.11\.1" \d+ \d+\.\d{3} \[default-web80-80\] \[\] 10\.244\.\d+\.\d+:80 615 \d+\.\d{3} 200 [0-9a-f]{32}$/m);
    expect(logs).toMatch(/"GET \/bar HTTP\/1\.1" 404 146 .* \[upstream-default-backend\] \[\] 127\.0\.0\.1:8181 146 /);
    // The backend sees the request rewritten to / and coming from the controller's pod.
    expect(await ok(kubectl, ['logs', '-l', 'app=web', '--tail=20'])).toMatch(/"GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.11\.1" "10\.244\.\d+\.\d+"/);
  });

  it('from the host, through kubectl port-forward to the controller service', async () => {
    const pf = background(sandbox, ['-n', 'ingress-nginx', 'port-forward', 'svc/ingress-nginx-controller', '0:80']);
    try {
      const port = Number((await pf.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 80/))[1]);
      const res = await fetch(`http://127.0.0.1:${port}/testpath`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>Welcome to nginx!</title>');
      const other = await new Promise<number>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/bar', headers: { Host: 'nowhere.example' } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        }).on('error', reject);
      });
      expect(other).toBe(404);
    } finally {
      await pf.stop();
    }
  });
});
