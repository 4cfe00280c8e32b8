// One predicate for a list/watch request's labelSelector and fieldSelector, built once per request.
import type { KubeObject } from '../../../../shared/kube.js';
import { convertFieldSelector, fieldsFor, parseFieldSelector, type CustomFields, type ResourceRef } from './field-selector.js';
import { parseLabelSelector } from './label-selector.js';

export interface ListSelectors {
  labelSelector?: string | null;
  fieldSelector?: string | null;
}

/**
 * Parse both selectors for `resource` and return a matcher. Throws SelectorError (call
 * toApiError() for the 400) on a selector kube-apiserver would refuse. `customFields` are a CRD
 * version's selectableFields (see customResourceFields), for custom resources.
 */
export function listPredicate(resource: ResourceRef, selectors: ListSelectors, custom?: CustomFields): (obj: KubeObject) => boolean {
  const labels = parseLabelSelector(selectors.labelSelector ?? '');
  const fields = convertFieldSelector(resource, parseFieldSelector(selectors.fieldSelector ?? ''), custom);
  if (labels.isEmpty() && fields.isEmpty()) return () => true;
  return (obj) => labels.matches(obj.metadata?.labels) && (fields.isEmpty() || fields.matches(fieldsFor(resource, obj, custom)));
}
