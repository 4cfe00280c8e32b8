import type { KindView } from './kind-view.js';
import { deploymentsView } from './deployments.js';
import { podsView } from './pods.js';

/** The kinds shown in the sidebar, in order. */
export const KIND_VIEWS: KindView[] = [podsView, deploymentsView];
