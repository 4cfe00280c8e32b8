// Binds the Schemas port (unknown-field detection for fieldValidation) to the OpenAPI service.
import type { Schemas } from '../apiserver/services.js';
import type { OpenApiService } from '../openapi/openapi-service.js';

export function schemasFor(openapi: OpenApiService): Schemas {
  return {
    unknownFields(def, version, obj) {
      // The service answers ".spec.x"; kube-apiserver's messages say "spec.x".
      return openapi.findUnknownFields({ group: def.group, version, kind: def.kind }, obj).map((p) => p.replace(/^\./, ''));
    },
  };
}
