// A raw TCP connection to a simulated listener: raw listeners get the bytes, HTTP listeners get
// requests parsed from them (HTTP/1.1 with Content-Length, keep-alive) — what port-forward needs.
import type { Disposable } from '../../../../shared/disposable.js';
import { toDisposable } from '../../../../shared/disposable.js';
import type { ContainerConnection } from '../types.js';
import type { Listener } from '../shell/system.js';
import { concat } from '../vfs.js';
import { decode, encode } from '../shell/io.js';
import { statusText } from '../tools/net.js';

export function httpConnection(listener: Listener, remoteAddress: string): ContainerConnection {
  const dataListeners = new Set<(d: Uint8Array) => void>();
  const closeListeners = new Set<() => void>();
  let closed = false;
  // Server-side view of the same connection, for raw TCP listeners.
  const serverData = new Set<(d: Uint8Array) => void>();
  const toClient = (d: Uint8Array): void => {
    for (const l of [...dataListeners]) l(d);
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const l of [...closeListeners]) l();
  };
  const conn: ContainerConnection = {
    write(data) {
      if (closed) return;
      if (listener.tcp) for (const l of [...serverData]) l(data);
      else onHttpData(data);
    },
    onDidData(l): Disposable {
      dataListeners.add(l);
      return toDisposable(() => dataListeners.delete(l));
    },
    onDidClose(l): Disposable {
      closeListeners.add(l);
      return toDisposable(() => closeListeners.delete(l));
    },
    end: close,
    dispose: close,
  };
  if (listener.tcp) {
    listener.tcp({
      write: toClient,
      onDidData(l) {
        serverData.add(l);
        return toDisposable(() => serverData.delete(l));
      },
      onDidClose(l) {
        closeListeners.add(l);
        return toDisposable(() => closeListeners.delete(l));
      },
      end: close,
      dispose: close,
    });
    return conn;
  }
  let buffer: Uint8Array = new Uint8Array();
  let chain = Promise.resolve();
  function onHttpData(data: Uint8Array): void {
    buffer = concat(buffer, data);
    for (;;) {
      const text = decode(buffer);
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = text.slice(0, end).split('\r\n');
      const [method, path] = (head[0] ?? '').split(' ');
      const headers: Record<string, string> = {};
      for (const h of head.slice(1)) {
        const i = h.indexOf(':');
        if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
      }
      const headLen = encode(text.slice(0, end + 4)).length;
      const len = Number(headers['content-length'] ?? 0);
      if (buffer.length < headLen + len) return;
      const body = buffer.slice(headLen, headLen + len);
      buffer = buffer.slice(headLen + len);
      chain = chain.then(async () => {
        const res = listener.http ? await listener.http({ method: method ?? 'GET', path: path ?? '/', headers, body, remoteAddress }) : { status: 502, headers: {}, body: new Uint8Array() };
        const lines = [`HTTP/1.1 ${res.status} ${statusText(res.status)}`, ...Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`)];
        if (!Object.keys(res.headers).some((k) => k.toLowerCase() === 'content-length')) lines.push(`Content-Length: ${res.body.length}`);
        toClient(concat(encode(lines.join('\r\n') + '\r\n\r\n'), res.body));
        if ((headers.connection ?? '').toLowerCase() === 'close') close();
      });
    }
  }
  return conn;
}
