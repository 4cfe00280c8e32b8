import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/kube.js';
import { SelectorError } from './errors.js';
import { customResourceFields, fieldsFor, parseFieldSelector, parseFieldSelectorFor } from './field-selector.js';

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorError);
    return (e as Error).message;
  }
  throw new Error('expected a SelectorError');
}

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'node-a', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] },
};

describe('parseFieldSelector', () => {
  it('parses =, == and != with escapes', () => {
    const sel = parseFieldSelector('status.phase!=Failed,metadata.name==web-1,spec.x=a\\,b\\=c');
    expect(sel.requirements).toEqual([
      { field: 'metadata.name', operator: '==', value: 'web-1' },
      { field: 'spec.x', operator: '=', value: 'a,b=c' },
      { field: 'status.phase', operator: '!=', value: 'Failed' },
    ]);
    expect(sel.toString()).toBe('metadata.name=web-1,spec.x=a\\,b\\=c,status.phase!=Failed');
    expect(sel.matches({ 'metadata.name': 'web-1', 'spec.x': 'a,b=c', 'status.phase': 'Running' })).toBe(true);
    expect(sel.matches({ 'metadata.name': 'web-1', 'spec.x': 'a,b=c', 'status.phase': 'Failed' })).toBe(false);
    expect(parseFieldSelector('a=').matches({})).toBe(true);
    expect(parseFieldSelector('').isEmpty()).toBe(true);
  });

  it('rejects malformed selectors with upstream wording', () => {
    expect(failure(() => parseFieldSelector('metadata.name'))).toBe("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
    expect(failure(() => parseFieldSelector('a=b=c'))).toBe('invalid field selector: unescaped character in value: 61');
    expect(failure(() => parseFieldSelector('a=b\\x'))).toBe('invalid field selector: invalid escape sequence: \\x');
    expect(failure(() => parseFieldSelector('a=b\\'))).toBe('invalid field selector: invalid escape sequence: \\');
  });
});

describe('convertFieldSelector / fieldsFor', () => {
  it('accepts pod fields, maps spec.host and matches a pod', () => {
    const sel = parseFieldSelectorFor({ group: '', plural: 'pods' }, 'spec.host=node-a,status.phase=Running,status.podIP=10.0.0.5');
    expect(sel.requirements.map((r) => r.field)).toEqual(['spec.nodeName', 'status.phase', 'status.podIP']);
    const fields = fieldsFor({ group: '', plural: 'pods' }, pod);
    expect(fields['spec.hostNetwork']).toBe('false');
    expect(sel.matches(fields)).toBe(true);
    expect(parseFieldSelectorFor({ group: '', plural: 'pods' }, 'spec.nodeName=node-b').matches(fields)).toBe(false);
  });

  it('words unsupported fields as kube-apiserver does', () => {
    expect(failure(() => parseFieldSelectorFor({ group: '', plural: 'pods' }, 'spec.foo=x'))).toBe('field label not supported: spec.foo');
    expect(failure(() => parseFieldSelectorFor({ group: 'apps', plural: 'deployments' }, 'spec.foo=x'))).toBe(
      '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(failure(() => parseFieldSelectorFor({ group: 'batch', plural: 'jobs' }, 'status.failed=1'))).toBe('field label "status.failed" not supported for batchv1.Job');
    expect(failure(() => parseFieldSelectorFor({ group: '', plural: 'nodes' }, 'metadata.namespace=x'))).toBe(
      'field label not supported: metadata.namespace',
    );
    expect(failure(() => parseFieldSelectorFor({ group: 'stable.example.com', plural: 'widgets' }, 'spec.size=1', ['.spec.color']))).toBe(
      'field label not supported: spec.size',
    );
    const crd = {
      spec: { scope: 'Cluster', versions: [{ name: 'v1', selectableFields: [{ jsonPath: '.spec.color' }] }, { name: 'v2' }] },
    };
    const v1 = customResourceFields(crd, 'v1');
    expect(v1).toEqual({ selectableFields: ['.spec.color'], clusterScoped: true });
    expect(parseFieldSelectorFor({ group: 'stable.example.com', plural: 'widgets' }, 'spec.color=red,metadata.name=w', v1).requirements).toHaveLength(2);
    expect(failure(() => parseFieldSelectorFor({ group: 'stable.example.com', plural: 'widgets' }, 'metadata.namespace=x', v1))).toBe(
      'field label not supported: metadata.namespace',
    );
    expect(failure(() => parseFieldSelectorFor({ group: 'stable.example.com', plural: 'widgets' }, 'spec.color=red', customResourceFields(crd, 'v2')))).toBe(
      'field label not supported: spec.color',
    );
  });

  it('builds per-kind field sets', () => {
    const event: KubeObject = {
      metadata: { name: 'e1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default' },
      reason: 'Scheduled',
      type: 'Normal',
      source: { component: 'default-scheduler' },
    };
    const f = fieldsFor({ group: '', plural: 'events' }, event);
    expect(f).toMatchObject({ 'involvedObject.kind': 'Pod', 'involvedObject.name': 'web-1', reason: 'Scheduled', source: 'default-scheduler' });
    const eventsK8s = parseFieldSelectorFor({ group: 'events.k8s.io', plural: 'events' }, 'regarding.name=web-1,reportingController=kubelet');
    expect(eventsK8s.requirements.map((r) => r.field)).toEqual(['involvedObject.name', 'reportingComponent']);
    expect(fieldsFor({ group: '', plural: 'nodes' }, { metadata: { name: 'n' }, spec: { unschedulable: true } })).toEqual({
      'metadata.name': 'n',
      'spec.unschedulable': 'true',
    });
    expect(fieldsFor({ group: '', plural: 'secrets' }, { metadata: { name: 's', namespace: 'x' }, type: 'Opaque' }).type).toBe('Opaque');
    expect(fieldsFor({ group: 'batch', plural: 'jobs' }, { metadata: { name: 'j', namespace: 'x' }, status: { succeeded: 2 } })['status.successful']).toBe('2');
    const widget: KubeObject = { metadata: { name: 'w', namespace: 'x' }, spec: { color: 'red', size: 3 } };
    expect(fieldsFor({ group: 'stable.example.com', plural: 'widgets' }, widget, ['.spec.color', '.spec.size'])).toEqual({
      'metadata.name': 'w',
      'metadata.namespace': 'x',
      'spec.color': 'red',
      'spec.size': '3',
    });
  });
});

describe('listPredicate', () => {
  it('combines label and field selectors and surfaces errors as 400s', async () => {
    const { listPredicate } = await import('./list-predicate.js');
    const labelled: KubeObject = { ...pod, metadata: { ...pod.metadata, labels: { app: 'web' } } };
    const match = listPredicate({ group: '', plural: 'pods' }, { labelSelector: 'app in (web,api)', fieldSelector: 'spec.nodeName=node-a' });
    expect(match(labelled)).toBe(true);
    expect(match(pod)).toBe(false);
    expect(listPredicate({ group: '', plural: 'pods' }, {})(pod)).toBe(true);
    try {
      listPredicate({ group: '', plural: 'pods' }, { fieldSelector: 'spec.foo=1' });
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(SelectorError);
      expect((e as SelectorError).toApiError().status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'field label not supported: spec.foo' });
    }
  });
});
