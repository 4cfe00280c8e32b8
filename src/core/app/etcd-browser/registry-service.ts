// Sessions of the registry browser: one etcd3 connection per opened target, the sandbox's endpoint
// found through the files it writes (<data-dir>/etcd-endpoint, <data-dir>/certs/etcd/), or any
// etcd with the TLS files a person would pass to etcdctl.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Disposable } from '../../../shared/disposable.js';
import type { RegistrySessionInfo, RegistryTarget, RegistryWatchEvent } from '../../../shared/rpc/registry-contract.js';
import { EtcdKV } from '../../sandbox/store/etcd-kv.js';
import { etcdctlBase, type EtcdctlTarget } from './etcdctl-commands.js';
import { RegistryBrowser } from './registry-browser.js';

export class RegistryTargetError extends Error {}

async function readOptional(path: string | undefined, what: string): Promise<Buffer | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    throw new RegistryTargetError(`cannot read the ${what} file ${path}: ${(error as Error).message}; check the path`, { cause: error });
  }
}

/** The sandbox's etcd endpoint and TLS files, as the sandbox wrote them in its data directory. */
export async function sandboxEtcdTarget(sandboxDataDir: string): Promise<EtcdctlTarget> {
  const endpointFile = join(sandboxDataDir, 'etcd-endpoint');
  let endpoint: string;
  try {
    endpoint = (await readFile(endpointFile, 'utf8')).trim();
  } catch {
    throw new RegistryTargetError(`the sandbox's etcd endpoint is not up (no ${endpointFile}); wait for the sandbox to start`);
  }
  const certs = join(sandboxDataDir, 'certs', 'etcd');
  return { endpoints: [endpoint], caFile: join(certs, 'ca.crt'), certFile: join(certs, 'server.crt'), keyFile: join(certs, 'server.key') };
}

export async function openRegistryBrowser(target: EtcdctlTarget): Promise<RegistryBrowser> {
  if (target.endpoints.length === 0) throw new RegistryTargetError('no etcd endpoint given: pass at least one, e.g. https://127.0.0.1:2379');
  const [ca, cert, key] = await Promise.all([
    readOptional(target.caFile, 'CA certificate'),
    readOptional(target.certFile, 'client certificate'),
    readOptional(target.keyFile, 'client key'),
  ]);
  if ((cert && !key) || (key && !cert)) throw new RegistryTargetError('a client certificate needs its key (and a key its certificate): give both');
  const kv = await EtcdKV.connect({ endpoints: target.endpoints, ca, cert, key });
  return new RegistryBrowser(kv, etcdctlBase(target));
}

interface Session {
  browser: RegistryBrowser;
  endpoints: string[];
  watches: Set<string>;
}

export class RegistryService implements Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly watches = new Map<string, { sessionId: string; watch: Disposable }>();

  /** `sandboxDataDir`: where the app's sandbox keeps its files, when there is one. */
  constructor(private readonly sandboxDataDir: string | undefined) {}

  async open(target: RegistryTarget): Promise<RegistrySessionInfo> {
    let etcdTarget: EtcdctlTarget;
    if (target.kind === 'sandbox') {
      if (!this.sandboxDataDir) throw new RegistryTargetError('this app runs no sandbox; connect to an etcd by its endpoints instead');
      etcdTarget = await sandboxEtcdTarget(this.sandboxDataDir);
    } else {
      etcdTarget = { endpoints: target.endpoints, caFile: target.caFile, certFile: target.certFile, keyFile: target.keyFile };
    }
    const browser = await openRegistryBrowser(etcdTarget);
    // Built in the background (seconds at 200,000 keys): listings read etcd until it is ready.
    void browser.indexKeys().catch(() => undefined);
    const sessionId = randomUUID();
    this.sessions.set(sessionId, { browser, endpoints: etcdTarget.endpoints, watches: new Set() });
    const status = await browser.status();
    return { sessionId, endpoints: etcdTarget.endpoints, etcdctl: browser.etcdctlBase, ...status };
  }

  browser(sessionId: string): RegistryBrowser {
    const session = this.sessions.get(sessionId);
    if (!session) throw new RegistryTargetError(`no registry session ${sessionId}: it was closed; open the registry again`);
    return session.browser;
  }

  async watch(sessionId: string, prefix: string, listener: (event: RegistryWatchEvent) => void): Promise<{ watchId: string; command: string }> {
    const session = this.sessions.get(sessionId);
    if (!session) throw new RegistryTargetError(`no registry session ${sessionId}: it was closed; open the registry again`);
    const watchId = randomUUID();
    const watch = session.browser.watch(prefix, watchId, listener);
    this.watches.set(watchId, { sessionId, watch });
    session.watches.add(watchId);
    await watch.ready;
    return { watchId, command: watch.command };
  }

  unwatch(watchId: string): void {
    const entry = this.watches.get(watchId);
    if (!entry) return;
    entry.watch.dispose();
    this.watches.delete(watchId);
    this.sessions.get(entry.sessionId)?.watches.delete(watchId);
  }

  async close(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    for (const id of session.watches) this.unwatch(id);
    this.sessions.delete(sessionId);
    session.browser.dispose();
    await session.browser.kv.close();
  }

  dispose(): void {
    for (const id of [...this.sessions.keys()]) void this.close(id);
  }
}
