import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/kube.js';
import { eventually, startTestCluster, type TestCluster } from './test-cluster.js';

let c: TestCluster;
beforeEach(async () => {
  c = await startTestCluster();
});
afterEach(async () => {
  await c.close();
});

const messages = async (name: string) => (await c.events(name)).map((e) => `${e.type} ${e.reason} ${e.message}`);
const create = (resource: string, obj: KubeObject, ns = 'default') => c.client.create({ group: '', resource }, ns, obj);

describe('image pulls', () => {
  it('ErrImagePull then ImagePullBackOff with a doubling back-off, and the events', async () => {
    await c.createPod({ metadata: { name: 'nope' }, spec: { containers: [{ name: 'app', image: 'nope' }] } });
    await eventually(async () => expect((await c.pod('nope')).status?.containerStatuses?.[0].state?.waiting?.reason).toBe('ErrImagePull'));
    const failed = (await c.pod('nope')).status!.containerStatuses![0].state!.waiting!.message;
    expect(failed).toContain('docker.io/library/nope:latest');
    await c.advance(1000);
    await eventually(async () => expect((await c.pod('nope')).status?.containerStatuses?.[0].state?.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope"' }));
    expect((await c.pod('nope')).status?.phase).toBe('Pending');
    expect(c.runtime.pulls.filter((p) => p === 'nope')).toHaveLength(1);
    await c.advance(9000);
    await eventually(() => expect(c.runtime.pulls.filter((p) => p === 'nope')).toHaveLength(2));
    await c.advance(10_000);
    expect(c.runtime.pulls.filter((p) => p === 'nope')).toHaveLength(2); // now 20 s
    await c.advance(10_000);
    await eventually(() => expect(c.runtime.pulls.filter((p) => p === 'nope')).toHaveLength(3));
    const events = await messages('nope');
    expect(events).toEqual(
      expect.arrayContaining([
        'Normal Pulling Pulling image "nope"',
        'Warning Failed Error: ErrImagePull',
        'Normal BackOff Back-off pulling image "nope"',
        'Warning Failed Error: ImagePullBackOff',
      ]),
    );
    expect(events.some((e) => e.startsWith('Warning Failed Failed to pull image "nope": '))).toBe(true);
  });

  it('pull policies: IfNotPresent reuses a present image, Never fails with ErrImageNeverPull', async () => {
    await c.createPod({ metadata: { name: 'first' }, spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] } });
    await eventually(async () => expect((await c.pod('first')).status?.phase).toBe('Running'));
    await c.createPod({ metadata: { name: 'second' }, spec: { containers: [{ name: 'a', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }] } });
    await eventually(async () => expect((await c.pod('second')).status?.phase).toBe('Running'));
    expect(await messages('second')).toContain('Normal Pulled Container image "nginx:1.27" already present on machine');
    expect(c.runtime.pulls.filter((p) => p === 'nginx:1.27')).toHaveLength(1);
    await c.createPod({ metadata: { name: 'never' }, spec: { containers: [{ name: 'a', image: 'redis', imagePullPolicy: 'Never' }] } });
    await eventually(async () =>
      expect((await c.pod('never')).status?.containerStatuses?.[0].state?.waiting).toEqual({ reason: 'ErrImageNeverPull', message: 'Container image "redis" is not present with pull policy of Never' }),
    );
  });
});

