// kubectl's typed commands, which send protobuf bodies: create namespace/deployment/configmap/
// secret/job/cronjob/service/token, expose, auth can-i and auth whoami, as the course uses them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { KUBECTL, kubectlFor, removeDir, run, startSandbox, type RunningSandbox } from './harness.js';
import { fails, jsonOf, manifest, ok, table, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 1 });
  kubectl = kubectlFor(sandbox);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

describe('kubectl create <type>', () => {
  it('namespace', async () => {
    expect(await ok(kubectl, ['create', 'namespace', 'typed'])).toBe('namespace/typed created\n');
    expect(await fails(kubectl, ['create', 'namespace', 'typed'])).toBe('Error from server (AlreadyExists): namespaces "typed" already exists');
    expect(await fails(kubectl, ['create', 'namespace', 'Bad_Name'])).toBe(
      `The Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
  });

  it('deployment, with replicas and a command', async () => {
    expect(await ok(kubectl, ['create', 'deployment', 'my-app', '--image=nginx:latest', '--replicas=3'])).toBe('deployment.apps/my-app created\n');
    const d = jsonOf<{
      metadata: { labels: Record<string, string> };
      spec: { replicas: number; selector: unknown; strategy: unknown; template: { metadata: { labels: Record<string, string> }; spec: { containers: { name: string; image: string }[] } } };
    }>(await ok(kubectl, ['get', 'deployment', 'my-app', '-o', 'json']));
    expect(d.metadata.labels).toEqual({ app: 'my-app' });
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'my-app' } });
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'my-app' });
    expect(d.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([['nginx', 'nginx:latest']]);
    const t = table(await ok(kubectl, ['get', 'deploy']));
    expect(t.headers).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(t.rows.map((r) => r.NAME)).toEqual(['my-app']);
    expect(await fails(kubectl, ['create', 'deployment', 'my-app', '--image=nginx'])).toBe('error: failed to create deployment: deployments.apps "my-app" already exists');
    expect(await ok(kubectl, ['create', 'deployment', 'pingu', '--image=alpine', '--', 'ping', '127.1'])).toBe('deployment.apps/pingu created\n');
    expect(await ok(kubectl, ['get', 'deployment', 'pingu', '-o', 'jsonpath={.spec.template.spec.containers[0].command}'])).toBe('["ping","127.1"]');
  });

  it('configmap from literals, a file and a directory', async () => {
    expect(await ok(kubectl, ['create', 'configmap', 'my-config', '--from-literal=key1=value1', '--from-literal=key2=value2'])).toBe('configmap/my-config created\n');
    expect(await ok(kubectl, ['get', 'configmap', 'my-config', '-o', 'jsonpath={.data}'])).toBe('{"key1":"value1","key2":"value2"}');
    const dir = join(sandbox.dataDir, 'config-dir');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'myfile.txt'), 'hello\n');
    await writeFile(join(dir, 'other.conf'), 'a=b\n');
    expect(await ok(kubectl, ['create', 'configmap', 'from-file', `--from-file=${join(dir, 'myfile.txt')}`])).toBe('configmap/from-file created\n');
    expect(await ok(kubectl, ['get', 'configmap', 'from-file', '-o', 'jsonpath={.data}'])).toBe('{"myfile.txt":"hello\\n"}');
    expect(await ok(kubectl, ['create', 'configmap', 'from-dir', `--from-file=${dir}/`])).toBe('configmap/from-dir created\n');
    expect(await ok(kubectl, ['get', 'configmap', 'from-dir', '-o', 'jsonpath={.data}'])).toBe('{"myfile.txt":"hello\\n","other.conf":"a=b\\n"}');
  });

  it('secret generic and docker-registry', async () => {
    expect(await ok(kubectl, ['create', 'secret', 'generic', 'dev-db-secret', '--from-literal=username=devuser', '--from-literal=password=S!B\\*d$zDsb'])).toBe(
      'secret/dev-db-secret created\n',
    );
    const s = jsonOf<{ type: string; data: Record<string, string> }>(await ok(kubectl, ['get', 'secret', 'dev-db-secret', '-o', 'json']));
    expect(s.type).toBe('Opaque');
    expect(Buffer.from(s.data.password, 'base64').toString()).toBe('S!B\\*d$zDsb');
    expect(Buffer.from(s.data.username, 'base64').toString()).toBe('devuser');
    expect(
      await ok(kubectl, ['create', 'secret', 'docker-registry', 'mydockerhubsecret', '--docker-username=user', '--docker-password=pass', '--docker-email=user@example.com']),
    ).toBe('secret/mydockerhubsecret created\n');
    const d = jsonOf<{ type: string; data: Record<string, string> }>(await ok(kubectl, ['get', 'secret', 'mydockerhubsecret', '-o', 'json']));
    expect(d.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(Buffer.from(d.data['.dockerconfigjson'], 'base64').toString())).toMatchObject({ auths: { 'https://index.docker.io/v1/': { username: 'user', password: 'pass' } } });
    const t = table(await ok(kubectl, ['get', 'secrets']));
    expect(t.headers).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(t.rows.map((r) => [r.NAME, r.TYPE, r.DATA])).toEqual([
      ['dev-db-secret', 'Opaque', '2'],
      ['mydockerhubsecret', 'kubernetes.io/dockerconfigjson', '1'],
    ]);
  });

  it('job and cronjob from the course', async () => {
    expect(await ok(kubectl, ['create', 'job', 'exemple-job', '--image=busybox', '--', '/bin/sh', '-c', 'date; echo Hello from the Kubernetes cluster'])).toBe(
      'job.batch/exemple-job created\n',
    );
    const job = jsonOf<{ spec: { template: { spec: { restartPolicy: string; containers: { command: string[] }[] } } } }>(await ok(kubectl, ['get', 'job', 'exemple-job', '-o', 'json']));
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0].command).toEqual(['/bin/sh', '-c', 'date; echo Hello from the Kubernetes cluster']);
    expect(
      await ok(kubectl, ['create', 'cronjob', 'exemple-cronjob', '--image=busybox', '--schedule=*/5 * * * *', '--', '/bin/sh', '-c', 'date; echo Hello from the Kubernetes cluster']),
    ).toBe('cronjob.batch/exemple-cronjob created\n');
    expect(await ok(kubectl, ['get', 'cronjob', 'exemple-cronjob', '-o', 'jsonpath={.spec.schedule}'])).toBe('*/5 * * * *');
    expect(await fails(kubectl, ['create', 'cronjob', 'bad-cron', '--image=busybox', '--schedule=not a schedule'])).toBe(
      'error: failed to create cronjob: CronJob.batch "bad-cron" is invalid: spec.schedule: Invalid value: "not a schedule": expected exactly 5 fields, found 3: [not a schedule]',
    );
  });

  it('services: expose a deployment, an ExternalName service', async () => {
    expect(await ok(kubectl, ['create', 'deployment', 'web', '--image=nginx'])).toBe('deployment.apps/web created\n');
    expect(await ok(kubectl, ['expose', 'deploy', 'web', '--port=80', '--target-port=8080'])).toBe('service/web exposed\n');
    const svc = jsonOf<{ spec: { type: string; clusterIP: string; selector: Record<string, string>; ports: { port: number; targetPort: number; protocol: string }[] } }>(
      await ok(kubectl, ['get', 'service', 'web', '-o', 'json']),
    );
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$|^10\.\d+\.\d+\.\d+$/);
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
    expect(await ok(kubectl, ['create', 'service', 'externalname', 'my-service', '--external-name', 'my.database.example.com'])).toBe('service/my-service created\n');
    const t = table(await ok(kubectl, ['get', 'svc']));
    expect(t.headers).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(t.rows.find((r) => r.NAME === 'my-service')).toMatchObject({ TYPE: 'ExternalName', 'CLUSTER-IP': '<none>', 'EXTERNAL-IP': 'my.database.example.com', 'PORT(S)': '<none>' });
    expect(t.rows.find((r) => r.NAME === 'web')).toMatchObject({ TYPE: 'ClusterIP', 'EXTERNAL-IP': '<none>', 'PORT(S)': '80/TCP' });
  });
});

/** kubectl with a kubeconfig holding only this bearer token (no client certificate). */
async function kubectlWithToken(token: string): Promise<Kubectl> {
  const config = parseYaml(await readFile(sandbox.kubeconfig, 'utf8')) as { users: { user: Record<string, string> }[] };
  config.users[0].user = { token };
  const path = join(sandbox.dataDir, `token-${token.slice(-8)}.kubeconfig`);
  await writeFile(path, stringifyYaml(config), { mode: 0o600 });
  return (args, options = {}) => run(KUBECTL, ['--kubeconfig', path, '--cache-dir', join(sandbox.dataDir, 'kubectl-cache'), ...args], options);
}

describe('tokens and authorization', () => {
  it('create token issues a ServiceAccount JWT that authenticates as it', async () => {
    const token = (await ok(kubectl, ['create', 'token', 'default'])).trim();
    const parts = token.split('.');
    expect(parts).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as { sub: string; exp: number; iat: number; 'kubernetes.io': { namespace: string; serviceaccount: { name: string } } };
    expect(claims.sub).toBe('system:serviceaccount:default:default');
    expect(claims['kubernetes.io'].namespace).toBe('default');
    expect(claims['kubernetes.io'].serviceaccount.name).toBe('default');
    expect(claims.exp - claims.iat).toBe(3600);
    const asServiceAccount = await kubectlWithToken(token);
    expect(await ok(asServiceAccount, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'])).toBe('system:serviceaccount:default:default');
    // No RBAC for the default ServiceAccount: Forbidden, worded as kube-apiserver words it.
    expect(await fails(asServiceAccount, ['get', 'pods'])).toBe(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect(await fails(kubectl, ['create', 'token', 'nope'])).toBe('error: failed to create token: serviceaccounts "nope" not found');
    const longer = (await ok(kubectl, ['create', 'token', 'default', '--duration=2h'])).trim();
    const longClaims = JSON.parse(Buffer.from(longer.split('.')[1], 'base64url').toString()) as { exp: number; iat: number };
    expect(longClaims.exp - longClaims.iat).toBe(7200);
  });

  it("the course's dashboard admin-user: a ServiceAccount bound to cluster-admin gets a working token", async () => {
    const file = await manifest(
      sandbox,
      'admin-user.yaml',
      `apiVersion: v1
kind: Namespace
metadata: {name: kubernetes-dashboard}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: admin-user, namespace: kubernetes-dashboard}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin-user}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: admin-user, namespace: kubernetes-dashboard}
`,
    );
    expect(await ok(kubectl, ['apply', '-f', file])).toBe(
      'namespace/kubernetes-dashboard created\nserviceaccount/admin-user created\nclusterrolebinding.rbac.authorization.k8s.io/admin-user created\n',
    );
    const token = (await ok(kubectl, ['-n', 'kubernetes-dashboard', 'create', 'token', 'admin-user'])).trim();
    const admin = await kubectlWithToken(token);
    const t = table(await ok(admin, ['get', 'ns']));
    expect(t.rows.map((r) => r.NAME)).toContain('kubernetes-dashboard');
    expect(await ok(admin, ['auth', 'can-i', 'delete', 'nodes'])).toBe('yes\n');
  });

  it('auth can-i answers yes or no (exit 1) for the admin, a ServiceAccount and a user', async () => {
    expect(await ok(kubectl, ['auth', 'can-i', 'create', 'pods'])).toBe('yes\n');
    expect(await ok(kubectl, ['auth', 'can-i', '*', '*'])).toBe('yes\n');
    const no = await kubectl(['auth', 'can-i', 'create', 'pods', '--as=system:serviceaccount:default:default']);
    expect(no).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(await ok(kubectl, ['auth', 'can-i', 'get', '/readyz', '--as=jane'])).toBe('yes\n');
    const nodes = await kubectl(['auth', 'can-i', 'list', 'nodes', '--as=jane']);
    expect(nodes).toMatchObject({ code: 1, stdout: 'no\n' });
    // Discovery is allowed to every authenticated user.
    expect(await ok(kubectl, ['auth', 'can-i', 'get', '/api', '--as=jane'])).toBe('yes\n');
    expect(await ok(kubectl, ['auth', 'can-i', 'create', 'selfsubjectreviews.authentication.k8s.io', '--as=jane'])).toBe('yes\n');
  });

  it('auth whoami prints the admin identity', async () => {
    const t = table(await ok(kubectl, ['auth', 'whoami']));
    expect(t.headers).toEqual(['ATTRIBUTE', 'VALUE']);
    expect(t.rows).toEqual([
      { ATTRIBUTE: 'Username', VALUE: 'kubernetes-admin' },
      { ATTRIBUTE: 'Groups', VALUE: '[system:masters system:authenticated]' },
    ]);
  });
});
