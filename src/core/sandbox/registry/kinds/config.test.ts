import { describe, expect, it } from 'vitest';
import { createThrough, invalidError, resourceDef, updateThrough } from './strategy-harness.js';

const secrets = resourceDef('', 'secrets');
const configmaps = resourceDef('', 'configmaps');
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('secrets strategy', () => {
  it('defaults type Opaque and folds stringData into data', () => {
    const secret = createThrough(secrets, { metadata: { name: 'db' }, data: { user: b64('admin'), pass: b64('old') }, stringData: { pass: 's3cr3t' } });
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({ user: b64('admin'), pass: b64('s3cr3t') });
    expect(secret.stringData).toBeUndefined();
  });

  it('rejects data that is not base64 as a decoding error (400), like kube-apiserver', () => {
    const err = invalidError(() => createThrough(secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { pass: 'not base64!' } }));
    expect(err.code).toBe(400);
    expect(err.status.message).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3');
  });

  it('requires the keys of typed secrets', () => {
    const err = invalidError(() => createThrough(secrets, { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64('x') } }));
    expect(err.status.message).toBe('Secret "tls" is invalid: data[tls.key]: Required value');
    const sa = invalidError(() => createThrough(secrets, { metadata: { name: 'tok' }, type: 'kubernetes.io/service-account-token' }));
    expect(sa.status.details?.causes?.[0].field).toBe('metadata.annotations[kubernetes.io/service-account.name]');
  });

  it('keeps type and immutable data fixed', () => {
    const secret = createThrough(secrets, { metadata: { name: 'db' }, immutable: true, data: { a: b64('1') } });
    const changed = { ...structuredClone(secret), type: 'kubernetes.io/basic-auth', data: { a: b64('2'), username: b64('u') } };
    const causes = invalidError(() => updateThrough(secrets, secret, changed)).status.details?.causes;
    expect(causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "kubernetes.io/basic-auth": field is immutable', field: 'type' },
      { reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set', field: 'data' },
    ]);
  });
});

describe('configmaps strategy', () => {
  it('validates keys', () => {
    expect(createThrough(configmaps, { metadata: { name: 'game' }, data: { 'game.properties': 'lives=3', UI_THEME: 'dark' } }).data).toBeDefined();
    const err = invalidError(() => createThrough(configmaps, { metadata: { name: 'game' }, data: { 'bad key': 'x' } }));
    expect(err.status.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
        field: 'data[bad key]',
      },
    ]);
  });
});
