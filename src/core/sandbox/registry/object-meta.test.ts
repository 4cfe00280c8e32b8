import { describe, expect, it } from 'vitest';
import { generateNameFrom, generateNameSuffix, nameValidationFor, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('validateObjectMeta', () => {
  const pod = { namespaced: true, nameValidation: 'subdomain' as const };

  it('accepts a plain namespaced object', () => {
    expect(validateObjectMeta({ name: 'nginx', namespace: 'default', labels: { app: 'nginx' } }, pod)).toEqual([]);
  });

  it('requires a name or generateName', () => {
    expect(validateObjectMeta({ namespace: 'default' }, pod)).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' },
    ]);
  });

  it('words an invalid subdomain name exactly as kube-apiserver', () => {
    expect(validateObjectMeta({ name: 'My_Pod', namespace: 'default' }, pod)).toEqual([
      { reason: 'FieldValueInvalid', message: `Invalid value: "My_Pod": ${SUBDOMAIN_MSG}`, field: 'metadata.name' },
    ]);
  });

  it('validates namespace names as DNS-1123 labels and service names as DNS-1035 labels', () => {
    const [nsCause] = validateObjectMeta({ name: 'a.b' }, { namespaced: false, nameValidation: 'label' });
    expect(nsCause.message).toBe(
      `Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
    const [svcCause] = validateObjectMeta({ name: '1web', namespace: 'default' }, { namespaced: true, nameValidation: 'dns1035' });
    expect(svcCause.message).toContain("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character");
    expect(nameValidationFor({ group: '', plural: 'services' })).toBe('dns1035');
    expect(nameValidationFor({ group: '', plural: 'namespaces' })).toBe('label');
    expect(nameValidationFor({ group: 'rbac.authorization.k8s.io', plural: 'clusterroles' })).toBe('path');
    expect(nameValidationFor({ group: 'apps', plural: 'deployments' })).toBe('subdomain');
  });

  it('allows RBAC names with colons but not slashes', () => {
    const path = { namespaced: false, nameValidation: 'path' as const };
    expect(validateObjectMeta({ name: 'system:controller:foo' }, path)).toEqual([]);
    expect(validateObjectMeta({ name: 'a/b' }, path)[0].message).toBe(`Invalid value: "a/b": may not contain '/'`);
  });

  it('validates a generateName prefix with its trailing dash masked', () => {
    expect(validateObjectMeta({ generateName: 'web-', name: 'web-x7k2p', namespace: 'default' }, pod)).toEqual([]);
    expect(validateObjectMeta({ generateName: 'Web-', name: 'web-x7k2p', namespace: 'default' }, pod)[0].field).toBe('metadata.generateName');
  });

  it('requires a namespace on namespaced kinds and forbids it on cluster-scoped ones', () => {
    expect(validateObjectMeta({ name: 'x' }, pod)).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'metadata.namespace' }]);
    expect(validateObjectMeta({ name: 'n1', namespace: 'default' }, { namespaced: false, nameValidation: 'subdomain' })).toEqual([
      { reason: 'FieldValueForbidden', message: 'Forbidden: not allowed on this type', field: 'metadata.namespace' },
    ]);
  });

  it('validates label keys and values', () => {
    const causes = validateObjectMeta({ name: 'x', namespace: 'default', labels: { 'bad key': 'ok', app: 'not ok!' } }, pod);
    expect(causes.map((c) => c.field)).toEqual(['metadata.labels', 'metadata.labels']);
    expect(causes[0].message).toMatch(/^Invalid value: "bad key": name part must consist of alphanumeric characters/);
    expect(causes[1].message).toMatch(/^Invalid value: "not ok!": a valid label must be an empty string or consist of alphanumeric characters/);
  });

  it('limits annotations to 256 KiB in total', () => {
    const big = 'x'.repeat(256 * 1024);
    expect(validateObjectMeta({ name: 'x', namespace: 'default', annotations: { a: big } }, pod)).toEqual([
      { reason: 'FieldValueTooLong', message: 'Too long: must have at most 262144 bytes', field: 'metadata.annotations' },
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  it('reports identity fields that changed as immutable', () => {
    const old = { name: 'a', namespace: 'default', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' };
    expect(validateObjectMetaUpdate({ ...old, labels: { x: 'y' } }, old)).toEqual([]);
    expect(validateObjectMetaUpdate({ ...old, name: 'b', uid: 'u2' }, old)).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "b": field is immutable', field: 'metadata.name' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: "u2": field is immutable', field: 'metadata.uid' },
    ]);
  });
});

describe('owner references and finalizers', () => {
  const opts = { namespaced: true, nameValidation: 'subdomain' as const };

  it('allows one controller owner only', () => {
    const owner = (name: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: `uid-${name}`, controller: true });
    const causes = validateObjectMeta({ name: 'p', namespace: 'default', ownerReferences: [owner('a'), owner('b')] }, opts);
    expect(causes).toHaveLength(1);
    expect(causes[0].field).toBe('metadata.ownerReferences');
    expect(causes[0].message).toMatch(/Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/);
  });

  it('rejects new finalizers on an object being deleted', () => {
    const old = { name: 'a', namespace: 'default', uid: 'u', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['example.com/x'] };
    expect(validateObjectMetaUpdate({ ...old, finalizers: [] }, old)).toEqual([]);
    expect(validateObjectMetaUpdate({ ...old, finalizers: ['example.com/x', 'example.com/y'] }, old)).toEqual([
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/y"}',
        field: 'metadata.finalizers',
      },
    ]);
  });
});

describe('generateNameSuffix', () => {
  it('truncates long generateName bases to keep 63 characters', () => {
    expect(generateNameFrom('x'.repeat(70))).toMatch(/^x{58}[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(generateNameFrom('web-')).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('returns 5 characters from the vowel-free alphabet', () => {
    for (let i = 0; i < 50; i++) expect(generateNameSuffix()).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
