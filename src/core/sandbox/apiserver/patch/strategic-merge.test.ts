import { describe, expect, it } from 'vitest';
import { builtinPatchSchema } from './builtin-schema.js';
import { genericPatchSchema } from './schema.js';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { at, catchApiError, storedNginx } from './test-fixtures.js';

const deployments = builtinPatchSchema('Deployment', 'apps');
const pods = builtinPatchSchema('Pod', '');

function withSidecar() {
  const d = storedNginx();
  const containers = at(d, 'spec', 'template', 'spec', 'containers') as unknown[];
  containers.push({ name: 'sidecar', image: 'busybox:1.36', env: [{ name: 'MODE', value: 'tail' }] });
  return d;
}

describe('applyStrategicMergePatch', () => {
  it("applies kubectl apply's patch changing the image and adding an env var, keeping defaulted fields", () => {
    const live = storedNginx();
    (at(live, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>).env = [{ name: 'A', value: '1' }];
    // What kubectl 1.32 sends for this change (three-way patch with $setElementOrder directives).
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }], env: [{ name: 'B', value: '2' }], image: 'nginx:1.25', name: 'nginx' }],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(live, patch, deployments);
    const container = at(out, 'spec', 'template', 'spec', 'containers', 0);
    expect(container).toEqual({
      name: 'nginx',
      image: 'nginx:1.25',
      imagePullPolicy: 'IfNotPresent',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    });
    expect(at(out, 'metadata', 'annotations')).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' });
    expect(at(out, 'spec', 'replicas')).toBe(3);
    expect(JSON.stringify(out)).not.toContain('$setElementOrder');
  });

  it('reorders a list to the $setElementOrder list', () => {
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }] } } } };
    const out = applyStrategicMergePatch(withSidecar(), patch, deployments);
    expect((at(out, 'spec', 'template', 'spec', 'containers') as { name: string }[]).map((c) => c.name)).toEqual(['sidecar', 'nginx']);
  });

  it('puts a new item where $setElementOrder says, among server-only items', () => {
    const live = withSidecar();
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'logger' }, { name: 'sidecar' }],
            containers: [{ name: 'logger', image: 'fluent-bit:3' }],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(live, patch, deployments);
    expect((at(out, 'spec', 'template', 'spec', 'containers') as { name: string }[]).map((c) => c.name)).toEqual(['nginx', 'logger', 'sidecar']);
  });

  it('deletes a container with $patch: delete', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } };
    const out = applyStrategicMergePatch(withSidecar(), patch, deployments);
    expect((at(out, 'spec', 'template', 'spec', 'containers') as { name: string }[]).map((c) => c.name)).toEqual(['nginx']);
  });

  it('replaces a list with $patch: replace', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'only', image: 'alpine' }, { $patch: 'replace' }] } } } };
    const out = applyStrategicMergePatch(withSidecar(), patch, deployments);
    expect(at(out, 'spec', 'template', 'spec', 'containers')).toEqual([{ name: 'only', image: 'alpine' }]);
  });

  it('replaces or empties a map with $patch', () => {
    const replaced = applyStrategicMergePatch(storedNginx(), { metadata: { labels: { $patch: 'replace', team: 'web' } } }, deployments);
    expect(at(replaced, 'metadata', 'labels')).toEqual({ team: 'web' });
    const deleted = applyStrategicMergePatch(storedNginx(), { metadata: { labels: { $patch: 'delete' } } }, deployments);
    expect(at(deleted, 'metadata', 'labels')).toEqual({});
  });

  it('merges ports by containerPort and env by name', () => {
    const patch = {
      spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 443, name: 'https' }, { containerPort: 80, name: 'http' }] }] } } },
    };
    const out = applyStrategicMergePatch(storedNginx(), patch, deployments);
    expect(at(out, 'spec', 'template', 'spec', 'containers', 0, 'ports')).toEqual([
      { containerPort: 443, name: 'https' },
      { containerPort: 80, protocol: 'TCP', name: 'http' },
    ]);
  });

  it('switches the strategy with $retainKeys, dropping rollingUpdate', () => {
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } };
    const out = applyStrategicMergePatch(storedNginx(), patch, deployments);
    expect(at(out, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
  });

  it('switches a volume source with $retainKeys inside a merged list item', () => {
    const live = { spec: { volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: { medium: 'Memory' } }], containers: [] } };
    const patch = { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], name: 'data', configMap: { name: 'settings' } }] } };
    const out = applyStrategicMergePatch(live, patch, pods);
    expect(at(out, 'spec', 'volumes')).toEqual([
      { name: 'data', configMap: { name: 'settings' } },
      { name: 'tmp', emptyDir: { medium: 'Memory' } },
    ]);
  });

  it('rejects a $retainKeys list that does not cover the patch with 400', () => {
    const error = catchApiError(() => applyStrategicMergePatch(storedNginx(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }, deployments));
    expect(error.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' });
  });

  it('merges finalizers as a set and removes with $deleteFromPrimitiveList', () => {
    const live = { metadata: { name: 'p', finalizers: ['a.example.com/x', 'b.example.com/y'] } };
    const added = applyStrategicMergePatch(live, { metadata: { finalizers: ['b.example.com/y', 'c.example.com/z'] } }, pods);
    expect(at(added, 'metadata', 'finalizers')).toEqual(['a.example.com/x', 'b.example.com/y', 'c.example.com/z']);
    const removed = applyStrategicMergePatch(
      live,
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example.com/x'], '$setElementOrder/finalizers': ['b.example.com/y'] } },
      pods,
    );
    expect(at(removed, 'metadata', 'finalizers')).toEqual(['b.example.com/y']);
  });

  it('deletes fields set to null and ignores nulls for fields that do not exist', () => {
    const out = applyStrategicMergePatch(storedNginx(), { spec: { progressDeadlineSeconds: null, paused: null }, status: { x: { y: null, z: 1 } } }, deployments);
    expect(at(out, 'spec', 'progressDeadlineSeconds')).toBeUndefined();
    expect('paused' in (at(out, 'spec') as object)).toBe(false);
    expect(at(out, 'status')).toEqual({ x: { z: 1 } });
  });

  it('replaces atomic lists such as tolerations and args', () => {
    const live = { spec: { tolerations: [{ key: 'a', operator: 'Exists' }], containers: [{ name: 'c', args: ['--a'] }] } };
    const out = applyStrategicMergePatch(live, { spec: { tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'c', args: ['--b'] }] } }, pods);
    expect(at(out, 'spec', 'tolerations')).toEqual([{ key: 'b', operator: 'Exists' }]);
    expect(at(out, 'spec', 'containers', 0, 'args')).toEqual(['--b']);
  });

  it('merges the pod template inside a CronJob by container name', () => {
    const cronjobs = builtinPatchSchema('CronJob', 'batch');
    const live = { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', image: 'busybox', command: ['date'] }] } } } } } };
    const patch = { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', image: 'busybox:1.36' }] } } } } } };
    const out = applyStrategicMergePatch(live, patch, cronjobs);
    expect(at(out, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers')).toEqual([{ name: 'job', image: 'busybox:1.36', command: ['date'] }]);
  });

  it('merges Service ports by port and conditions by type', () => {
    const services = builtinPatchSchema('Service', '');
    const live = { spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }, status: { conditions: [{ type: 'A', status: 'True' }] } };
    const out = applyStrategicMergePatch(live, { spec: { ports: [{ port: 443, targetPort: 8443 }] }, status: { conditions: [{ type: 'A', status: 'False' }] } }, services);
    // Without $setElementOrder, kube-apiserver puts items named by the patch before server-only ones.
    expect(at(out, 'spec', 'ports')).toEqual([
      { port: 443, targetPort: 8443 },
      { port: 80, targetPort: 8080, protocol: 'TCP' },
    ]);
    expect(at(out, 'status', 'conditions')).toEqual([{ type: 'A', status: 'False' }]);
  });

  it('replaces lists it knows nothing about (generic schema)', () => {
    const out = applyStrategicMergePatch({ spec: { items: [{ name: 'a' }, { name: 'b' }] } }, { spec: { items: [{ name: 'c' }] } }, genericPatchSchema());
    expect(at(out, 'spec', 'items')).toEqual([{ name: 'c' }]);
  });

  it("answers kube-apiserver's errors for a bad patch", () => {
    expect(catchApiError(() => applyStrategicMergePatch(storedNginx(), [1], deployments)).status).toMatchObject({
      code: 400,
      message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
    });
    const noKey = catchApiError(() => applyStrategicMergePatch(storedNginx(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, deployments));
    expect(noKey.status).toMatchObject({ code: 500, message: 'map: map[image:x] does not contain declared merge key: name' });
    const badDirective = catchApiError(() => applyStrategicMergePatch(storedNginx(), { metadata: { labels: { $patch: 'merge' } } }, deployments));
    expect(badDirective.status.code).toBe(500);
    expect(badDirective.status.message).toBe('unknown patch type: merge in map: map[$patch:merge]');
    const badOrder = catchApiError(() => applyStrategicMergePatch(storedNginx(), { spec: { template: { spec: { '$setElementOrder/containers': 'x' } } } }, deployments));
    expect(badOrder.status).toMatchObject({ code: 500, message: 'expected a []interface {}, but received a string' });
    const mixed = catchApiError(() => applyStrategicMergePatch({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [1] } }, deployments));
    expect(mixed.status).toMatchObject({ code: 500, message: 'list element types are not identical: [[a] [1]]' });
  });

  it('does not modify its inputs', () => {
    const live = withSidecar();
    const patch = { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } };
    const patchCopy = structuredClone(patch);
    applyStrategicMergePatch(live, patch, deployments);
    expect(live).toEqual(withSidecar());
    expect(patch).toEqual(patchCopy);
  });
});
