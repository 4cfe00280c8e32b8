// Image pulls as the kubelet's image manager does them: pull policy, "already present" checks, the
// events' exact wording, and the pull back-off (10 s doubling to 5 min) per image.
import type { Container as V1Container } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime, ImageInfo } from '../runtime/types.js';

export type PullOutcome =
  | { ok: true; image: ImageInfo; events: { type: 'Normal'; reason: string; message: string }[] }
  | { ok: false; reason: 'ErrImagePull' | 'ErrImageNeverPull' | 'ImagePullBackOff'; message: string; events: { type: 'Normal' | 'Warning'; reason: string; message: string }[]; retryInMs?: number };

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const last = image.split('/').pop() ?? image;
  if (image.includes('@')) return 'IfNotPresent';
  return !last.includes(':') || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

/** Go's time.Duration String() for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${m}m${s % 60}s` : `${m}m${s % 60}s`;
}

function seconds(ms: number): string {
  // Go prints durations with the shortest exact form: 1.234s, 500ms, 2s.
  if (ms === 0) return '0s';
  return ms < 1000 ? `${ms}ms` : `${Number((ms / 1000).toFixed(9))}s`;
}

export class ImagePuller {
  /** Images pulled on this node (node.status.images), by reference. */
  readonly present = new Map<string, ImageInfo>();
  private readonly backoff = new Map<string, { until: number; delay: number }>();

  constructor(private readonly runtime: ContainerRuntime) {}

  private known(image: string): ImageInfo | undefined {
    for (const info of this.present.values()) if (matches(info.reference, image)) return info;
    return undefined;
  }

  async ensure(spec: V1Container, now: () => number, onPulling: () => void): Promise<PullOutcome> {
    const image = spec.image ?? '';
    const policy = spec.imagePullPolicy ?? defaultPullPolicy(image);
    const have = this.known(image);
    if (policy === 'Never' || (policy === 'IfNotPresent' && have)) {
      if (have) return { ok: true, image: have, events: [{ type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` }] };
      const message = `Container image "${image}" is not present with pull policy of Never`;
      return { ok: false, reason: 'ErrImageNeverPull', message, events: [{ type: 'Warning', reason: 'ErrImageNeverPull', message }] };
    }
    const b = this.backoff.get(image);
    if (b && now() < b.until) {
      return {
        ok: false,
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${image}"`,
        events: [
          { type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${image}"` },
          { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff' },
        ],
        retryInMs: b.until - now(),
      };
    }
    onPulling();
    const result = await this.runtime.pull(image);
    if (!result.ok) {
      const delay = b ? Math.min(b.delay * 2, MAX_BACKOFF_MS) : INITIAL_BACKOFF_MS;
      this.backoff.set(image, { until: now() + delay, delay });
      return {
        ok: false,
        reason: 'ErrImagePull',
        message: result.message,
        events: [
          { type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": ${result.message}` },
          { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' },
        ],
      };
    }
    this.backoff.delete(image);
    this.present.set(result.image.reference, result.image);
    const took = seconds(result.durationMs);
    return {
      ok: true,
      image: result.image,
      events: [
        { type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${result.image.sizeBytes} bytes.` },
      ],
    };
  }
}

/** "nginx" matches docker.io/library/nginx:latest, "nginx:1.27" matches docker.io/library/nginx:1.27. */
export function matches(reference: string, image: string): boolean {
  const withTag = /:[^/]+$/.test(image) || image.includes('@') ? image : `${image}:latest`;
  if (reference === withTag) return true;
  return reference === (withTag.includes('/') ? `docker.io/${withTag}` : `docker.io/library/${withTag}`);
}
