// Label and field selectors for list/watch filtering and for controllers' LabelSelector matching.
export { SelectorError } from './errors.js';
export {
  LabelSelector,
  formatLabelSelector,
  formatLabels,
  labelSelectorFromObject,
  labelSelectorObjectMatches,
  parseLabelSelector,
  requirementMatches,
  requirementString,
  type LabelOperator,
  type LabelRequirement,
  type LabelSelectorObject,
} from './label-selector.js';
export {
  FieldSelector,
  convertFieldSelector,
  customResourceFields,
  escapeFieldValue,
  fieldsFor,
  parseFieldSelector,
  parseFieldSelectorFor,
  type CustomFields,
  type CustomResourceFields,
  type FieldOperator,
  type FieldRequirement,
  type ResourceRef,
} from './field-selector.js';
export { listPredicate, type ListSelectors } from './list-predicate.js';
