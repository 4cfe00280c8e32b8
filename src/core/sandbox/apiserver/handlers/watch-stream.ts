// Watches over HTTP: a chunked stream of {"type","object"} JSON lines, objects as Tables when
// kubectl asks for them (`kubectl get -w`), ended by timeoutSeconds, by the client, or by an ERROR
// event carrying a Status (410 Expired) as kube-apiserver does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientWatchEvent } from '../client.js';
import type { Negotiated } from '../content.js';
import { ApiError } from '../errors.js';
import { isTrue } from '../request-info.js';
import type { ResourceApi, Target } from '../resource-api.js';
import type { Tables } from '../services.js';

/** Events encoded per write of a burst. */
const FLUSH_SLICE = 1000;

export async function serveWatch(
  api: ResourceApi,
  tables: Tables,
  target: Target,
  query: URLSearchParams,
  negotiated: Negotiated,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const timeout = query.get('timeoutSeconds');
  // Like kube-apiserver, a watch without a timeout ends after a randomized 30-60 minutes.
  const timeoutSeconds = timeout ? Number(timeout) : 1800 + Math.floor(Math.random() * 1800);
  let headersSent = false;
  let firstTable = true;
  const pending: ClientWatchEvent[] = [];
  let flushScheduled = false;

  const encode = (event: ClientWatchEvent): string => {
    if (negotiated.table && (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED')) {
      const table = tables.toTable(target.def, [event.object], { includeObject: negotiated.includeObject, resourceVersion: event.object.metadata.resourceVersion });
      if (!firstTable) table.columnDefinitions = [];
      firstTable = false;
      return JSON.stringify({ type: event.type, object: table });
    }
    return JSON.stringify(event);
  };

  // Events of one tick go out in one write: fewer syscalls under load, same order. A big burst (a
  // streamed list's initial events: 50,000 pods) goes in slices, each once the socket took the
  // last: the client gets the first objects without waiting for all of them to be encoded, and the
  // server never holds the whole list as one string.
  const flush = (all = false) => {
    flushScheduled = false;
    while (headersSent && !res.writableEnded && pending.length > 0) {
      const slice = pending.length > FLUSH_SLICE ? pending.splice(0, FLUSH_SLICE) : pending.splice(0);
      const drained = res.write(slice.map((e) => encode(e) + '\n').join(''));
      if (all || pending.length === 0) continue;
      flushScheduled = true;
      if (drained) setImmediate(flush);
      else res.once('drain', () => flush());
      return;
    }
  };

  const watch = api.watch(
    target,
    {
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
      resourceVersion: query.get('resourceVersion') ?? undefined,
      allowWatchBookmarks: isTrue(query.get('allowWatchBookmarks')),
      sendInitialEvents: isTrue(query.get('sendInitialEvents')),
      timeoutSeconds,
    },
    (event) => {
      pending.push(event);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
  );
  const close = () => watch.dispose();
  req.on('close', close);
  res.on('close', close);
  try {
    await watch.ready;
  } catch (error) {
    // A watch from a compacted resourceVersion: 200 then an ERROR event, as kube-apiserver does.
    if (error instanceof ApiError && error.code === 410) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.end(JSON.stringify({ type: 'ERROR', object: error.status }) + '\n');
      return;
    }
    throw error;
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  headersSent = true;
  res.flushHeaders();
  flush();
  try {
    await watch.done;
  } catch (error) {
    flush(true);
    if (error instanceof ApiError && !res.writableEnded) res.write(JSON.stringify({ type: 'ERROR', object: error.status }) + '\n');
  }
  flush(true);
  if (headersSent && !res.writableEnded) res.end();
}
