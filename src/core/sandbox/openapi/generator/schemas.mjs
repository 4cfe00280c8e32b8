// Builds kube-apiserver-shaped OpenAPI v3 component schemas from client-node models (names, types,
// requiredness) and kubernetes-types JSDoc (descriptions), plus the handful of apimachinery types
// that are not plain structs (Time, Quantity, IntOrString, RawExtension...).
import {
  INT_OR_STRING, JSON_VALUE, META, MICRO_TIME, QUANTITY, RUNTIME, TIME, modelCandidates, schemaNameFor,
} from './names.mjs';
import { ANY_FIELDS, ATOMIC_TYPES, PATCH_META } from './patch-meta.mjs';

const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
const INT_OR_STRING_DOC =
  'IntOrString is a type that can hold an int32 or a string. When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type. This allows you to have, for example, a JSON field that can accept a name or number.';

export function ref(name) {
  return { $ref: `#/components/schemas/${name}` };
}

/** Strips the version (and collision group) prefix of a client-node model name: "CoreV1Event" -> "Event". */
function bareTypeName(model) {
  return model.replace(/^[A-Z][a-z]*?(?=V\d)/, '').replace(/^V\d+(?:(?:alpha|beta)\d+)?/, '');
}

export class SchemaRegistry {
  /** @type {Map<string, object>} */
  schemas = new Map();
  /** model name -> { schemaName, moduleKey?, typeName } */
  #models = new Map();

  constructor(typeDocs, models) {
    this.typeDocs = typeDocs;
    this.models = models;
    // Shared apimachinery modules first, so their names win any collision.
    const order = [...typeDocs.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    for (const moduleKey of order) {
      for (const typeName of typeDocs.get(moduleKey).keys()) {
        const model = modelCandidates(moduleKey, typeName).find((m) => models.has(m));
        const schemaName = schemaNameFor(moduleKey, typeName);
        if (model && schemaName && !this.#models.has(model)) this.#models.set(model, { schemaName, moduleKey, typeName });
      }
    }
    this.#addSpecials();
  }

  /** Schema name of a client-node model, building its schema (and its dependencies) on first use. */
  modelSchema(model, contextSchema = `${META}.Unknown`) {
    let entry = this.#models.get(model);
    if (!entry) {
      // Newer than kubernetes-types: it lives in the package of the type that first refers to it.
      const typeName = bareTypeName(model);
      const pkg = contextSchema.slice(0, contextSchema.lastIndexOf('.'));
      entry = { schemaName: `${pkg}.${typeName}`, typeName };
      this.#models.set(model, entry);
    }
    if (!this.schemas.has(entry.schemaName)) this.#buildModel(model, entry);
    return entry.schemaName;
  }

  /** The GVK of a schema's top-level kind, if it is one. */
  gvkOf(schemaName) {
    const list = this.schemas.get(schemaName)?.['x-kubernetes-group-version-kind'];
    return Array.isArray(list) && list.length > 0 ? list[0] : undefined;
  }

  /** Marks a schema as a top-level kind (kinds newer than kubernetes-types are only known from API paths). */
  addGvk(schemaName, gvk) {
    const schema = this.schemas.get(schemaName);
    if (!schema || schema['x-kubernetes-group-version-kind']) return;
    const props = schema.properties ?? {};
    if (props.apiVersion && props.kind) schema['x-kubernetes-group-version-kind'] = [gvk];
  }

  #doc(moduleKey, typeName) {
    return this.typeDocs.get(moduleKey)?.get(typeName);
  }

  #addSpecials() {
    const docOf = (moduleKey, name) => this.#doc(moduleKey, name)?.doc ?? '';
    const put = (name, schema) => this.schemas.set(name, schema);
    put(INT_OR_STRING, { description: INT_OR_STRING_DOC, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true });
    put(QUANTITY, { description: docOf('api/resource', 'Quantity'), oneOf: [{ type: 'string' }, { type: 'number' }] });
    put(TIME, { description: docOf('meta/v1', 'Time'), format: 'date-time', type: 'string' });
    put(MICRO_TIME, { description: docOf('meta/v1', 'MicroTime'), format: 'date-time', type: 'string' });
    put(`${META}.FieldsV1`, { description: docOf('meta/v1', 'FieldsV1'), type: 'object' });
    put(`${META}.Patch`, { description: docOf('meta/v1', 'Patch'), type: 'object' });
    put(`${RUNTIME}.RawExtension`, { description: docOf('runtime', 'RawExtension'), type: 'object' });
    put(JSON_VALUE, { description: docOf('apiextensions/v1', 'JSON') || 'JSON represents any valid JSON value.' });
    for (const name of ['JSONSchemaPropsOrArray', 'JSONSchemaPropsOrBool', 'JSONSchemaPropsOrStringArray']) {
      put(`${APIEXT}.${name}`, { description: docOf('apiextensions/v1', name) || `${name} is a JSONSchemaProps or an alternative.` });
    }
  }

