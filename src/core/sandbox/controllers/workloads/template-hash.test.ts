// The names a real kube-controller-manager 1.32 gives: golden values from real clusters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { DEPLOYMENTS, REPLICASETS } from './common.js';
import { listOf, startFixture, type Fixture } from './test-fixture.js';
import { computeTemplateHash, hashControllerRevision, podTemplateSpew, revisionPatchJson } from './template-hash.js';

/** kubeadm 1.32's CoreDNS Deployment (cmd/kubeadm/app/phases/addons/dns/manifests.go), as kubeadm sends it. */
function kubeadmCoreDns(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns:v1.11.3',
              imagePullPolicy: 'IfNotPresent',
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              args: ['-conf', '/etc/coredns/Corefile'],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
              livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
            },
          ],
          dnsPolicy: 'Default',
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
}

/** The same template after the API server's defaulting, as `kubectl get -o json` shows it. */
function defaultedCoreDnsTemplate(): Record<string, unknown> {
  const template = structuredClone(kubeadmCoreDns().spec as { template: { spec: Record<string, unknown> } }).template;
  const spec = template.spec as { containers: Array<Record<string, unknown>>; volumes: Array<{ configMap: Record<string, unknown> }> };
  Object.assign(spec, { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, securityContext: {}, schedulerName: 'default-scheduler', serviceAccount: 'coredns' });
  const [c] = spec.containers;
  Object.assign(c, { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
  Object.assign(c.livenessProbe as object, { periodSeconds: 10 });
  Object.assign(c.readinessProbe as object, { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  spec.volumes[0].configMap.defaultMode = 420;
  return template;
}

describe('controller.ComputeHash (pod-template-hash)', () => {
  it("gives kubeadm 1.32's CoreDNS template the hash of every kubeadm 1.32 cluster: coredns-668d6bf9bc", () => {
    expect(computeTemplateHash(defaultedCoreDnsTemplate())).toBe('668d6bf9bc');
  });

  it('treats serviceAccount as the alias of serviceAccountName, as the API serves it', () => {
    const template = defaultedCoreDnsTemplate();
    delete (template.spec as Record<string, unknown>).serviceAccount;
    expect(computeTemplateHash(template)).toBe('668d6bf9bc');
  });

  it('hashes the collision count as 8 little-endian bytes after the printout, and any change of the template', () => {
    const template = defaultedCoreDnsTemplate();
    const hashes = new Set([computeTemplateHash(template), computeTemplateHash(template, 0), computeTemplateHash(template, 1)]);
    expect(hashes.size).toBe(3);
    const changed = structuredClone(template);
    (changed.metadata as { labels: Record<string, string> }).labels.tier = 'dns';
    expect(computeTemplateHash(changed)).not.toBe('668d6bf9bc');
    expect(computeTemplateHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });

  it("prints the template as go-spew's %#v does", () => {
    const text = podTemplateSpew(defaultedCoreDnsTemplate());
    expect(text.startsWith('(v1.PodTemplateSpec){ObjectMeta:(v1.ObjectMeta){Name:(string) GenerateName:(string) Namespace:(string) SelfLink:(string) UID:(types.UID) ')).toBe(true);
    // Nil pointers show their type; slice elements, map values and pointer targets do not.
    expect(text).toContain('DeletionTimestamp:(*v1.Time)<nil>');
    expect(text).toContain('Labels:(map[string]string)map[k8s-app:kube-dns] Annotations:(map[string]string)<nil>');
    expect(text).toContain('Args:([]string)[-conf /etc/coredns/Corefile]');
    expect(text).toContain('DefaultMode:(*int32)420');
    // Quantities print their parsed fields; s keeps the text only when ParseQuantity found it canonical.
    expect(text).toContain('Limits:(v1.ResourceList)map[memory:{i:(resource.int64Amount){value:(int64)178257920 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)170Mi Format:(resource.Format)BinarySI}]');
    expect(text).toContain('Port:(intstr.IntOrString){Type:(intstr.Type)0 IntVal:(int32)8080 StrVal:(string)}');
    expect(text).toContain('CreationTimestamp:(v1.Time){Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}}');
  });

  it('prints slice elements without their type but their fields with theirs, nil pointers included', () => {
    // PodDNSConfig.Options[].Value is a *string field of a slice element.
    const text = podTemplateSpew({ spec: { dnsConfig: { options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } } });
    expect(text).toContain('Options:([]v1.PodDNSConfigOption)[{Name:(string)ndots Value:(*string)2} {Name:(string)edns0 Value:(*string)<nil>}]');
  });

  it('keeps s empty for quantities ParseQuantity does not find canonical (128Mi) and empty lists nil', () => {
    const text = podTemplateSpew({ spec: { containers: [{ name: 'a', args: [], resources: { requests: { memory: '128Mi', cpu: '1' } } }] } });
    expect(text).toContain('cpu:{i:(resource.int64Amount){value:(int64)1 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)1 Format:(resource.Format)DecimalSI}');
    expect(text).toContain('memory:{i:(resource.int64Amount){value:(int64)134217728 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string) Format:(resource.Format)BinarySI}');
    expect(text).toContain('Args:([]string)<nil>');
  });
});

describe('history.HashControllerRevision (StatefulSet revisions)', () => {
  it('is FNV-1 (not 1a) of the data, then the probe in decimal', () => {
    // FNV-1 32-bit of "a" is 0x050c5d7e = 84696446; of "" the offset basis 2166136261.
    const encode = (n: number) => [...String(n)].map((c) => 'bcdfghjklmnpqrstvwxz2456789'[c.charCodeAt(0) % 27]).join('');
    expect(hashControllerRevision('a')).toBe(encode(0x050c5d7e));
    expect(hashControllerRevision('')).toBe(encode(2166136261));
    expect(hashControllerRevision('', 0)).toBe(hashControllerRevision('0'));
  });

  it("stores the template as Go's JSON writes it: sorted keys, creationTimestamp null, empty resources, $patch first", () => {
    const text = revisionPatchJson({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, name: 'web' }] }] } });
    expect(text).toBe(
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx","name":"nginx","ports":[{"containerPort":80,"name":"web"}],"resources":{}}]}}}}',
    );
  });
});

describe('DeploymentController names', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture({ nodes: 1 });
  });
  afterEach(async () => {
    await f.close();
  });

  it("names kubeadm's CoreDNS ReplicaSet coredns-668d6bf9bc after our API server's defaulting", async () => {
    await f.client.create(DEPLOYMENTS, 'kube-system', kubeadmCoreDns());
    await f.settle();
    const sets = await listOf(f.client, REPLICASETS, 'kube-system');
    expect(sets.map((rs) => rs.metadata.name)).toEqual(['coredns-668d6bf9bc']);
    expect(sets[0].metadata.labels?.['pod-template-hash']).toBe('668d6bf9bc');
  });
});
