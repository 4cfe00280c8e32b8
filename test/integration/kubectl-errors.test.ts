// Bad input through the real kubectl: duplicates, invalid objects, unknown fields, stale updates,
// missing objects and oversized bodies, each with the exact line kubectl prints against kube-apiserver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { fails, jsonOf, manifest, ok, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 1 });
  kubectl = kubectlFor(sandbox);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

const pod = (name: string, spec = 'containers: [{name: c, image: nginx}]') => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  ${spec}\n`;

describe('duplicates', () => {
  it('creating an existing object is AlreadyExists, naming the file', async () => {
    const file = await manifest(sandbox, 'dup.yaml', pod('dup'));
    expect(await ok(kubectl, ['create', '-f', file])).toBe('pod/dup created\n');
    expect(await fails(kubectl, ['create', '-f', file])).toBe(`Error from server (AlreadyExists): error when creating "${file}": pods "dup" already exists`);
    expect(await fails(kubectl, ['create', '-f', '-'], { stdin: pod('dup') })).toBe('Error from server (AlreadyExists): error when creating "STDIN": pods "dup" already exists');
  });

  it('a cluster-scoped duplicate says so too', async () => {
    const file = await manifest(sandbox, 'dup-ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n');
    expect(await fails(kubectl, ['create', '-f', file])).toBe(`Error from server (AlreadyExists): error when creating "${file}": namespaces "kube-system" already exists`);
  });
});

describe('invalid objects', () => {
  it('a missing required field is 422 Invalid with its path', async () => {
    const file = await manifest(sandbox, 'noimage.yaml', pod('noimage', 'containers: [{name: c}]'));
    expect(await fails(kubectl, ['create', '-f', file])).toBe('The Pod "noimage" is invalid: spec.containers[0].image: Required value');
    expect(await fails(kubectl, ['apply', '-f', file])).toBe('The Pod "noimage" is invalid: spec.containers[0].image: Required value');
    const empty = await manifest(sandbox, 'nocontainers.yaml', pod('nocontainers', '{}'));
    expect(await fails(kubectl, ['create', '-f', empty])).toBe('The Pod "nocontainers" is invalid: spec.containers: Required value');
  });

  it('several errors are listed one per line', async () => {
    const file = await manifest(sandbox, 'multi-invalid.yaml', pod('multi-invalid', 'containers: [{name: Bad_Name}, {name: c2, image: x, imagePullPolicy: Sometimes}]'));
    const err = await fails(kubectl, ['create', '-f', file]);
    expect(err.split('\n')[0]).toBe('The Pod "multi-invalid" is invalid: ');
    expect(err).toContain('* spec.containers[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\'');
    expect(err).toContain('* spec.containers[0].image: Required value');
    expect(err).toContain('* spec.containers[1].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"');
  });

  it('an invalid name is refused with the RFC 1123 rule', async () => {
    const file = await manifest(sandbox, 'badname.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n');
    expect(await fails(kubectl, ['create', '-f', file])).toBe(
      `The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  });

  it('a missing name, generateName, bad base64 and an out-of-range nodePort', async () => {
    const noName = await manifest(sandbox, 'noname.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n');
    expect(await fails(kubectl, ['create', '-f', noName])).toBe('The ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    const generated = await manifest(sandbox, 'gen.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: gen-}\n');
    expect(await ok(kubectl, ['create', '-f', generated])).toMatch(/^configmap\/gen-[a-z0-9]{5} created\n$/);
    expect(await fails(kubectl, ['apply', '-f', generated])).toBe('error: from gen-: cannot use generate name with apply');
    const base64 = await manifest(sandbox, 'bad-base64.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: bad-base64}\ndata: {a: "not base64!"}\n');
    expect(await fails(kubectl, ['create', '-f', base64])).toBe(
      `Error from server (BadRequest): error when creating "${base64}": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3`,
    );
    const nodePort = await manifest(sandbox, 'bad-nodeport.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: bad-nodeport}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 80}]\n');
    expect(await fails(kubectl, ['create', '-f', nodePort])).toBe(
      'The Service "bad-nodeport" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it('an immutable ConfigMap refuses data changes', async () => {
    const file = await manifest(sandbox, 'imm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: imm}\nimmutable: true\ndata: {a: "1"}\n');
    await ok(kubectl, ['apply', '-f', file]);
    const changed = await manifest(sandbox, 'imm2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: imm}\nimmutable: true\ndata: {a: "2"}\n');
    expect(await fails(kubectl, ['apply', '-f', changed])).toBe('The ConfigMap "imm" is invalid: data: Forbidden: field is immutable when `immutable` is set');
  });

  it('a manifest without kind is refused by kubectl itself', async () => {
    const file = await manifest(sandbox, 'nokind.yaml', 'apiVersion: v1\nmetadata: {name: nk}\n');
    expect(await fails(kubectl, ['create', '-f', file])).toBe(
      `error: error validating "${file}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`,
    );
  });

  it('an unknown kind has no mapping', async () => {
    const file = await manifest(sandbox, 'foo.yaml', 'apiVersion: v1\nkind: Foo\nmetadata: {name: nk}\n');
    expect(await fails(kubectl, ['apply', '-f', file])).toBe(
      `error: resource mapping not found for name: "nk" namespace: "" from "${file}": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first`,
    );
  });

  it('an unknown resource type on the command line', async () => {
    expect(await fails(kubectl, ['get', 'foos'])).toBe('error: the server doesn\'t have a resource type "foos"');
  });

  it('a namespace that does not exist', async () => {
    const file = await manifest(sandbox, 'nons.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: nope}\n');
    expect(await fails(kubectl, ['create', '-f', file])).toBe(`Error from server (NotFound): error when creating "${file}": namespaces "nope" not found`);
    expect(await fails(kubectl, ['create', '-n', 'other', '-f', file])).toBe(
      `error: the namespace from the provided object "nope" does not match the namespace "other". You must pass '--namespace=nope' to perform this operation.`,
    );
  });
});

