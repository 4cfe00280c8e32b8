import { describe, expect, it } from 'vitest';
import { locatePath, markersFor, parseFieldPath, pathsInMessage } from './yaml-paths.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: -1
  template:
    spec:
      containers:
        - name: nginx
          image: nginx
        - name: side
          image: ""
`;

describe('field paths to YAML lines', () => {
  it('parses the API path forms', () => {
    expect(parseFieldPath('spec.replicas')).toEqual(['spec', 'replicas']);
    expect(parseFieldPath('.spec.template.spec.containers[0].image')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'image']);
    expect(parseFieldPath('metadata.labels[app.kubernetes.io/name]')).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
  });

  it('finds a scalar field on its line, key to value', () => {
    const found = locatePath(deployment, parseFieldPath('spec.replicas'));
    expect(found).toEqual({ exact: true, range: { startLine: 8, startColumn: 3, endLine: 8, endColumn: 15 } });
  });

  it('finds list items and map keys with dots', () => {
    expect(locatePath(deployment, parseFieldPath('spec.template.spec.containers[1].image'))?.range.startLine).toBe(15);
    expect(locatePath(deployment, parseFieldPath('spec.template.spec.containers[1]'))?.range.startLine).toBe(14);
    expect(locatePath(deployment, parseFieldPath('metadata.labels[app.kubernetes.io/name]'))?.range.startLine).toBe(6);
  });

  it('falls back to the deepest existing parent for a missing field', () => {
    const found = locatePath(deployment, parseFieldPath('spec.template.spec.containers[0].ports[0].containerPort'));
    expect(found?.exact).toBe(false);
    expect(found?.range.startLine).toBe(12);
    expect(locatePath(deployment, parseFieldPath('spec.selector'))).toMatchObject({ exact: false, range: { startLine: 7 } });
  });

  it('looks in the right document of a multi-document text', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n${deployment}`;
    expect(locatePath(text, ['spec', 'replicas'], 1)?.range.startLine).toBe(13);
    expect(locatePath(text, ['metadata', 'name'], 0)?.range.startLine).toBe(4);
  });

  it('reads paths from messages that have no causes', () => {
    expect(pathsInMessage('strict decoding error: unknown field "spec.foo", unknown field "spec.bar"').map((p) => p.path)).toEqual(['spec.foo', 'spec.bar']);
    expect(pathsInMessage('failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string')).toEqual([
      { path: '.spec.replicas', message: 'expected numeric (int or float), got string' },
    ]);
  });

  it('parses structured-merge-diff paths: list items by keys, set items by value, map keys as fields', () => {
    expect(parseFieldPath('.spec.template.spec.containers[name="nginx"].imagePullPolcy')).toEqual(['spec', 'template', 'spec', 'containers', { keys: { name: 'nginx' } }, 'imagePullPolcy']);
    expect(parseFieldPath('.spec.ports[port=80,protocol="TCP"].x')).toEqual(['spec', 'ports', { keys: { port: 80, protocol: 'TCP' } }, 'x']);
    expect(parseFieldPath('.env[name="a]b,c=d"].value')).toEqual(['env', { keys: { name: 'a]b,c=d' } }, 'value']);
    expect(parseFieldPath('.metadata.finalizers[="a.b/c"]')).toEqual(['metadata', 'finalizers', { value: 'a.b/c' }]);
    expect(parseFieldPath('.spec.tags[=2]')).toEqual(['spec', 'tags', { value: 2 }]);
  });

  it('finds list items by their keys (a key default may be absent from the text) and dotted map keys', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    app.kubernetes.io/name: web
  finalizers:
    - a.b/c
spec:
  containers:
    - name: side
      image: busybox
    - name: nginx
      image: nginx
      imagePullPolcy: Always
      ports:
        - containerPort: 443
        - containerPort: 80
          hostPort: "x"
`;
    const line = (path: string) => locatePath(pod, parseFieldPath(path));
    expect(line('.spec.containers[name="nginx"].imagePullPolcy')).toMatchObject({ exact: true, range: { startLine: 15 } });
    expect(line('.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].hostPort')).toMatchObject({ exact: true, range: { startLine: 19 } });
    expect(line('.metadata.labels.app.kubernetes.io/name')).toMatchObject({ exact: true, range: { startLine: 6 } });
    expect(line('.metadata.finalizers[="a.b/c"]')).toMatchObject({ exact: true, range: { startLine: 8 } });
    // no such item: its list's line, not another item's
    expect(line('.spec.containers[name="other"].image')).toMatchObject({ exact: false, range: { startLine: 10 } });
  });

  it("reads structured-merge-diff's errors, one or several, types and undeclared fields", () => {
    expect(pathsInMessage('failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema')).toEqual([
      { path: '.spec.foo', message: 'field not declared in schema' },
    ]);
    const several =
      'failed to create typed patch object (ns/p; /v1, Kind=Pod): errors:\n' +
      '  .metadata.labels.app: expected string, got &value.valueUnstructured{Value:1}\n' +
      '  .spec.containers[name="a: b"].ports[containerPort=80,protocol="TCP"].hostPort: expected numeric (int or float), got string\n' +
      '  .spec.nodeSelectorx: field not declared in schema';
    expect(pathsInMessage(several)).toEqual([
      { path: '.metadata.labels.app', message: 'expected string, got &value.valueUnstructured{Value:1}' },
      { path: '.spec.containers[name="a: b"].ports[containerPort=80,protocol="TCP"].hostPort', message: 'expected numeric (int or float), got string' },
      { path: '.spec.nodeSelectorx', message: 'field not declared in schema' },
    ]);
    expect(pathsInMessage('failed to create typed patch object (/s; /v1, Kind=Service): .spec.ports: element 0: associative list with keys has an element that omits key field "port" (and doesn\'t have default value)')).toEqual([
      { path: '.spec.ports', message: 'element 0: associative list with keys has an element that omits key field "port" (and doesn\'t have default value)' },
    ]);
    // a message that only looks like one names nothing
    expect(pathsInMessage('Deployment.apps "web" is invalid: .spec: must be set')).toEqual([]);
  });

  it('puts typed-patch errors on their lines', () => {
    const text = deployment.replace('  replicas: -1\n', '  replicas: "3"\n  foo: 1\n').replace('          image: nginx\n', '          image: nginx\n          imagePullPolcy: Always\n');
    const message =
      'failed to create typed patch object (/web; apps/v1, Kind=Deployment): errors:\n' +
      '  .spec.replicas: expected numeric (int or float), got string\n' +
      '  .spec.foo: field not declared in schema\n' +
      '  .spec.template.spec.containers[name="nginx"].imagePullPolcy: field not declared in schema';
    const markers = markersFor(text, [], message);
    expect(markers.map((m) => [m.startLine, m.exact, m.message])).toEqual([
      [8, true, '.spec.replicas: expected numeric (int or float), got string'],
      [9, true, '.spec.foo: field not declared in schema'],
      [15, true, '.spec.template.spec.containers[name="nginx"].imagePullPolcy: field not declared in schema'],
    ]);
  });

  it('turns a 422 Status into markers', () => {
    const markers = markersFor(deployment, [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }], 'invalid');
    expect(markers).toEqual([{ startLine: 8, startColumn: 3, endLine: 8, endColumn: 15, exact: true, message: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0' }]);
  });
});
