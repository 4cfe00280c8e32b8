// Runs a catalog resource's strategy in the order the generic store does (defaults, prepare,
// ObjectMeta + kind validation, 422 on causes), without storage. For tests and for dry checks.
import type { KubeObject } from '../../../../shared/kube.js';
import { ApiError } from '../../apiserver/errors.js';
import { builtinResources } from '../catalog.js';
import { objectMetaValidation } from '../object-meta.js';
import type { ResourceDef, StrategyContext } from '../types.js';

export const TEST_NOW = new Date('2026-01-02T03:04:05Z');

export function context(namespace = 'default'): StrategyContext {
  return { namespace, user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }, now: TEST_NOW, dryRun: false };
}

export function resourceDef(group: string, plural: string): ResourceDef {
  const def = builtinResources().find((d) => d.group === group && d.plural === plural);
  if (!def) throw new Error(`no built-in resource ${group}/${plural}: check the catalog`);
  return def;
}

let uidCounter = 0;

/** The create path of GenericStore.create, minus admission and storage; throws the 422 ApiError. */
export function createThrough(def: ResourceDef, input: KubeObject, namespace = 'default'): KubeObject {
  const obj = structuredClone(input);
  const ctx = context(def.namespaced ? namespace : '');
  if (def.namespaced) obj.metadata.namespace = namespace;
  if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + objectMetaValidation.generateNameSuffix();
  def.strategy.applyDefaults?.(obj);
  obj.metadata.uid = `00000000-0000-4000-8000-${String(++uidCounter).padStart(12, '0')}`;
  obj.metadata.creationTimestamp = TEST_NOW.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (def.strategy.tracksGeneration) obj.metadata.generation = 1;
  def.strategy.prepareForCreate?.(obj, ctx);
  const causes = [...objectMetaValidation.create(obj, def), ...(def.strategy.validate?.(obj, ctx) ?? [])];
  if (causes.length > 0) throw ApiError.invalid(def.kind, def.group, obj.metadata.name ?? '', causes);
  def.strategy.canonicalize?.(obj);
  return obj;
}

/** The update path of GenericStore.update for the main resource (or status). */
export function updateThrough(def: ResourceDef, old: KubeObject, input: KubeObject, subresource = ''): KubeObject {
  const ctx = context(old.metadata.namespace ?? '');
  let obj = structuredClone(input);
  obj.metadata = { ...obj.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, namespace: old.metadata.namespace };
  if (subresource === 'status') {
    const merged = structuredClone(old);
    def.strategy.prepareForStatusUpdate?.(obj, merged);
    obj = merged;
  } else {
    def.strategy.applyDefaults?.(obj);
    def.strategy.prepareForUpdate?.(obj, old, ctx);
  }
  const causes = [...objectMetaValidation.update(obj, old, def), ...(def.strategy.validateUpdate?.(obj, old, ctx) ?? [])];
  if (causes.length > 0) throw ApiError.invalid(def.kind, def.group, obj.metadata.name ?? '', causes);
  return obj;
}

/** The ApiError a call throws (fails the test when it does not throw one). */
export function invalidError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a 422 Invalid error, but the call succeeded');
}