describe('wrongly typed values', () => {
  it('fail decoding with the Go decoder message, before unknown fields and whatever --validate says', async () => {
    const image = await manifest(sandbox, 'typed-image.yaml', pod('typed-image', 'containers: [{name: c, image: 5}]'));
    const expected = `Error from server (BadRequest): error when creating "${image}": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string`;
    expect(await fails(kubectl, ['create', '-f', image])).toBe(expected);
    expect(await fails(kubectl, ['create', '-f', image, '--validate=false'])).toBe(expected);
    const port = await manifest(sandbox, 'typed-port.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: typed-port}\nspec:\n  ports: [{port: "80"}]\n');
    expect(await fails(kubectl, ['apply', '-f', port])).toBe(
      `Error from server (BadRequest): error when creating "${port}": Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32`,
    );
    const env = await manifest(
      sandbox,
      'typed-env.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typed-env}\nspec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec:\n      containers: [{name: c, image: nginx, env: [{name: A, value: 1}], resources: {limits: {cpu: 1}}}]\n',
    );
    expect(await fails(kubectl, ['apply', '-f', env])).toBe(
      `Error from server (BadRequest): error when creating "${env}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string`,
    );
  });

  it('a label value that YAML reads as a number is caught by kubectl itself', async () => {
    const file = await manifest(sandbox, 'typed-label.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typed-label, labels: {version: 1.0}}\n');
    expect(await fails(kubectl, ['apply', '-f', file])).toBe(`error: unable to decode "${file}": json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`);
  });
});

describe('malformed bodies', () => {
  it('YAML sent as JSON through the raw API is a Go JSON syntax error', async () => {
    const file = await manifest(sandbox, 'raw.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: raw}\n');
    expect(await fails(kubectl, ['create', '--raw', '/api/v1/namespaces/default/configmaps', '-f', file])).toBe(
      "Error from server (BadRequest): couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of value",
    );
    const json = await manifest(sandbox, 'raw.json', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "raw"}');
    expect(await fails(kubectl, ['create', '--raw', '/api/v1/namespaces/default/configmaps', '-f', json])).toBe(
      "Error from server (BadRequest): couldn't get version/kind; json parse error: unexpected end of JSON input",
    );
  });
});

describe('unknown fields', () => {
  const unknown = pod('unk', 'foo: bar\n  containers: [{name: c, image: nginx}]');

  it('are a BadRequest by default (kubectl asks for Strict)', async () => {
    const file = await manifest(sandbox, 'unknown.yaml', unknown);
    expect(await fails(kubectl, ['create', '-f', file])).toBe(
      `Error from server (BadRequest): error when creating "${file}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"`,
    );
    expect(await fails(kubectl, ['create', '-f', file, '--validate=strict'])).toContain('strict decoding error: unknown field "spec.foo"');
  });

  it('every unknown field is named, nested ones with their index', async () => {
    const file = await manifest(sandbox, 'unknown2.yaml', pod('unk2', 'containers: [{name: c, image: nginx, imagePullPolicyy: Always}]'));
    expect(await fails(kubectl, ['create', '-f', file])).toBe(
      `Error from server (BadRequest): error when creating "${file}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"`,
    );
  });

  it('--validate=warn creates and warns; --validate=false creates silently', async () => {
    const file = await manifest(sandbox, 'unknown-warn.yaml', unknown);
    const warned = await kubectl(['create', '-f', file, '--validate=warn']);
    expect(warned).toMatchObject({ code: 0, stdout: 'pod/unk created\n', stderr: 'Warning: unknown field "spec.foo"\n' });
    await ok(kubectl, ['delete', 'pod', 'unk', '--wait=false']);
    const ignored = await kubectl(['create', '-f', file, '--validate=false']);
    expect(ignored).toMatchObject({ code: 0, stdout: 'pod/unk created\n', stderr: '' });
  });
});

