// The names a real kube-controller-manager 1.32 gives: golden values from real clusters.
import { describe, expect, it } from 'vitest';
import { kubeadmCoreDns } from './test-manifests.js';
import { computeTemplateHash, hashControllerRevision, podTemplateSpew, revisionPatchJson } from './template-hash.js';

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

  it('follows a template edited in place (results are cached by content, not by object)', () => {
    const template = defaultedCoreDnsTemplate();
    expect(computeTemplateHash(template)).toBe('668d6bf9bc');
    (template.spec as { containers: Array<{ image: string }> }).containers[0].image = 'registry.k8s.io/coredns/coredns:v1.12.0';
    expect(computeTemplateHash(template)).not.toBe('668d6bf9bc');
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

  it('reads its own output back to the same bytes, so a stored revision matches its template again', () => {
    const text = revisionPatchJson(defaultedCoreDnsTemplate());
    const stored = (JSON.parse(text) as { spec: { template: Record<string, unknown> } }).spec.template;
    delete stored.$patch;
    expect(revisionPatchJson(stored)).toBe(text);
    expect(text).toContain('"port":8080');
    expect(text).toContain('"limits":{"memory":"170Mi"}');
  });
});
