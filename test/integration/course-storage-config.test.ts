// The course's storage and configuration chapters (seeds 004) run with the real kubectl against a
// 3-node sandbox: StorageClass, PV, PVC (static and dynamic binding), data surviving its pod, and
// ConfigMaps/Secrets from literals, files, directories and env files, consumed as env and volumes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { manifest, ok, poll, table, type Kubectl } from './kubectl-helpers.js';

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

const phase = async (pod: string) => (await ok(kubectl, ['get', 'pod', pod, '-o', 'jsonpath={.status.phase}'])).trim();

describe('storage (course: Storage Class, PersistentVolume, PersistentVolumeClaims)', () => {
  it('the default StorageClass and the course classes are listed with the real columns', async () => {
    const file = await manifest(
      sandbox,
      'sc.yaml',
      'kind: StorageClass\napiVersion: storage.k8s.io/v1\nmetadata:\n  name: slow\nprovisioner: kubernetes.io/aws-ebs\nparameters:\n  type: io1\n  zones: us-east-1d, us-east-1c\n  iopsPerGB: "10"\n---\n' +
        'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: managed-premium\n  labels:\n    addonmanager.kubernetes.io/mode: EnsureExists\n    kubernetes.io/cluster-service: "true"\nparameters:\n  cachingmode: ReadOnly\n  kind: Managed\n  storageaccounttype: Premium_LRS\nprovisioner: kubernetes.io/azure-disk\nreclaimPolicy: Delete\nvolumeBindingMode: Immediate\nallowVolumeExpansion: true\n',
    );
    expect(await ok(kubectl, ['apply', '-f', file])).toBe('storageclass.storage.k8s.io/slow created\nstorageclass.storage.k8s.io/managed-premium created\n');
    const sc = table(await ok(kubectl, ['get', 'sc']));
    expect(sc.headers).toEqual(['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
    const byName = Object.fromEntries(sc.rows.map((r) => [r.NAME, r]));
    expect(byName['standard (default)']).toMatchObject({ RECLAIMPOLICY: 'Delete', VOLUMEBINDINGMODE: 'WaitForFirstConsumer' });
    expect(byName.slow).toMatchObject({ PROVISIONER: 'kubernetes.io/aws-ebs', RECLAIMPOLICY: 'Delete', VOLUMEBINDINGMODE: 'Immediate', ALLOWVOLUMEEXPANSION: 'false' });
    expect(byName['managed-premium']).toMatchObject({ ALLOWVOLUMEEXPANSION: 'true' });
  });

  it('a PVC binds the matching static PV (Retain, Bound, CLAIM default/<pvc>)', async () => {
    const file = await manifest(
      sandbox,
      'pv.yaml',
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: persistent-volume-1\nspec:\n  storageClassName: slow\n  capacity:\n    storage: 1Gi\n  accessModes:\n    - ReadWriteOnce\n  hostPath:\n    path: "/tmp/data"\n---\n' +
        'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: slow-claim\nspec:\n  storageClassName: slow\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 500Mi\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    const pvc = await poll('slow-claim Bound', async () => {
      const row = table(await ok(kubectl, ['get', 'pvc', 'slow-claim'])).rows[0];
      return row?.STATUS === 'Bound' ? row : undefined;
    });
    expect(pvc).toMatchObject({ VOLUME: 'persistent-volume-1', CAPACITY: '1Gi', 'ACCESS MODES': 'RWO', STORAGECLASS: 'slow' });
    const pv = table(await ok(kubectl, ['get', 'pv', 'persistent-volume-1']));
    expect(pv.headers).toEqual(['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    expect(pv.rows[0]).toMatchObject({ 'RECLAIM POLICY': 'Retain', STATUS: 'Bound', CLAIM: 'default/slow-claim', STORAGECLASS: 'slow' });
  });

  it('dynamic provisioning waits for the first consumer; data written by one pod is read by the next', async () => {
    const claim = await manifest(sandbox, 'myclaim.yaml', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: myclaim\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n');
    await ok(kubectl, ['apply', '-f', claim]);
    expect(table(await ok(kubectl, ['get', 'pvc', 'myclaim'])).rows[0]).toMatchObject({ STATUS: 'Pending', STORAGECLASS: 'standard' });
    const described = await poll('WaitForFirstConsumer event', async () => {
      const d = await ok(kubectl, ['describe', 'pvc', 'myclaim']);
      return d.includes('WaitForFirstConsumer') ? d : undefined;
    });
    expect(described).toMatch(/Normal\s+WaitForFirstConsumer\s+.*persistentvolume-controller\s+waiting for first consumer to be created before binding/);
    const pod = (name: string, command: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: ["sh", "-c", "${command}"]\n    volumeMounts:\n    - mountPath: /data\n      name: vol\n  volumes:\n  - name: vol\n    persistentVolumeClaim:\n      claimName: myclaim\n`;
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'writer.yaml', pod('writer', 'echo written by writer > /data/msg && sleep 3600'))]);
    await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/writer', '--timeout=60s']);
    const bound = table(await ok(kubectl, ['get', 'pvc', 'myclaim'])).rows[0];
    expect(bound).toMatchObject({ STATUS: 'Bound', CAPACITY: '1Gi', 'ACCESS MODES': 'RWO', STORAGECLASS: 'standard' });
    expect(bound.VOLUME).toMatch(/^pvc-[0-9a-f-]{36}$/);
    expect(table(await ok(kubectl, ['get', 'pv', bound.VOLUME])).rows[0]).toMatchObject({ 'RECLAIM POLICY': 'Delete', STATUS: 'Bound', CLAIM: 'default/myclaim' });
    await ok(kubectl, ['delete', 'pod', 'writer', '--grace-period=1']);
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'reader.yaml', pod('reader', 'sleep 3600'))]);
    await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/reader', '--timeout=60s']);
    expect(await ok(kubectl, ['exec', 'reader', '--', 'cat', '/data/msg'])).toBe('written by writer\n');
  });

  it('deleting the claim deletes its dynamically provisioned volume (reclaimPolicy Delete)', async () => {
    const volume = table(await ok(kubectl, ['get', 'pvc', 'myclaim'])).rows[0].VOLUME;
    await ok(kubectl, ['delete', 'pod', 'reader', '--grace-period=1']);
    await ok(kubectl, ['delete', 'pvc', 'myclaim']);
    await poll('provisioned PV deleted', async () => (await kubectl(['get', 'pv', volume])).stderr.includes('NotFound'), 60_000);
  });
});

describe('configmaps and secrets (course: Gestion de la Configuration)', () => {
  it('kubectl create configmap from a directory, a file, literals and an env file', async () => {
    const dir = join(sandbox.dataDir, 'my', 'dir', 'path');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'myfile.txt'), 'hello\n');
    await writeFile(join(dir, 'app.properties'), 'color=blue\n');
    const envFile = join(sandbox.dataDir, 'app.env');
    await writeFile(envFile, '# comment\nLOG_LEVEL=debug\nMODE=prod\n');
    expect(await ok(kubectl, ['create', 'configmap', 'my-config', `--from-file=${dir}/`])).toBe('configmap/my-config created\n');
    await ok(kubectl, ['create', 'configmap', 'my-file', `--from-file=${join(dir, 'myfile.txt')}`]);
    await ok(kubectl, ['create', 'configmap', 'my-literals', '--from-literal=key1=value1', '--from-literal=key2=value2']);
    await ok(kubectl, ['create', 'configmap', 'my-env', `--from-env-file=${envFile}`]);
    const cms = Object.fromEntries(table(await ok(kubectl, ['get', 'configmap'])).rows.map((r) => [r.NAME, r.DATA]));
    expect(cms).toMatchObject({ 'kube-root-ca.crt': '1', 'my-config': '2', 'my-file': '1', 'my-literals': '2', 'my-env': '2' });
    const described = await ok(kubectl, ['describe', 'configmap', 'my-config']);
    expect(described).toContain('app.properties:\n----\ncolor=blue\n');
    expect(described).toContain('myfile.txt:\n----\nhello\n');
    expect(await ok(kubectl, ['get', 'cm', 'my-env', '-o', 'jsonpath={.data}'])).toBe('{"LOG_LEVEL":"debug","MODE":"prod"}');
  });

  it('secrets: generic from literals (base64, sizes in describe) and docker-registry', async () => {
    expect(await ok(kubectl, ['create', 'secret', 'generic', 'dev-db-secret', '--from-literal=username=devuser', '--from-literal=password=S!B\\*d$zDsb'])).toBe('secret/dev-db-secret created\n');
    await ok(kubectl, ['create', 'secret', 'docker-registry', 'mydockerhubsecret', '--docker-username=employeeusername', '--docker-password=employeepassword', '--docker-email=employee.email@organization.com']);
    const rows = Object.fromEntries(table(await ok(kubectl, ['get', 'secret'])).rows.map((r) => [r.NAME, r]));
    expect(rows['dev-db-secret']).toMatchObject({ TYPE: 'Opaque', DATA: '2' });
    expect(rows.mydockerhubsecret).toMatchObject({ TYPE: 'kubernetes.io/dockerconfigjson', DATA: '1' });
    const described = await ok(kubectl, ['describe', 'secret', 'dev-db-secret']);
    // kubectl describe ranges over the data map: Go gives the keys in a random order.
    expect(described).toMatch(/password:\s+11 bytes\n/);
    expect(described).toMatch(/username:\s+7 bytes\n/);
    const b64 = await ok(kubectl, ['get', 'secret', 'dev-db-secret', '-o', 'jsonpath={.data.password}']);
    expect(Buffer.from(b64, 'base64').toString()).toBe('S!B\\*d$zDsb');
    const file = await manifest(sandbox, 'mysecret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: mysecret\n  namespace: default\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  password: MWYyZDFlMmU2N2Rm\n');
    await ok(kubectl, ['apply', '-f', file]);
    expect(await ok(kubectl, ['get', 'secret', 'mysecret', '-o', 'jsonpath={.data.username}'])).toBe('YWRtaW4=');
  });

  it('the course pods: configMapKeyRef env (printed by env) and a configMap volume (listed by ls)', async () => {
    const file = await manifest(
      sandbox,
      'cm-pods.yaml',
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis-config\ndata:\n    redis-config: |\n      maxmemory 2mb\n      maxmemory-policy allkeys-lru\n---',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis-env\ndata:\n   redis_host: "redis_svc"\n   redis_port: "6349"\n---',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env-config\ndata:\n  log_level: INFO\n---',
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: dapi-test-pod\nspec:\n  containers:\n    - name: test-container\n      image: k8s.gcr.io/busybox\n      command: [ "/bin/sh", "-c", "env" ]\n      env:\n        - name: REDIS_HOST\n          valueFrom:\n            configMapKeyRef:\n              name: redis-env\n              key: redis_host\n        - name: LOG_LEVEL\n          valueFrom:\n            configMapKeyRef:\n              name: env-config\n              key: log_level\n  restartPolicy: Never\n---',
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: dapi-volume-pod\nspec:\n  containers:\n    - name: test-container\n      image: k8s.gcr.io/busybox\n      command: [ "/bin/sh", "-c", "ls /etc/config/ && cat /etc/config/redis-config" ]\n      volumeMounts:\n      - name: redis-conf-volume\n        mountPath: /etc/config\n  volumes:\n    - name: redis-conf-volume\n      configMap:\n        name: redis-config\n  restartPolicy: Never\n',
      ].join('\n'),
    );
    await ok(kubectl, ['apply', '-f', file]);
    for (const pod of ['dapi-test-pod', 'dapi-volume-pod']) await poll(`${pod} Succeeded`, async () => (await phase(pod)) === 'Succeeded', 60_000);
    const env = (await ok(kubectl, ['logs', 'dapi-test-pod'])).split('\n');
    expect(env).toContain('REDIS_HOST=redis_svc');
    expect(env).toContain('LOG_LEVEL=INFO');
    expect(await ok(kubectl, ['logs', 'dapi-volume-pod'])).toBe('redis-config\nmaxmemory 2mb\nmaxmemory-policy allkeys-lru\n');
    expect(table(await ok(kubectl, ['get', 'pod', 'dapi-test-pod'])).rows[0]).toMatchObject({ READY: '0/1', STATUS: 'Completed', RESTARTS: '0' });
  });

  it('envFrom a Secret and a ConfigMap, a Secret volume: kubectl exec -- env and cat show them', async () => {
    const file = await manifest(
      sandbox,
      'secret-pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: secret-pod\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: ["sleep", "3600"]\n    envFrom:\n    - secretRef:\n        name: dev-db-secret\n    - configMapRef:\n        name: my-env\n    volumeMounts:\n    - name: s\n      mountPath: /etc/secret\n      readOnly: true\n  volumes:\n  - name: s\n    secret:\n      secretName: dev-db-secret\n',
    );
    await ok(kubectl, ['apply', '-f', file]);
    await ok(kubectl, ['wait', '--for=condition=Ready', 'pod/secret-pod', '--timeout=60s']);
    const env = (await ok(kubectl, ['exec', 'secret-pod', '--', 'env'])).split('\n');
    expect(env).toEqual(expect.arrayContaining(['username=devuser', 'password=S!B\\*d$zDsb', 'LOG_LEVEL=debug', 'MODE=prod']));
    expect(await ok(kubectl, ['exec', 'secret-pod', '--', 'ls', '/etc/secret'])).toBe('password\nusername\n');
    expect(await ok(kubectl, ['exec', 'secret-pod', '--', 'cat', '/etc/secret/username'])).toBe('devuser');
  });

  it('a pod referencing a missing ConfigMap key stays in CreateContainerConfigError', async () => {
    await ok(kubectl, ['run', 'badref', '--image=busybox', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'badref', image: 'busybox', command: ['sleep', '3600'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }] } })]);
    const row = await poll('CreateContainerConfigError', async () => {
      const r = table(await ok(kubectl, ['get', 'pod', 'badref'])).rows[0];
      return r?.STATUS === 'CreateContainerConfigError' ? r : undefined;
    }, 60_000);
    expect(row.READY).toBe('0/1');
    expect(await ok(kubectl, ['describe', 'pod', 'badref'])).toMatch(/Warning\s+Failed\s+.*kubelet\s+Error: configmap "nope" not found/);
  });
});
