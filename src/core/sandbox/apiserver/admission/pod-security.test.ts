import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { evaluatePod, forbiddenDetail } from './pod-security-checks.js';
import { PodSecurityPlugin, policyFromLabels } from './pod-security.js';
import { TestApiClient } from './test-client.js';
import { attrs, pod, rejection } from './test-fixtures.js';

const NS = { group: '', resource: 'namespaces' };
const plugin = new PodSecurityPlugin();

function cluster(labels: Record<string, string>): TestApiClient {
  return new TestApiClient().seed(NS, { metadata: { name: 'default', labels } });
}

const hardened = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'nginx', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

describe('PodSecurity enforce', () => {
  it('lets everything through in unlabeled (privileged) namespaces', async () => {
    await plugin.validate(attrs('CREATE', 'pods', { object: pod('x', { hostNetwork: true }) }), cluster({}));
  });

  it('rejects a plain pod under restricted with every violation, in upstream order', async () => {
    const err = await rejection(plugin.validate(attrs('CREATE', 'pods', { object: pod('nginx') }), cluster({ 'pod-security.kubernetes.io/enforce': 'restricted' })));
    expect(err.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'pods "nginx" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    });
  });

  it('admits a hardened pod under restricted', async () => {
    await plugin.validate(attrs('CREATE', 'pods', { object: pod('ok', hardened) }), cluster({ 'pod-security.kubernetes.io/enforce': 'restricted' }));
  });

  it('puts baseline violations first and replaces overlapping ones under restricted', async () => {
    const spec = {
      ...hardened,
      containers: [{ name: 'app', image: 'a', securityContext: { privileged: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }],
    };
    const err = await rejection(plugin.validate(attrs('CREATE', 'pods', { object: pod('logger', spec) }), cluster({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.30' })));
    expect(err.status.message).toBe(
      'pods "logger" is forbidden: violates PodSecurity "restricted:v1.30": privileged (container "app" must not set securityContext.privileged=true), restricted volume types (volume "logs" uses restricted volume type "hostPath")',
    );
    const baseline = await rejection(plugin.validate(attrs('CREATE', 'pods', { object: pod('logger', spec) }), cluster({ 'pod-security.kubernetes.io/enforce': 'baseline' })));
    expect(baseline.status.message).toBe(
      'pods "logger" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true), hostPath volumes (volume "logs")',
    );
  });

  it('words the baseline checks as upstream', () => {
    const spec = {
      hostNetwork: true,
      hostPID: true,
      securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }, { name: 'net.ipv4.tcp_syncookies', value: '1' }] },
      containers: [
        { name: 'a', ports: [{ containerPort: 80, hostPort: 8080 }], securityContext: { capabilities: { add: ['NET_ADMIN', 'CHOWN'] }, procMount: 'Unmasked' } },
        { name: 'b', ports: [{ containerPort: 81, hostPort: 9090 }], securityContext: { seLinuxOptions: { type: 'spc_t' } } },
      ],
    };
    expect(forbiddenDetail(evaluatePod('baseline', 32, {}, spec))).toBe(
      [
        'host namespaces (hostNetwork=true, hostPID=true)',
        'hostPort (containers "a", "b" use hostPorts 8080, 9090)',
        'procMount (container "a" must not set securityContext.procMount to "Unmasked")',
        'seLinuxOptions (container "b" set forbidden securityContext.seLinuxOptions: type "spc_t")',
        'forbidden sysctls (net.core.somaxconn)',
        'non-default capabilities (container "a" must not include "NET_ADMIN" in securityContext.capabilities.add)',
      ].join(', '),
    );
  });

  it('names explicit bad settings before missing ones', () => {
    const spec = { securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'Unconfined' } }, containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN', 'NET_BIND_SERVICE'] } } }] };
    expect(forbiddenDetail(evaluatePod('restricted', 32, {}, spec))).toBe(
      [
        'unrestricted capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)',
        'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)',
        'runAsUser=0 (pod must not set runAsUser=0)',
        'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
      ].join(', '),
    );
  });

  it('only re-checks pod updates that change images or seccomp annotations', async () => {
    const c = cluster({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const old = pod('nginx');
    const relabeled: KubeObject = { ...pod('nginx'), metadata: { ...old.metadata, labels: { tier: 'web' } } };
    await plugin.validate(attrs('UPDATE', 'pods', { object: relabeled, oldObject: old }), c);
    const newImage = pod('nginx', { containers: [{ name: 'nginx', image: 'nginx:1.28' }] });
    expect((await rejection(plugin.validate(attrs('UPDATE', 'pods', { object: newImage, oldObject: old }), c))).status.code).toBe(403);
    await plugin.validate(attrs('UPDATE', 'pods', { object: pod('nginx'), oldObject: old, subresource: 'status' }), c);
  });
});

describe('PodSecurity namespace labels', () => {
  it('parses levels and versions, failing closed on a bad enforce level', () => {
    expect(policyFromLabels({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.29' })).toEqual({
      enforce: { level: 'baseline', minor: 29 },
      warn: { level: 'privileged' },
      errors: [],
    });
    expect(policyFromLabels({ 'pod-security.kubernetes.io/warn': 'strict' }).warn.level).toBe('privileged');
    expect(policyFromLabels({ 'pod-security.kubernetes.io/enforce': 'strict' }).enforce.level).toBe('restricted');
  });

  it('rejects namespaces with invalid labels as 422 Invalid', async () => {
    const ns: KubeObject = { metadata: { name: 'team', labels: { 'pod-security.kubernetes.io/enforce': 'strict' } } };
    const err = await rejection(plugin.validate(attrs('CREATE', 'namespaces', { object: ns }), new TestApiClient()));
    expect(err.status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
      details: { name: 'team', kind: 'namespaces' },
    });
    const two: KubeObject = { metadata: { name: 'team', labels: { 'pod-security.kubernetes.io/warn': 'x', 'pod-security.kubernetes.io/warn-version': '1.30' } } };
    expect((await rejection(plugin.validate(attrs('CREATE', 'namespaces', { object: two }), new TestApiClient()))).status.message).toBe(
      '[metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "x": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.30": must be "latest" or "v1.x"]',
    );
    // Unchanged bad labels do not block other updates.
    await plugin.validate(attrs('UPDATE', 'namespaces', { object: ns, oldObject: ns }), new TestApiClient());
  });
});

describe('PodSecurity warnings', () => {
  const DEPLOYMENTS = 'deployments';

  it('warns for pods that pass enforce but not warn', async () => {
    const c = cluster({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' });
    const a = attrs('CREATE', 'pods', { object: pod('nginx') });
    await plugin.validate(a, c);
    expect(a.warnings).toEqual([
      'would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ]);
  });

  it('only warns (never refuses) for workload templates', async () => {
    const c = cluster({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'baseline' });
    const deploy: KubeObject = {
      metadata: { name: 'web', namespace: 'default' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { hostNetwork: true, containers: [{ name: 'nginx', image: 'nginx' }] } } },
    };
    const a = attrs('CREATE', DEPLOYMENTS, { object: deploy });
    await plugin.validate(a, c);
    expect(a.warnings).toEqual(['would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true)']);
  });

  it('warns about existing pods when a namespace tightens its enforce level', async () => {
    const c = new TestApiClient().seed(
      { group: '', resource: 'pods' },
      pod('web-1', { hostNetwork: true }),
      pod('web-2', { hostNetwork: true }),
      pod('admin', { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] }),
      pod('fine'),
    );
    const before: KubeObject = { metadata: { name: 'default', labels: {} } };
    const after: KubeObject = { metadata: { name: 'default', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } };
    const a = attrs('UPDATE', 'namespaces', { object: after, oldObject: before });
    await plugin.validate(a, c);
    expect(a.warnings).toEqual([
      'existing pods in namespace "default" violate the new PodSecurity enforce level "baseline:latest"',
      'admin: privileged',
      'web-1 (and 1 other pod): host namespaces',
    ]);
    // Relaxing the level checks nothing.
    const relax = attrs('UPDATE', 'namespaces', { object: before, oldObject: after });
    await plugin.validate(relax, c);
    expect(relax.warnings).toBeUndefined();
  });
});
