// Ports the HTTPS layer depends on; the composition root binds them to the auth, openapi and
// subresource implementations.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../../shared/kube.js';
import type { UserInfo } from '../registry/types.js';
import type { RequestInfo } from './request-info.js';
import type { Target } from './resource-api.js';

export interface Authn {
  /** undefined: not authenticated (401). */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

export interface AuthzAttributes {
  user: UserInfo;
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  nonResourcePath?: string;
}

export interface Authz {
  authorize(attrs: AuthzAttributes): Promise<{ allowed: boolean; reason: string }>;
}

export interface OpenApiDocs {
  index(): object;
  document(path: string): object | undefined;
}

/** A create on a resource that is not stored (reviews, TokenRequest, Binding, Eviction). */
export type VirtualCreate = (user: UserInfo, target: Target, name: string, body: KubeObject, dryRun: boolean) => Promise<{ object: object; code: number }>;

/** An HTTP Upgrade request (WebSocket, SPDY/3.1): the raw socket and the bytes read past the headers. */
export interface UpgradeSocket {
  socket: Duplex;
  head: Buffer;
}

/**
 * Streaming subresources (log, exec, attach, portforward, proxy): given the raw request. For an
 * Upgrade request `upgrade` is set; `res` then writes a plain HTTP answer on that socket (errors).
 */
export type ConnectHandler = (ctx: { user: UserInfo; info: RequestInfo; target: Target; query: URLSearchParams; req: IncomingMessage; res: ServerResponse; upgrade?: UpgradeSocket }) => Promise<void>;
