// What a simulated program can use: its container's filesystem, processes, network and memory.
import type { Clock } from '../../../clock/clock.js';
import type { Disposable } from '../../../../shared/disposable.js';
import type { ContainerConnection, HttpRequest, HttpResponse, IngressRoutes, Network, NetworkEndpoint, Resolver } from '../types.js';
import type { Vfs } from '../vfs.js';
import type { InputStream, OutputStream } from './io.js';
import type { Proc, ProcessTable } from './process.js';

export type OsFlavor = 'busybox' | 'alpine' | 'debian' | 'ubuntu' | 'distroless';

export interface Listener {
  http?(request: HttpRequest): Promise<HttpResponse>;
  /** Raw TCP; when absent, connections speak HTTP/1.1 to http(). */
  tcp?(connection: ContainerConnection): void;
}

export interface System {
  fs: Vfs;
  clock: Clock;
  procs: ProcessTable;
  hostname: string;
  podIP: string;
  namespace: string;
  os: OsFlavor;
  /** The image's repository and tag ("busybox", "1.28"): some tools print differently per version. */
  image: { repository: string; tag: string };
  /** Extra nameserver search domains, from the pod's namespace. */
  searchDomains: string[];
  /** The pod's own listeners (localhost and the pod IP reach them without the network). */
  localEndpoint(port: number): NetworkEndpoint | undefined;
  resolver: Resolver;
  network: Network;
  /** The cluster's Ingress rules (ingress controller images); absent outside a cluster. */
  ingress?: IngressRoutes;
  /** A program by name or path, as PATH lookup would find it; undefined: "not found". */
  findProgram(name: string): Program | undefined;
  listen(port: number, listener: Listener): Disposable;
  /** The main process's stdout/stderr (the container log). */
  pid1Output(stream: 'stdout' | 'stderr'): OutputStream;
  /** Counts memory the program holds; throws OutOfMemory beyond the container's limit. */
  allocate(bytes: number): void;
  release(bytes: number): void;
  /** Marks CPU use (nanocores) until the returned disposable is disposed, for metrics. */
  busy(nanoCores: number): Disposable;
}

export interface ProgramContext {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  proc: Proc;
  sys: System;
  tty: boolean;
}

/** A simulated executable: resolves with its exit status. */
export type Program = (ctx: ProgramContext) => Promise<number>;