  #buildModel(model, entry) {
    const m = this.models.get(model);
    const { schemaName } = entry;
    if (!m) {
      this.schemas.set(schemaName, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
      return;
    }
    const typeDoc = entry.moduleKey ? this.#doc(entry.moduleKey, entry.typeName) : undefined;
    const schema = { description: typeDoc?.doc || m.doc, type: 'object' };
    this.schemas.set(schemaName, schema); // before fields: models can be recursive (JSONSchemaProps)
    const properties = {};
    const required = [];
    const patchMeta = PATCH_META[schemaName] ?? {};
    for (const attr of m.attributes) {
      const field = attr.baseName;
      const propDoc = typeDoc?.props.get(field);
      let prop = this.#fieldSchema(attr.type, attr.format, propDoc?.typeText ?? '', schemaName, field);
      const description = propDoc?.doc || m.propDocs.get(attr.name) || '';
      if (prop.$ref) prop = description ? { allOf: [prop], description } : prop;
      else if (description) prop = { description, ...prop };
      Object.assign(prop, patchMeta[field] ?? {});
      properties[field] = prop;
      if (m.required.has(attr.name)) required.push(field);
    }
    if (Object.keys(properties).length > 0) schema.properties = properties;
    if (required.length > 0) schema.required = required;
    if (ATOMIC_TYPES.includes(schemaName)) schema['x-kubernetes-map-type'] = 'atomic';
    const gvk = typeDoc ? literalGvk(typeDoc) : undefined;
    if (gvk) schema['x-kubernetes-group-version-kind'] = [gvk];
    if (schemaName === `${META}.Status`) schema['x-kubernetes-group-version-kind'] = [{ group: '', kind: 'Status', version: 'v1' }];
  }

  #fieldSchema(type, format, typeText, schemaName, field) {
    const array = /^Array<(.+)>$/.exec(type);
    if (array) return { type: 'array', items: this.#valueSchema(array[1], format, typeText, schemaName, field) };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return { type: 'object', additionalProperties: this.#fieldSchema(map[1], format, typeText, schemaName, field) };
    return this.#valueSchema(type, format, typeText, schemaName, field);
  }

  #valueSchema(type, format, typeText, schemaName, field) {
    switch (type) {
      case 'string':
        if (/\bQuantity\b/.test(typeText)) return ref(QUANTITY);
        return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
      case 'number':
        if (format === 'int32' || format === 'int64') return { type: 'integer', format };
        return format ? { type: 'number', format } : { type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'Date':
      case 'V1MicroTime':
        return ref(format === 'date-time-micro' || type === 'V1MicroTime' ? MICRO_TIME : TIME);
      case 'IntOrString':
        return ref(INT_OR_STRING);
      case 'any':
        return this.#anySchema(typeText, schemaName, field);
      default:
        return ref(this.modelSchema(type, schemaName));
    }
  }

  #anySchema(typeText, schemaName, field) {
    const known = ANY_FIELDS[`${schemaName}.${field}`];
    if (known) return ref(known);
    for (const name of ['JSONSchemaPropsOrStringArray', 'JSONSchemaPropsOrArray', 'JSONSchemaPropsOrBool', 'RawExtension', 'FieldsV1']) {
      if (new RegExp(`\\b${name}\\b`).test(typeText)) {
        if (name === 'RawExtension') return ref(`${RUNTIME}.RawExtension`);
        if (name === 'FieldsV1') return ref(`${META}.FieldsV1`);
        return ref(`${APIEXT}.${name}`);
      }
    }
    if (/\bJSON\b/.test(typeText) || schemaName.startsWith(`${APIEXT}.JSONSchemaProps`)) return ref(JSON_VALUE);
    return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
}

function rank(moduleKey) {
  if (moduleKey === 'meta/v1' || moduleKey === 'runtime' || moduleKey === 'api/resource' || moduleKey === 'version') return 0;
  return moduleKey.startsWith('core/') ? 1 : 2;
}

function literalGvk(typeDoc) {
  const apiVersion = /^"([^"]+)"$/.exec(typeDoc.props.get('apiVersion')?.typeText ?? '')?.[1];
  const kind = /^"([^"]+)"$/.exec(typeDoc.props.get('kind')?.typeText ?? '')?.[1];
  if (!apiVersion || !kind) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', kind, version: apiVersion }
    : { group: apiVersion.slice(0, slash), kind, version: apiVersion.slice(slash + 1) };
}
