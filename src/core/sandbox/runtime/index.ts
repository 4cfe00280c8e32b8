export { createRuntime, parseImageReference, SimRuntime } from './runtime.js';
export type * from './types.js';
export { MemoryVolumeStore } from './volume-store.js';
