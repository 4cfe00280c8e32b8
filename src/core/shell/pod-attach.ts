// `kubectl attach` for a running container, through the attach API (WebSocket, v5.channel.k8s.io
// with v4 as fallback, as client-node negotiates): stdin and a TTY when the container has them
// (`kubectl run -it` style), its output only otherwise. Closing the tab detaches; it does not stop
// the container. When the main process ends, the exit code comes from the pod's status.
import { PassThrough } from 'node:stream';
import { Attach, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { TerminalOutput, type SessionBackend } from './pod-shell.js';

export interface AttachOptions {
  namespace: string;
  pod: string;
  container: string;
  cols: number;
  rows: number;
}

/** Whether the container was started with stdin and a TTY (the attach query asks for what it has). */
export function containerStreams(pod: V1Pod, container: string): { stdin: boolean; tty: boolean } {
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].find((c) => c.name === container);
  if (!spec) throw new Error(`pod "${pod.metadata?.name ?? ''}" has no container "${container}": pick one of its containers`);
  return { stdin: spec.stdin === true, tty: spec.stdin === true && spec.tty === true };
}

function terminatedCode(pod: V1Pod, container: string): number | undefined {
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
  // A container that restarted already shows its last run in lastState.
  return status?.state?.terminated?.exitCode ?? status?.lastState?.terminated?.exitCode ?? undefined;
}

export async function openPodAttach(
  config: KubeConfig,
  options: AttachOptions,
  handlers: { onData(data: string): void; onExit(code: number, message?: string): void },
): Promise<SessionBackend & { streams: { stdin: boolean; tty: boolean } }> {
  const api = config.makeApiClient(CoreV1Api);
  const pod = await api.readNamespacedPod({ name: options.pod, namespace: options.namespace });
  const streams = containerStreams(pod, options.container);
  const phase = pod.status?.phase;
  if (phase !== 'Running') throw new Error(`cannot attach to pod "${options.pod}": it is ${phase ?? 'not running'}; attach works on a running container`);
  const convert = (d: string) => (streams.tty ? d : d.replace(/(?<!\r)\n/g, '\r\n'));
  const stdout = new TerminalOutput(options.cols, options.rows, (d) => handlers.onData(convert(d)));
  const stderr = streams.tty ? null : new TerminalOutput(options.cols, options.rows, (d) => handlers.onData(convert(d)));
  const stdin = streams.stdin ? new PassThrough() : null;
  const ws = await new Attach(config).attach(options.namespace, options.pod, options.container, stdout, stderr, stdin, streams.tty);
  let closed = false;
  const finish = (code: number, message?: string) => {
    if (closed) return;
    closed = true;
    handlers.onExit(code, message);
  };
  ws.on('close', () => {
    if (closed) return;
    // The stream ends when the main process does: its exit code is in the pod's status (give the
    // kubelet a moment to write it).
    void (async () => {
      for (let i = 0; i < 10 && !closed; i++) {
        const now = await api.readNamespacedPod({ name: options.pod, namespace: options.namespace }).catch(() => undefined);
        const code = now && terminatedCode(now, options.container);
        if (code !== undefined) return finish(code);
        await new Promise((r) => setTimeout(r, 300));
      }
      finish(-1, 'the attach stream closed');
    })();
  });
  const resize = (cols: number, rows: number) => {
    stdout.columns = cols;
    stdout.rows = rows;
    stdout.emit('resize');
  };
  if (streams.tty) handlers.onData('\x1b[2mIf you don\'t see a command prompt, try pressing enter.\x1b[0m\r\n');
  else if (!streams.stdin) handlers.onData('\x1b[2mThe container has no stdin: showing its output only.\x1b[0m\r\n');
  return {
    streams,
    write: (data) => void stdin?.write(data),
    resize,
    kill: () => {
      closed = true;
      ws.close();
    },
  };
}
