// pods/log: the container's output as text/plain, with the kubelet's options (tailLines,
// sinceSeconds, sinceTime, timestamps, previous, limitBytes) and follow streaming until the
// container ends or the client goes away.
import type { KubeObject } from '../../../../shared/kube.js';
import type { Clock } from '../../../clock/clock.js';
import type { ApiClient } from '../client.js';
import { ApiError } from '../errors.js';
import type { ConnectHandler } from '../http-types.js';
import { isTrue } from '../request-info.js';
import type { LogEntry, PodStreamBackend } from './backend.js';
import { resolveContainer } from './pods.js';

export interface LogOptions {
  since?: Date;
  tailLines?: number;
  timestamps: boolean;
  previous: boolean;
  follow: boolean;
  limitBytes?: number;
}

function integer(query: URLSearchParams, name: string, min: number): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw ApiError.badRequest(`${name}: Invalid value: "${raw}": must be an integer`);
  if (value < min) throw ApiError.make(422, 'Invalid', `PodLogOptions "" is invalid: ${name}: Invalid value: ${value}: must be ${min === 1 ? 'greater than 0' : 'greater than or equal to 0'}`);
  return value;
}

export function logOptions(query: URLSearchParams, now: Date): LogOptions {
  const sinceSeconds = integer(query, 'sinceSeconds', 1);
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime !== null) throw ApiError.make(422, 'Invalid', 'PodLogOptions "" is invalid: sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  let since: Date | undefined;
  if (sinceSeconds !== undefined) since = new Date(now.getTime() - sinceSeconds * 1000);
  if (sinceTime !== null) {
    since = new Date(sinceTime);
    if (Number.isNaN(since.getTime())) throw ApiError.badRequest(`sinceTime: Invalid value: "${sinceTime}": must be an RFC3339 time`);
  }
  return {
    since,
    tailLines: integer(query, 'tailLines', 0),
    timestamps: isTrue(query.get('timestamps')),
    previous: isTrue(query.get('previous')),
    follow: isTrue(query.get('follow')),
    limitBytes: integer(query, 'limitBytes', 1),
  };
}

/** Go's time.RFC3339Nano as the kubelet prefixes lines: fractional seconds without trailing zeros. */
export function rfc3339Nano(date: Date): string {
  const iso = date.toISOString(); // 2026-11-24T20:00:00.120Z
  const [base, frac] = iso.slice(0, -1).split('.');
  const trimmed = (frac ?? '').replace(/0+$/, '');
  return `${base}${trimmed ? `.${trimmed}` : ''}Z`;
}

/** The entries a non-follow read returns: since, then the last tailLines. */
export function selectEntries(entries: LogEntry[], options: LogOptions): LogEntry[] {
  let out = options.since ? entries.filter((e) => e.time.getTime() >= options.since!.getTime()) : entries;
  if (options.tailLines !== undefined) out = options.tailLines === 0 ? [] : out.slice(-options.tailLines);
  return out;
}

interface ContainerStatusLite {
  name: string;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: object };
}

/** The kubelet's words when a container has no log to show (validateContainerLogStatus). */
export function logUnavailable(pod: KubeObject, container: string, previous: boolean): ApiError {
  const name = pod.metadata.name ?? '';
  if (previous) return ApiError.badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  const status = (pod.status ?? {}) as { containerStatuses?: ContainerStatusLite[]; initContainerStatuses?: ContainerStatusLite[]; ephemeralContainerStatuses?: ContainerStatusLite[] };
  const found = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
  const waiting = found?.state?.waiting?.reason;
  if (waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff') return ApiError.badRequest(`container "${container}" in pod "${name}" is waiting to start: trying and failing to pull image`);
  if (waiting === 'InvalidImageName') return ApiError.badRequest(`container "${container}" in pod "${name}" is waiting to start: image can't be pulled`);
  if (found && !found.state?.running && !found.state?.terminated) return ApiError.badRequest(`container "${container}" in pod "${name}" is waiting to start: ${waiting ?? 'ContainerCreating'}`);
  if (!found) return ApiError.badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  return ApiError.badRequest(`container "${container}" in pod "${name}" is not available`);
}

export function logHandler(backend: PodStreamBackend, client: ApiClient, clock: Clock): ConnectHandler {
  return async ({ info, query, res }) => {
    const options = logOptions(query, clock.now());
    const { pod, container } = await resolveContainer(client, info.namespace, info.name, query.get('container'));
    // kube-apiserver answers an empty log for a pod no node runs yet (there is no kubelet to ask).
    if (!(pod.spec as { nodeName?: string } | undefined)?.nodeName) {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
      res.end();
      return;
    }
    const read = await backend.logs.read(info.namespace, info.name, container, options.previous);
    if (!read) throw logUnavailable(pod, container, options.previous);
    const entries = selectEntries(read, options);

    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    let remaining = options.limitBytes ?? Infinity;
    let done = false;
    const subscriptions: { dispose(): void }[] = [];
    const finish = (): void => {
      if (done) return;
      done = true;
      for (const s of subscriptions) s.dispose();
      res.end();
    };
    const write = (entry: LogEntry): void => {
      if (done) return;
      let chunk = Buffer.from(options.timestamps ? `${rfc3339Nano(entry.time)} ${entry.line}` : entry.line, 'utf8');
      if (chunk.length >= remaining) {
        chunk = chunk.subarray(0, remaining);
        remaining = 0;
      } else remaining -= chunk.length;
      if (chunk.length > 0) res.write(chunk);
      if (remaining === 0) finish();
    };
    for (const entry of entries) write(entry);
    if (!options.follow || options.previous || done) return finish();
    res.once('close', finish);
    const subscription = backend.logs.follow(info.namespace, info.name, container, write, finish);
    if (!subscription || done) {
      subscription?.dispose();
      return finish();
    }
    subscriptions.push(subscription);
  };
}
