import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { ServiceAccountPlugin, TOKEN_MOUNT_PATH, randomSuffix } from './service-account.js';
import { TestApiClient } from './test-client.js';
import { attrs, pod, rejection } from './test-fixtures.js';

const SA = { group: '', resource: 'serviceaccounts' };

function client(...extra: KubeObject[]): TestApiClient {
  return new TestApiClient().seed(SA, { metadata: { name: 'default', namespace: 'default' } }, ...extra);
}

const plugin = new ServiceAccountPlugin({ generateSuffix: () => 'abcde', defaultLookupAttempts: 2, retryIntervalMs: () => 1 });

describe('ServiceAccount', () => {
  it('defaults the account and mounts the projected token exactly as kube-apiserver 1.32', async () => {
    const obj = pod('web', { initContainers: [{ name: 'init', image: 'busybox' }] });
    await plugin.admit(attrs('CREATE', 'pods', { object: obj }), client());
    const spec = obj.spec as Record<string, unknown>;
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.serviceAccount).toBe('default');
    expect(spec.volumes).toEqual([
      {
        name: 'kube-api-access-abcde',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ]);
    const mount = { name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    expect(spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.27', volumeMounts: [mount] }]);
    expect(spec.initContainers).toEqual([{ name: 'init', image: 'busybox', volumeMounts: [mount] }]);
  });

  it('refuses a pod whose named account does not exist', async () => {
    const obj = pod('x', { serviceAccountName: 'foo' });
    const err = await rejection(plugin.admit(attrs('CREATE', 'pods', { object: obj }), client()));
    expect(err.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "x" is forbidden: error looking up service account default/foo: serviceaccount "foo" not found',
      details: { name: 'x', kind: 'pods' },
    });
  });

  it('retries the default account, which the controller creates shortly after the namespace', async () => {
    const c = new TestApiClient();
    const err = await rejection(plugin.admit(attrs('CREATE', 'pods', { object: pod('x') }), c));
    expect(err.status.message).toBe('pods "x" is forbidden: error looking up service account default/default: serviceaccount "default" not found');
    expect(c.calls.filter((call) => call.startsWith('get serviceaccounts'))).toHaveLength(2);
  });

  it('honours automountServiceAccountToken: the pod wins over the account', async () => {
    const noMount = { metadata: { name: 'quiet', namespace: 'default' }, automountServiceAccountToken: false };
    const a = pod('a', { serviceAccountName: 'quiet' });
    await plugin.admit(attrs('CREATE', 'pods', { object: a }), client(noMount));
    expect((a.spec as Record<string, unknown>).volumes).toBeUndefined();

    const b = pod('b', { serviceAccountName: 'quiet', automountServiceAccountToken: true });
    await plugin.admit(attrs('CREATE', 'pods', { object: b }), client(noMount));
    expect((b.spec as { volumes: unknown[] }).volumes).toHaveLength(1);

    const c = pod('c', { automountServiceAccountToken: false });
    await plugin.admit(attrs('CREATE', 'pods', { object: c }), client());
    expect((c.spec as Record<string, unknown>).volumes).toBeUndefined();
  });

  it('keeps a container that already mounts something at the token path, and reuses an existing token volume', async () => {
    const obj = pod('x', {
      containers: [
        { name: 'own', image: 'a', volumeMounts: [{ name: 'mine', mountPath: TOKEN_MOUNT_PATH }] },
        { name: 'plain', image: 'b' },
      ],
      volumes: [{ name: 'kube-api-access-zzzzz', projected: { sources: [] } }],
    });
    await plugin.admit(attrs('CREATE', 'pods', { object: obj }), client());
    const spec = obj.spec as { containers: { volumeMounts: { name: string }[] }[]; volumes: unknown[] };
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'mine', mountPath: TOKEN_MOUNT_PATH }]);
    expect(spec.containers[1].volumeMounts).toEqual([{ name: 'kube-api-access-zzzzz', readOnly: true, mountPath: TOKEN_MOUNT_PATH }]);
    expect(spec.volumes).toHaveLength(1);
  });

  it("copies the account's image pull secrets when the pod has none", async () => {
    const sa = { metadata: { name: 'builder', namespace: 'default' }, imagePullSecrets: [{ name: 'registry' }] };
    const obj = pod('x', { serviceAccountName: 'builder' });
    await plugin.admit(attrs('CREATE', 'pods', { object: obj }), client(sa));
    expect((obj.spec as Record<string, unknown>).imagePullSecrets).toEqual([{ name: 'registry' }]);
  });

  it('leaves mirror pods untouched and refuses them references to accounts', async () => {
    const mirror = pod('static-web', {});
    mirror.metadata.annotations = { 'kubernetes.io/config.mirror': 'hash' };
    await plugin.admit(attrs('CREATE', 'pods', { object: mirror }), client());
    expect((mirror.spec as Record<string, unknown>).serviceAccountName).toBeUndefined();
    const withSa = pod('static-db', { serviceAccountName: 'default' });
    withSa.metadata.annotations = { 'kubernetes.io/config.mirror': 'hash' };
    const err = await rejection(plugin.admit(attrs('CREATE', 'pods', { object: withSa }), client()));
    expect(err.status.message).toBe('pods "static-db" is forbidden: a mirror pod may not reference service accounts');
  });

  it('enforces mountable secrets when the account asks for it', async () => {
    const sa = {
      metadata: { name: 'strict', namespace: 'default', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
      secrets: [{ name: 'allowed' }],
    };
    const ok = pod('ok', { serviceAccountName: 'strict', volumes: [{ name: 'v', secret: { secretName: 'allowed' } }] });
    await plugin.admit(attrs('CREATE', 'pods', { object: ok }), client(sa));
    const bad = pod('bad', { serviceAccountName: 'strict', volumes: [{ name: 'v', secret: { secretName: 'other' } }] });
    const err = await rejection(plugin.admit(attrs('CREATE', 'pods', { object: bad }), client(sa)));
    expect(err.status.message).toBe(
      'pods "bad" is forbidden: volume with secret.secretName="other" is not allowed because service account strict does not reference that secret',
    );
    const env = pod('env', { serviceAccountName: 'strict', containers: [{ name: 'app', image: 'a', env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] }] });
    expect((await rejection(plugin.admit(attrs('CREATE', 'pods', { object: env }), client(sa)))).status.message).toBe(
      'pods "env" is forbidden: container app with envVar PASSWORD referencing secret.secretName="db" is not allowed because service account strict does not reference that secret',
    );
    const pull = pod('pull', { serviceAccountName: 'strict', imagePullSecrets: [{ name: 'registry' }] });
    expect((await rejection(plugin.admit(attrs('CREATE', 'pods', { object: pull }), client(sa)))).status.message).toBe(
      'pods "pull" is forbidden: imagePullSecrets[0].name="registry" is not allowed because service account strict does not reference that imagePullSecret',
    );
  });

  it('only handles pod creates', async () => {
    const c = client();
    const obj = pod('x');
    await plugin.admit(attrs('UPDATE', 'pods', { object: obj, oldObject: obj }), c);
    await plugin.admit(attrs('CREATE', 'pods', { object: obj, subresource: 'status' }), c);
    await plugin.admit(attrs('CREATE', 'configmaps', { object: { metadata: { name: 'c' } } }), c);
    expect(c.calls).toEqual([]);
    expect((obj.spec as Record<string, unknown>).serviceAccountName).toBeUndefined();
  });

  it('generates 5-character suffixes from the name generator alphabet', () => {
    for (let i = 0; i < 20; i++) expect(randomSuffix()).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
