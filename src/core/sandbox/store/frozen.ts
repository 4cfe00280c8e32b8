// Immutable shared objects. The watch cache hands the same object to every watcher (HTTP streams,
// in-process informers) instead of a copy per watcher: at 50,000 pods a copy per informer is what
// fills memory. Freezing makes that sharing safe: a consumer that writes to a shared object fails
// loudly (TypeError in strict mode) instead of corrupting what every other watcher sees.

/** Freezes plain JSON data in depth; already-frozen subtrees are skipped (they were frozen in depth too). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
