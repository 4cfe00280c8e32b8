// Proves the decoder against the real kubectl 1.32: its typed `create` commands POST protobuf bodies.
// A small HTTP server captures each body and answers with the decoded JSON; the decoded object must
// equal the object the same command prints with --dry-run=client -o json (Go's JSON encoding of it),
// and our encoder must write back the very bytes kubectl sent.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, isProtobufContentType } from './kubernetes-protobuf.js';
import { type FakeApiServer, type FakeResource, startFakeApiServer } from './test-kubectl-server.js';
import { generatedSchema, kubectlPath } from './test-schema.js';

const schema = generatedSchema();

const GROUPS: Record<string, FakeResource[]> = {
  v1: [
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'secrets', kind: 'Secret', namespaced: true },
    { name: 'services', kind: 'Service', namespaced: true },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'resourcequotas', kind: 'ResourceQuota', namespaced: true },
  ],
  'apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
  'batch/v1': [
    { name: 'jobs', kind: 'Job', namespaced: true },
    { name: 'cronjobs', kind: 'CronJob', namespaced: true },
  ],
  'rbac.authorization.k8s.io/v1': [
    { name: 'roles', kind: 'Role', namespaced: true },
    { name: 'rolebindings', kind: 'RoleBinding', namespaced: true },
    { name: 'clusterroles', kind: 'ClusterRole', namespaced: false },
    { name: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  ],
  'scheduling.k8s.io/v1': [{ name: 'priorityclasses', kind: 'PriorityClass', namespaced: false }],
  'policy/v1': [{ name: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true }],
  'networking.k8s.io/v1': [{ name: 'ingresses', kind: 'Ingress', namespaced: true }],
};

/** Go's JSON of kubectl's object, minus the nulls (zero times) the decoder omits instead. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBhTCCASugAwIBAgIQIRi6zePL6mKjOipn+dNuaTAKBggqhkjOPQQDAjASMRAw
DgYDVQQKEwdBY21lIENvMB4XDTE3MTAyMDE5NDMwNloXDTE4MTAyMDE5NDMwNlow
EjEQMA4GA1UEChMHQWNtZSBDbzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABD0d
7VNhbWvZLWPuj/RtHFjvtJBEwOkhbN/BnnE8rnZR8+sbwnc/KhCk3FhnpHZnQz7B
5aETbbIgmuvewdjvSBSjYzBhMA4GA1UdDwEB/wQEAwICpDATBgNVHSUEDDAKBggr
BgEFBQcDATAPBgNVHRMBAf8EBTADAQH/MCkGA1UdEQQiMCCCDmxvY2FsaG9zdDo1
NDUzgg4xMjcuMC4wLjE6NTQ1MzAKBggqhkjOPQQDAgNIADBFAiEA2zpJEPQyz6/l
Wf86aX6PepsntZv2GYlA5UpabfT2EZICICpJ5h/iI+i341gBmLiAFQOyTDT+/wQc
6MF9+Yw1Yy0t
-----END CERTIFICATE-----
`;
const TLS_KEY = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49
AwEHoUQDQgAEPR3tU2Fta9ktY+6P9G0cWO+0kETA6SFs38GecTyudlHz6xvCdz8q
EKTcWGekdmdDPsHloRNtsiCa697B2O9IFA==
-----END EC PRIVATE KEY-----
`;

const COMMANDS: string[][] = [
  ['create', 'deployment', 'web', '--image=nginx', '--replicas=0', '--port=8080'],
  ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=empty='],
  ['create', 'secret', 'generic', 's', '--from-literal=k=v', '@BINARY'],
  ['create', 'secret', 'tls', 'tls', '@TLS'],
  ['create', 'secret', 'docker-registry', 'regcred', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'],
  ['create', 'namespace', 'essai'],
  ['create', 'service', 'clusterip', 'svc', '--tcp=80:http', '--tcp=443:8443'],
  ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'],
  ['create', 'serviceaccount', 'robot'],
  ['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'],
  ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *'],
  ['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=a'],
  ['create', 'rolebinding', 'rb', '--role=reader', '--user=alice', '--serviceaccount=default:robot'],
  ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz'],
  ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=devs'],
  ['create', 'priorityclass', 'high', '--value=1000', '--preemption-policy=Never', '--global-default=false'],
  ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=0', '--scopes=BestEffort'],
  ['create', 'pdb', 'p', '--selector=app=web', '--min-available=0'],
  ['create', 'ingress', 'ing', '--class=nginx', '--rule=example.com/api*=svc:80,tls=cert', '--rule=/=np:http'],
];

let api: FakeApiServer;

beforeAll(async () => {
  api = await startFakeApiServer(GROUPS, (req) => {
    if (req.method !== 'POST') return undefined;
    return [201, isProtobufContentType(req.contentType) ? decodeKubernetesProtobuf(req.body, schema) : JSON.parse(req.body.toString())];
  });
});

afterAll(async () => {
  await api?.close();
});

function materialize(command: string[]): string[] {
  return command.flatMap((arg) => {
    if (arg === '@BINARY') {
      const file = join(api.home, 'blob.bin');
      writeFileSync(file, Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
      return [`--from-file=blob=${file}`];
    }
    if (arg === '@TLS') {
      writeFileSync(join(api.home, 'tls.crt'), TLS_CERT);
      writeFileSync(join(api.home, 'tls.key'), TLS_KEY);
      return [`--cert=${join(api.home, 'tls.crt')}`, `--key=${join(api.home, 'tls.key')}`];
    }
    return [arg];
  });
}

describe.skipIf(!existsSync(kubectlPath))('kubectl 1.32 protobuf request bodies', () => {
  it.each(COMMANDS.map((c) => [c.slice(1, 3).join(' '), c] as const))('decodes kubectl create %s like its JSON', async (_label, command) => {
    const args = materialize(command);
    const expected = JSON.parse(await api.kubectl(args, ['--dry-run=client', '-o', 'json'])) as unknown;
    api.requests.length = 0;
    const echoed = JSON.parse(await api.kubectl(args, ['--dry-run=server', '-o', 'json'])) as unknown;
    const posts = api.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].contentType).toBe('application/vnd.kubernetes.protobuf');
    const decoded = decodeKubernetesProtobuf(posts[0].body, schema);
    expect(decoded).toEqual(withoutNulls(expected));
    // kubectl read our JSON answer back into the same object.
    expect(withoutNulls(echoed)).toEqual(decoded);
    // Our encoder writes the bytes kubectl wrote.
    expect(Buffer.from(encodeKubernetesProtobuf(decoded, schema)).toString('hex')).toBe(posts[0].body.toString('hex'));
  });
});