describe('environment', () => {
  it('CreateContainerConfigError for a missing configMap, then starts once it exists', async () => {
    await c.createPod({
      metadata: { name: 'cfg' },
      spec: { containers: [{ name: 'a', image: 'nginx', env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }] }] },
    });
    await eventually(async () => expect((await c.pod('cfg')).status?.containerStatuses?.[0].state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "settings" not found' }));
    expect(await messages('cfg')).toContain('Warning Failed Error: configmap "settings" not found');
    await create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { other: 'x' } });
    await c.advance(10_000);
    await eventually(async () => expect((await c.pod('cfg')).status?.containerStatuses?.[0].state?.waiting?.message).toBe("couldn't find key mode in ConfigMap default/settings"));
    await c.client.patch({ group: '', resource: 'configmaps' }, 'default', 'settings', 'merge', { data: { mode: 'fast' } });
    await c.advance(10_000);
    await eventually(async () => expect((await c.pod('cfg')).status?.phase).toBe('Running'));
    expect(c.runtime.latest('cfg', 'a')!.config.env).toContainEqual(['MODE', 'fast']);
  });

  it('env, valueFrom, envFrom with prefix, $(VAR) expansion, downward API, resources, service links', async () => {
    await create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, data: { COLOR: 'blue', SIZE: 'L' } });
    await create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: Buffer.from('s3cret').toString('base64') } });
    const svc = await create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-db' }, spec: { ports: [{ name: 'sql', port: 5432 }], selector: { app: 'db' } } });
    const ip = (svc.spec as { clusterIP: string }).clusterIP;
    // Service links come from the services the kubelet knows when the container starts.
    await eventually(() => expect(c.fleet.network.lookup('my-db', 'default')).toEqual([ip]));
    await c.createPod({
      metadata: { name: 'envy', labels: { app: 'envy' } },
      spec: {
        containers: [
          {
            name: 'a',
            image: 'nginx',
            resources: { limits: { memory: '128Mi', cpu: '500m' } },
            envFrom: [{ configMapRef: { name: 'app' }, prefix: 'CFG_' }],
            env: [
              { name: 'GREETING', value: 'hello' },
              { name: 'MESSAGE', value: '$(GREETING) world $(MISSING)' },
              { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
              { name: 'OPTIONAL', valueFrom: { secretKeyRef: { name: 'absent', key: 'x', optional: true } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
              { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
            ],
          },
        ],
      },
    });
    await eventually(async () => expect((await c.pod('envy')).status?.phase).toBe('Running'));
    const env = new Map(c.runtime.latest('envy', 'a')!.config.env);
    const podIP = (await c.pod('envy')).status!.podIP;
    expect(Object.fromEntries([...env].filter(([k]) => !k.startsWith('KUBERNETES_') && !k.startsWith('MY_DB_')))).toEqual({
      CFG_COLOR: 'blue',
      CFG_SIZE: 'L',
      GREETING: 'hello',
      MESSAGE: 'hello world $(MISSING)',
      PASSWORD: 's3cret',
      POD_NAME: 'envy',
      POD_IP: podIP,
      NODE: 'kubedesk-worker',
      APP: 'envy',
      MEM: '128',
      CPU: '500',
    });
    expect(env.get('MY_DB_SERVICE_HOST')).toBe(ip);
    expect(env.get('MY_DB_SERVICE_PORT')).toBe('5432');
    expect(env.get('MY_DB_SERVICE_PORT_SQL')).toBe('5432');
    expect(env.get('MY_DB_PORT')).toBe(`tcp://${ip}:5432`);
    expect(env.get('MY_DB_PORT_5432_TCP_ADDR')).toBe(ip);
    expect(env.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
    expect(env.get('KUBERNETES_PORT_443_TCP')).toBe('tcp://10.96.0.1:443');
  });
});

describe('volumes', () => {
  it('configMap, secret, downwardAPI, emptyDir shared between containers, projected token bound to the pod', async () => {
    await create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { 'index.html': '<h1>hi</h1>', other: 'x' } });
    await create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, data: { 'tls.key': Buffer.from('KEY').toString('base64') } });
    await c.createPod({
      metadata: { name: 'vol', labels: { tier: 'web' } },
      spec: {
        volumes: [
          { name: 'html', configMap: { name: 'web', items: [{ key: 'index.html', path: 'index.html' }] } },
          { name: 'certs', secret: { secretName: 'tls' } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'scratch', emptyDir: {} },
          {
            name: 'kube-api-access',
            projected: {
              sources: [
                { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
                { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
              ],
            },
          },
        ],
        containers: [
          {
            name: 'a',
            image: 'nginx',
            volumeMounts: [
              { name: 'html', mountPath: '/usr/share/nginx/html' },
              { name: 'certs', mountPath: '/etc/tls', readOnly: true },
              { name: 'info', mountPath: '/etc/podinfo' },
              { name: 'scratch', mountPath: '/data' },
              { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
            ],
          },
          { name: 'b', image: 'redis', volumeMounts: [{ name: 'scratch', mountPath: '/shared' }] },
        ],
      },
    });
    await eventually(async () => expect((await c.pod('vol')).status?.phase).toBe('Running'), 6000);
    const a = c.runtime.latest('vol', 'a')!.config;
    const b = c.runtime.latest('vol', 'b')!.config;
    const files = new Map(a.files.map((f) => [f.path, typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('utf8')]));
    expect(files.get('/usr/share/nginx/html/index.html')).toBe('<h1>hi</h1>');
    expect(files.has('/usr/share/nginx/html/other')).toBe(false);
    expect(files.get('/etc/tls/tls.key')).toBe('KEY');
    expect(files.get('/etc/podinfo/labels')).toBe('tier="web"');
    expect(files.get('/var/run/secrets/kubernetes.io/serviceaccount/namespace')).toBe('default');
    expect(files.get('/var/run/secrets/kubernetes.io/serviceaccount/ca.crt')).toContain('BEGIN CERTIFICATE');
    const token = files.get('/var/run/secrets/kubernetes.io/serviceaccount/token')!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sub: string; 'kubernetes.io': { pod: { name: string } } };
    expect(claims.sub).toBe('system:serviceaccount:default:default');
    expect(claims['kubernetes.io'].pod.name).toBe('vol');
    const sharedA = a.volumes.find((v) => v.mountPath === '/data')!.store;
    const sharedB = b.volumes.find((v) => v.mountPath === '/shared')!.store;
    sharedA.write('x.txt', new TextEncoder().encode('shared'));
    expect(new TextDecoder().decode(sharedB.read('x.txt'))).toBe('shared');
    const status = (await c.pod('vol')).status!.containerStatuses!.find((s) => s.name === 'a')!;
    expect(status.volumeMounts).toContainEqual({ name: 'certs', mountPath: '/etc/tls', readOnly: true, recursiveReadOnly: 'Disabled' });
  });

  it('a missing configMap volume keeps the pod ContainerCreating with FailedMount', async () => {
    await c.createPod({ metadata: { name: 'nomount' }, spec: { volumes: [{ name: 'cfg', configMap: { name: 'ghost' } }], containers: [{ name: 'a', image: 'nginx', volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }] } });
    await eventually(async () => expect(await messages('nomount')).toContain('Warning FailedMount MountVolume.SetUp failed for volume "cfg" : configmap "ghost" not found'));
    expect((await c.pod('nomount')).status!.containerStatuses![0].state?.waiting?.reason).toBe('ContainerCreating');
  });

  it('PVC data outlives the pod', async () => {
    await create('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const spec = { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }], containers: [{ name: 'a', image: 'nginx', volumeMounts: [{ name: 'd', mountPath: '/var/lib/data' }] }] };
    await c.createPod({ metadata: { name: 'p1' }, spec });
    await eventually(async () => expect((await c.pod('p1')).status?.phase).toBe('Running'));
    c.runtime.latest('p1', 'a')!.config.volumes[0].store.write('db/file', new TextEncoder().encode('kept'));
    await c.client.delete({ group: '', resource: 'pods' }, 'default', 'p1', { gracePeriodSeconds: 0 });
    await c.createPod({ metadata: { name: 'p2' }, spec });
    await eventually(async () => expect((await c.pod('p2')).status?.phase).toBe('Running'));
    expect(new TextDecoder().decode(c.runtime.latest('p2', 'a')!.config.volumes[0].store.read('db/file'))).toBe('kept');
  });
});
