// The watch service moved to src/core/watch (any resource type, paged first lists, lingering
// informers); this keeps the app's imports working.
export { WatchService, type WatchBatch, type WatchServiceOptions } from '../watch/watch-service.js';
