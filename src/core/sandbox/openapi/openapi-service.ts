// Serves the /openapi/v3 index and per-group-version documents: built-in ones generated at install
// time by scripts/gen-openapi.mjs (read from disk on first use), custom ones built from CRDs as they
// are registered. Also answers the schema questions field validation asks.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GroupVersionKind, KubeObject } from '../../../shared/kube.js';
import { CRD_SHARED_SCHEMAS, type CrdVersionInfo, buildCrdDocument, crdVersions } from './crd-document.js';
import { type OpenApiSchema, type RefResolver, componentsResolver, isRecord } from './schema.js';
import { type SchemaFieldError, validateAgainstSchema } from './schema-validation.js';
import { applySchemaDefaults, pruneUnknownFields } from './structural.js';
import { findUnknownFieldsInSchema } from './unknown-fields.js';

export interface OpenApiServiceOptions {
  /** Folder with manifest.json and the documents; defaults to ./generated next to this module. */
  dir?: string;
  /** Only these index paths ("api/v1", "apis/apps/v1") of the generated set are served; default all. */
  servedPaths?: string[];
  kubeVersion?: string;
}

interface ManifestEntry {
  file: string;
  hash: string;
}

interface LoadedDocument {
  document: Record<string, unknown>;
  /** The document's text; empty for built-in documents (read from disk when asked). */
  json: string;
  hash: string;
  resolve: RefResolver;
  /** Kind schemas by "group/version/Kind". */
  kinds: Map<string, OpenApiSchema>;
}

const defaultDir = (): string => fileURLToPath(new URL('./generated', import.meta.url));

const gvkKey = (gvk: GroupVersionKind): string => `${gvk.group}/${gvk.version}/${gvk.kind}`;