describe('stale updates', () => {
  it('replace with an old resourceVersion is a Conflict', async () => {
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'stale.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stale}\ndata: {a: "1"}\n')]);
    const old = await ok(kubectl, ['get', 'configmap', 'stale', '-o', 'yaml']);
    await ok(kubectl, ['label', 'configmap', 'stale', 'touched=yes']);
    const file = await manifest(sandbox, 'stale-old.yaml', old);
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(
      `Error from server (Conflict): error when replacing "${file}": Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again`,
    );
  });

  it('apply of a manifest carrying an old resourceVersion is a Conflict', async () => {
    const file = await manifest(sandbox, 'stale-apply.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stale-apply}\ndata: {a: "1"}\n');
    await ok(kubectl, ['apply', '-f', file]);
    const rv = await ok(kubectl, ['get', 'configmap', 'stale-apply', '-o', 'jsonpath={.metadata.resourceVersion}']);
    await ok(kubectl, ['label', 'configmap', 'stale-apply', 'touched=yes']);
    const stale = await manifest(sandbox, 'stale-apply-old.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stale-apply, resourceVersion: "${rv}"}\ndata: {a: "2"}\n`);
    const err = await fails(kubectl, ['apply', '-f', stale]);
    expect(err.split('\n')[0]).toBe('Error from server (Conflict): error when applying patch:');
    expect(err).toContain('Resource: "/v1, Resource=configmaps", GroupVersionKind: "/v1, Kind=ConfigMap"\nName: "stale-apply", Namespace: "default"\n');
    expect(err.split('\n').pop()).toBe(
      `for: "${stale}": error when patching "${stale}": Operation cannot be fulfilled on configmaps "stale-apply": the object has been modified; please apply your changes to the latest version and try again`,
    );
  });

  it('a patch carrying an old resourceVersion is a Conflict; without one it applies to the latest', async () => {
    await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'stale-patch.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stale-patch}\ndata: {a: "1"}\n')]);
    const rv = jsonOf<{ metadata: { resourceVersion: string } }>(await ok(kubectl, ['get', 'configmap', 'stale-patch', '-o', 'json'])).metadata.resourceVersion;
    await ok(kubectl, ['label', 'configmap', 'stale-patch', 'touched=yes']);
    expect(await fails(kubectl, ['patch', 'configmap', 'stale-patch', '--type=merge', '-p', `{"metadata":{"resourceVersion":"${rv}"},"data":{"a":"2"}}`])).toBe(
      'Error from server (Conflict): Operation cannot be fulfilled on configmaps "stale-patch": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(await ok(kubectl, ['patch', 'configmap', 'stale-patch', '--type=merge', '-p', '{"data":{"a":"2"}}'])).toBe('configmap/stale-patch patched\n');
  });
});

describe('missing objects', () => {
  it('get, describe, delete, patch, label, annotate, replace and explain-free edits all say NotFound', async () => {
    expect(await fails(kubectl, ['get', 'pod', 'x'])).toBe('Error from server (NotFound): pods "x" not found');
    expect(await fails(kubectl, ['describe', 'pod', 'x'])).toBe('Error from server (NotFound): pods "x" not found');
    expect(await fails(kubectl, ['delete', 'pod', 'x'])).toBe('Error from server (NotFound): pods "x" not found');
    expect(await fails(kubectl, ['patch', 'configmap', 'x', '-p', '{"data":{"a":"b"}}'])).toBe('Error from server (NotFound): configmaps "x" not found');
    expect(await fails(kubectl, ['label', 'node', 'x', 'a=b'])).toBe('Error from server (NotFound): nodes "x" not found');
    expect(await fails(kubectl, ['annotate', 'namespace', 'x', 'a=b'])).toBe('Error from server (NotFound): namespaces "x" not found');
    expect(await fails(kubectl, ['get', 'deployment.apps', 'x'])).toBe('Error from server (NotFound): deployments.apps "x" not found');
    const file = await manifest(sandbox, 'missing.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: missing}\n');
    expect(await fails(kubectl, ['replace', '-f', file])).toBe(`Error from server (NotFound): error when replacing "${file}": configmaps "missing" not found`);
    expect(await fails(kubectl, ['delete', '-f', file])).toBe(`Error from server (NotFound): error when deleting "${file}": configmaps "missing" not found`);
    expect(await ok(kubectl, ['delete', 'pod', 'x', '--ignore-not-found'])).toBe('');
    expect(await fails(kubectl, ['get', 'pod', 'x', '-n', 'nowhere'])).toBe('Error from server (NotFound): namespaces "nowhere" not found');
  });
});

describe('oversized bodies', () => {
  it('a body over 3 MiB is 413 before it is decoded', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } });
    const file = await manifest(sandbox, 'big.json', big);
    expect(await fails(kubectl, ['create', '-f', file])).toBe(`Error from server (RequestEntityTooLarge): error when creating "${file}": Request entity too large: limit is 3145728`);
  });

  it('an object over the 1 MiB ConfigMap limit but under 3 MiB is Invalid', async () => {
    const large = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'large' }, data: { a: 'x'.repeat(1024 * 1024 + 10) } });
    const file = await manifest(sandbox, 'large.json', large);
    const err = await fails(kubectl, ['create', '-f', file]);
    expect(err).toMatch(/^The ConfigMap "large" is invalid: (\[\])?: Too long: (must have at most|may not be more than) 1048576 bytes$/);
  });
});
