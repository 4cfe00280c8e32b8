// Custom resources are validated, defaulted and pruned against their CRD's schema on every write,
// as apiextensions-apiserver does; the generic strategy from the catalog does the rest.
import type { KubeObject } from '../../../shared/kube.js';
import { parseApiVersion } from '../../../shared/kube.js';
import type { OpenApiService } from '../openapi/openapi-service.js';
import type { ResourceDef, Strategy } from '../registry/types.js';

function storageSchema(crd: KubeObject): unknown {
  const versions = ((crd.spec as { versions?: { name: string; storage?: boolean; schema?: { openAPIV3Schema?: unknown } }[] } | undefined)?.versions) ?? [];
  return (versions.find((v) => v.storage) ?? versions[0])?.schema?.openAPIV3Schema;
}

export function customResourceStrategy(def: ResourceDef, crd: KubeObject, openapi: OpenApiService, schemas: WeakMap<ResourceDef, unknown>): ResourceDef {
  const base = def.strategy;
  const gvkOf = (obj: KubeObject) => ({ group: def.group, version: parseApiVersion(obj.apiVersion ?? '').version || def.versions[0], kind: def.kind });
  const validate = (obj: KubeObject) =>
    openapi.validateCustomResource(gvkOf(obj), obj).map((e) => ({ reason: e.reason, message: e.message, field: e.field.replace(/^\./, '') }));
  const strategy: Strategy = {
    ...base,
    applyDefaults(obj) {
      base.applyDefaults?.(obj);
      openapi.defaultAndPruneCustomResource(gvkOf(obj), obj);
    },
    validate(obj, ctx) {
      return [...(base.validate?.(obj, ctx) ?? []), ...validate(obj)];
    },
    validateUpdate(obj, old, ctx) {
      return [...(base.validateUpdate?.(obj, old, ctx) ?? []), ...validate(obj)];
    },
  };
  const decorated = { ...def, strategy };
  const schema = storageSchema(crd);
  if (schema !== undefined) schemas.set(decorated, schema);
  return decorated;
}
