// Binds the REST layer's Selection port to the label and field selector implementations.
import type { KubeObject } from '../../../shared/kube.js';
import type { Selection } from '../apiserver/services.js';
import { fieldsFor, parseFieldSelectorFor, parseLabelSelector, SelectorError } from '../registry/selectors/index.js';
import type { ResourceDef } from '../registry/types.js';

export const selection: Selection = {
  predicate(def: ResourceDef, labelSelector: string, fieldSelector: string) {
    if (!labelSelector && !fieldSelector) return undefined;
    const resource = { group: def.group, plural: def.plural };
    try {
      const labels = labelSelector ? parseLabelSelector(labelSelector) : undefined;
      const fields = fieldSelector ? parseFieldSelectorFor(resource, fieldSelector) : undefined;
      return (obj: KubeObject) =>
        (!labels || labels.matches(obj.metadata.labels ?? {})) && (!fields || fields.matches(fieldsFor(resource, obj)));
    } catch (error) {
      if (error instanceof SelectorError) throw error.toApiError();
      throw error;
    }
  },
};
