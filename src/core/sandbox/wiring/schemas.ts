// Binds the Schemas port (unknown-field detection for fieldValidation, the typed schemas the write checks walk) to the OpenAPI service.
import type { Schemas } from '../apiserver/services.js';
import { documentPathOf, type OpenApiService } from '../openapi/openapi-service.js';
import { componentsResolver, type OpenApiSchema, type RefResolver } from '../openapi/schema.js';
import type { ResourceDef } from '../registry/types.js';

export function schemasFor(openapi: OpenApiService, isCustom: (def: ResourceDef) => boolean): Schemas {
  // One resolver per document, not per request.
  const resolvers = new WeakMap<object, RefResolver>();
  const resolverOf = (document: object): RefResolver => {
    let resolve = resolvers.get(document);
    if (!resolve) resolvers.set(document, (resolve = componentsResolver(document)));
    return resolve;
  };
  return {
    typedSchema(def, version) {
      const root = openapi.schemaFor({ group: def.group, version, kind: def.kind }) as OpenApiSchema | undefined;
      const document = openapi.document(documentPathOf(def.group, version));
      if (!root || !document) return undefined;
      return { root, resolve: resolverOf(document), kind: def.kind, custom: isCustom(def) };
    },
    unknownFields(def, version, obj) {
      // The service answers ".spec.x"; kube-apiserver's messages say "spec.x".
      return openapi.findUnknownFields({ group: def.group, version, kind: def.kind }, obj).map((p) => p.replace(/^\./, ''));
    },
  };
}
