import { describe, expect, it } from 'vitest';
import { OpenApiService } from '../openapi/openapi-service.js';
import type { ResourceDef } from '../registry/types.js';
import { schemasFor } from './schemas.js';

const openapi = new OpenApiService();
const schemas = schemasFor(openapi, (def) => def.group.endsWith('.example.com'));
const def = (group: string, kind: string) => ({ group, kind }) as ResourceDef;
const decode = (group: string, version: string, kind: string, obj: unknown) => schemas.decodeError?.(def(group, kind), version, obj as never);

describe('Go decoding type errors', () => {
  it('name the innermost struct, the JSON path without indices and the Go type', () => {
    expect(decode('', 'v1', 'Pod', { spec: { containers: [{ name: 'c', image: 'x' }, { name: 'd', image: 5 }] } })).toBe(
      'json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string',
    );
    expect(decode('', 'v1', 'Service', { spec: { ports: [{ port: '80' }] } })).toBe('json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32');
    expect(decode('apps', 'v1', 'Deployment', { spec: { template: { spec: { containers: [{ env: [{ name: 'A', value: 1 }] }] } } } })).toBe(
      'json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string',
    );
  });

  it('composite types are named as Go prints them', () => {
    expect(decode('', 'v1', 'Pod', { spec: { containers: {} } })).toBe('json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container');
    expect(decode('', 'v1', 'Pod', { spec: [] })).toBe('json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec');
    expect(decode('', 'v1', 'ConfigMap', { data: ['a'] })).toBe('json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string');
    expect(decode('', 'v1', 'Pod', { spec: { hostNetwork: 'yes' } })).toBe('json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool');
  });

  it('a fractional or out-of-range number shows its value', () => {
    expect(decode('apps', 'v1', 'Deployment', { spec: { replicas: 1.5 } })).toBe('json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect(decode('apps', 'v1', 'Deployment', { spec: { replicas: 3_000_000_000 } })).toBe(
      'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });

  it('accepts what Go accepts: nulls, quantities as numbers, int-or-string, free-form and unknown fields', () => {
    expect(
      decode('', 'v1', 'Pod', {
        metadata: { name: 'p', labels: null },
        spec: {
          containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: 1, memory: '128Mi' } }, ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 'http' } } }],
          foo: 5,
        },
      }),
    ).toBeUndefined();
    expect(decode('apps', 'v1', 'Deployment', { spec: { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } } })).toBeUndefined();
    expect(decode('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', { spec: { versions: [{ schema: { openAPIV3Schema: { type: 'object', default: 5 } } }] } })).toBeUndefined();
  });

  it('custom resources are left to schema validation', () => {
    expect(decode('stable.example.com', 'v1', 'CronTab', { spec: { cronSpec: 5 } })).toBeUndefined();
  });
});