/** "api/v1" for the core group, "apis/<group>/<version>" otherwise. */
export function documentPathOf(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

export class OpenApiService {
  readonly #dir: string;
  readonly #manifest: Record<string, ManifestEntry>;
  readonly #kubeVersion: string;
  readonly #builtin = new Map<string, LoadedDocument>();
  readonly #custom = new Map<string, LoadedDocument>();
  /** CRD name -> its served versions. */
  readonly #crds = new Map<string, CrdVersionInfo[]>();

  constructor(options: OpenApiServiceOptions = {}) {
    this.#dir = options.dir ?? defaultDir();
    this.#kubeVersion = options.kubeVersion ?? 'v1.32.3';
    const manifestFile = join(this.#dir, 'manifest.json');
    if (!existsSync(manifestFile)) {
      throw new Error(`OpenAPI documents are missing (${manifestFile}); generate them with \`node scripts/gen-openapi.mjs\` (npm install runs it)`);
    }
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestEntry>;
    const served = options.servedPaths ? new Set(options.servedPaths) : undefined;
    this.#manifest = Object.fromEntries(Object.entries(manifest).filter(([path]) => !served || served.has(path)));
  }

  /** The /openapi/v3 discovery index: every group version with a hash that changes with its document. */
  index(): object {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    const entries: [string, string][] = Object.entries(this.#manifest).map(([path, e]) => [path, e.hash]);
    for (const [path, doc] of this.#custom) if (!this.#manifest[path]) entries.push([path, doc.hash]);
    for (const [path, hash] of entries.sort(([a], [b]) => a.localeCompare(b))) {
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
    }
    return { paths };
  }

  /** The document for "api/v1" or "apis/<group>/<version>"; undefined when not served. */
  document(path: string): object | undefined {
    return this.#load(path.replace(/^\/+|\/+$/g, ''))?.document;
  }

  /** The document's JSON text (what the hash in the index is computed over). */
  documentJson(path: string): string | undefined {
    const clean = path.replace(/^\/+|\/+$/g, '');
    // Built-in documents are read again from disk: keeping their text (4 MB) in every idle sandbox
    // for the odd kubectl explain or client-side validation is not worth it.
    const entry = this.#manifest[clean];
    if (entry) return readFileSync(join(this.#dir, entry.file), 'utf8');
    return this.#custom.get(clean)?.json;
  }

  /** Adds (or replaces) the documents of a CustomResourceDefinition's served versions. */
  registerCustomResource(crd: KubeObject): void {
    const name = crd.metadata.name ?? '';
    const before = this.#crdPaths(name);
    this.#crds.set(name, crdVersions(crd));
    this.#rebuild(new Set([...before, ...this.#crdPaths(name)]));
  }

  unregisterCustomResource(name: string): void {
    const before = this.#crdPaths(name);
    this.#crds.delete(name);
    this.#rebuild(before);
  }

  /** The component schema of a kind, or undefined if no served document declares it. */
  schemaFor(gvk: GroupVersionKind): unknown {
    return this.#loadForKind(gvk)?.kinds.get(gvkKey(gvk));
  }

  /**
   * Fields of `obj` that the kind's schema does not declare, as ".spec.containers[0].foo", for
   * fieldValidation=Strict/Warn. Kinds without a schema report nothing.
   */
  findUnknownFields(gvk: GroupVersionKind, obj: unknown): string[] {
    const doc = this.#loadForKind(gvk);
    const schema = doc?.kinds.get(gvkKey(gvk));
    if (!doc || !schema) return [];
    const structural = this.#isCustom(gvk);
    return findUnknownFieldsInSchema(schema, obj, doc.resolve, { structural });
  }

  /**
   * Validates a custom resource against its CRD version's openAPIV3Schema (metadata is validated by
   * the generic store, not here). Built-in kinds and unknown kinds give no errors.
   */
  validateCustomResource(gvk: GroupVersionKind, obj: unknown): SchemaFieldError[] {
    const schema = this.#crdInfo(gvk)?.schema;
    return schema ? validateAgainstSchema(schema, withoutMetadata(obj), '') : [];
  }

  /**
   * Structural defaulting then pruning of a custom resource, in place, as kube-apiserver does on
   * every write: returns the removed paths (".spec.typo"). apiVersion, kind and metadata are kept.
   */
  defaultAndPruneCustomResource(gvk: GroupVersionKind, obj: KubeObject): string[] {
    const schema = this.#crdInfo(gvk)?.schema;
    if (!schema) return [];
    applySchemaDefaults(schema, obj);
    return pruneUnknownFields(schema, obj);
  }

  #crdInfo(gvk: GroupVersionKind): CrdVersionInfo | undefined {
    for (const infos of this.#crds.values()) {
      const info = infos.find((i) => i.group === gvk.group && i.version === gvk.version && i.kind === gvk.kind);
      if (info) return info;
    }
    return undefined;
  }

  #isCustom(gvk: GroupVersionKind): boolean {
    return this.#crdInfo(gvk) !== undefined;
  }

  #crdPaths(name: string): Set<string> {
    return new Set((this.#crds.get(name) ?? []).map((i) => documentPathOf(i.group, i.version)));
  }

  #rebuild(paths: Set<string>): void {
    for (const path of paths) {
      if (this.#manifest[path]) continue; // a CRD may not shadow a built-in group version
      const infos = [...this.#crds.values()].flat().filter((i) => documentPathOf(i.group, i.version) === path);
      if (infos.length === 0) {
        this.#custom.delete(path);
        continue;
      }
      this.#custom.set(path, loaded(buildCrdDocument(infos, this.#sharedSchemas(infos), this.#kubeVersion)));
    }
  }

  /** Meta schemas (with what they reference) copied from the core document. */
  #sharedSchemas(infos: CrdVersionInfo[]): Record<string, OpenApiSchema> {
    const roots = [...CRD_SHARED_SCHEMAS];
    if (infos.some((i) => i.subresources.scale)) roots.push('io.k8s.api.autoscaling.v1.Scale');
    const out: Record<string, OpenApiSchema> = {};
    const sources = ['api/v1', 'apis/autoscaling/v1'].map((p) => this.#loadBuiltin(p)?.resolve).filter((r): r is RefResolver => Boolean(r));
    const queue = roots.map((name) => `#/components/schemas/${name}`);
    while (queue.length > 0) {
      const ref = queue.pop() as string;
      const name = ref.slice('#/components/schemas/'.length);
      if (out[name]) continue;
      const schema = sources.map((resolve) => resolve(ref)).find(Boolean);
      if (!schema) continue;
      out[name] = schema;
      collectRefs(schema, queue);
    }
    return out;
  }

  #load(path: string): LoadedDocument | undefined {
    return this.#loadBuiltin(path) ?? this.#custom.get(path);
  }

  #loadForKind(gvk: GroupVersionKind): LoadedDocument | undefined {
    return this.#load(documentPathOf(gvk.group, gvk.version));
  }

  #loadBuiltin(path: string): LoadedDocument | undefined {
    const cached = this.#builtin.get(path);
    if (cached) return cached;
    const entry = this.#manifest[path];
    if (!entry) return undefined;
    // The text is not kept (documentJson reads it again); the manifest has its hash.
    const doc = loaded(JSON.parse(readFileSync(join(this.#dir, entry.file), 'utf8')) as Record<string, unknown>, '', entry.hash);
    this.#builtin.set(path, doc);
    return doc;
  }
}

function loaded(document: object, json = JSON.stringify(document), hash?: string): LoadedDocument {
  const doc = document as Record<string, unknown>;
  const kinds = new Map<string, OpenApiSchema>();
  const schemas = isRecord(doc.components) && isRecord(doc.components.schemas) ? doc.components.schemas : {};
  for (const schema of Object.values(schemas)) {
    if (!isRecord(schema) || !Array.isArray(schema['x-kubernetes-group-version-kind'])) continue;
    for (const gvk of schema['x-kubernetes-group-version-kind']) {
      if (isRecord(gvk)) kinds.set(`${String(gvk.group ?? '')}/${String(gvk.version)}/${String(gvk.kind)}`, schema as OpenApiSchema);
    }
  }
  return {
    document: doc,
    json,
    hash: hash ?? createHash('sha512').update(json).digest('hex').toUpperCase(),
    resolve: componentsResolver(doc),
    kinds,
  };
}

function collectRefs(node: unknown, out: string[]): void {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (isRecord(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
}

function withoutMetadata(obj: unknown): unknown {
  if (!isRecord(obj)) return obj;
  const rest: Record<string, unknown> = { ...obj };
  delete rest.metadata;
  return rest;
}
