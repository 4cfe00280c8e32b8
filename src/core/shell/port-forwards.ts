// Port-forwards to pods and services: a local TCP listener on 127.0.0.1 whose every connection opens
// one WebSocket port-forward stream (client-node's PortForward) to the pod. A service resolves to
// one of its ready pods at start, as kubectl does.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import type { Disposable } from '../../shared/disposable.js';
import type { PortForwardInfo } from '../../shared/rpc/terminal-contract.js';
import { kubeGet } from '../app/kube-http.js';

// The contract's type: what the UI shows is exactly what the manager reports.
export type { PortForwardInfo };

export interface PortForwardRequest {
  clusterId?: string;
  namespace: string;
  kind: 'pod' | 'service';
  name: string;
  /** Pod: the container port. Service: the service port (mapped to its targetPort). */
  port: number;
  /** 0 or absent: any free port. */
  localPort?: number;
}

interface ServiceShape {
  spec?: { selector?: Record<string, string>; ports?: { port: number; targetPort?: number | string; name?: string }[] };
}
interface PodShape {
  metadata?: { name?: string };
  spec?: { containers?: { ports?: { name?: string; containerPort: number }[] }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

async function resolveTarget(config: KubeConfig, req: PortForwardRequest): Promise<{ pod: string; port: number }> {
  const ns = encodeURIComponent(req.namespace);
  if (req.kind === 'pod') return { pod: req.name, port: req.port };
  const service = (await kubeGet(config, `/api/v1/namespaces/${ns}/services/${encodeURIComponent(req.name)}`)) as ServiceShape;
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) throw new Error(`service ${req.name} has no selector: forward to one of its pods instead`);
  const servicePort = service.spec?.ports?.find((p) => p.port === req.port);
  if (!servicePort) throw new Error(`service ${req.name} has no port ${req.port}`);
  const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = ((await kubeGet(config, `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(labelSelector)}`)) as { items?: PodShape[] }).items ?? [];
  const ready = pods.find((p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  if (!ready?.metadata?.name) throw new Error(`service ${req.name} has no ready pod to forward to; wait for its pods to be ready`);
  const target = servicePort.targetPort ?? servicePort.port;
  let port = typeof target === 'number' ? target : Number(target);
  if (!Number.isInteger(port)) {
    const named = ready.spec?.containers?.flatMap((c) => c.ports ?? []).find((p) => p.name === target);
    if (!named) throw new Error(`pod ${ready.metadata.name} has no port named "${String(target)}"`);
    port = named.containerPort;
  }
  return { pod: ready.metadata.name, port };
}

export class PortForwardManager implements Disposable {
  private readonly forwards = new Map<string, { info: PortForwardInfo; server: Server; sockets: Set<Socket> }>();

  async start(config: KubeConfig, req: PortForwardRequest): Promise<PortForwardInfo> {
    const { pod, port } = await resolveTarget(config, req);
    const forwarder = new PortForward(config, true);
    const sockets = new Set<Socket>();
    const id = randomUUID();
    const server = createServer((socket) => {
      const entry = this.forwards.get(id);
      if (entry) entry.info.connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      forwarder.portForward(req.namespace, pod, [port], socket, null, socket).then(
        (ws) => {
          if (typeof ws !== 'function') ws.on('close', () => socket.end());
        },
        (error: unknown) => {
          if (entry) entry.info.error = error instanceof Error ? error.message : String(error);
          socket.destroy();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code === 'EADDRINUSE' ? `local port ${req.localPort} is already in use: pick another or leave it empty` : error.message)));
      server.listen(req.localPort ?? 0, '127.0.0.1', resolve);
    });
    const localPort = (server.address() as AddressInfo).port;
    const info: PortForwardInfo = { id, clusterId: req.clusterId, namespace: req.namespace, kind: req.kind, name: req.name, pod, remotePort: port, localPort, url: `http://127.0.0.1:${localPort}/`, connections: 0 };
    this.forwards.set(id, { info, server, sockets });
    return { ...info };
  }

  list(): PortForwardInfo[] {
    return [...this.forwards.values()].map((f) => ({ ...f.info }));
  }

  stop(id: string): void {
    const entry = this.forwards.get(id);
    if (!entry) return;
    this.forwards.delete(id);
    entry.server.close();
    for (const s of entry.sockets) s.destroy();
  }

  dispose(): void {
    for (const id of [...this.forwards.keys()]) this.stop(id);
  }
}
