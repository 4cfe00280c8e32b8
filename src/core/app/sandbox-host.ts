// Child-process entry that runs the embedded sandbox, so that a busy control plane (thousands of
// pods, a long compaction) never stalls the UI server. The parent talks to it over fork's IPC.
import { Sandbox } from '../sandbox/sandbox.js';
import { SandboxStartError } from '../sandbox/errors.js';
import type { SandboxHostMessage } from './sandbox-process.js';
import { SandboxNodeControl, type NodeControlOp } from './sandbox-node-control.js';

const NODE_OPS: readonly NodeControlOp[] = ['list', 'add', 'remove', 'stop', 'start'];

function send(message: SandboxHostMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const dataDir = process.env.KUBEDESK_SANDBOX_DATA_DIR;
  if (!dataDir || !process.send) {
    process.stderr.write('sandbox-host: run by the Kubedesk app (fork with KUBEDESK_SANDBOX_DATA_DIR), not directly\n');
    process.exit(2);
  }
  let sandbox: Sandbox;
  try {
    sandbox = await Sandbox.start({ dataDir, port: Number(process.env.KUBEDESK_SANDBOX_PORT ?? 0), nodes: Number(process.env.KUBEDESK_SANDBOX_NODES ?? 1) });
  } catch (error) {
    const hint = error instanceof SandboxStartError ? error.hint : 'run again with KUBEDESK_DEBUG=1 and report the error';
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error), hint });
    process.exit(1);
  }
  send({ type: 'ready', url: sandbox.url, kubeconfigPath: sandbox.kubeconfigPath });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sandbox.stop().catch(() => undefined);
    process.exit(0);
  };
  const nodes = new SandboxNodeControl(sandbox.controlPlane.client, () => sandbox.controlPlane.fleet());
  process.on('message', (message: unknown) => {
    const m = message as { type?: unknown; id?: unknown; op?: unknown; name?: unknown } | null;
    if (m?.type === 'stop') void stop();
    // The app's node controls: one request, one answer with the same id.
    if (m?.type === 'control' && typeof m.id === 'number') {
      const id = m.id;
      const op = m.op as NodeControlOp;
      if (!NODE_OPS.includes(op)) return send({ type: 'control-result', id, error: `unknown node operation ${JSON.stringify(m.op)}` });
      nodes.run(op, typeof m.name === 'string' ? m.name : undefined).then(
        (result) => send({ type: 'control-result', id, result }),
        (error: unknown) => send({ type: 'control-result', id, error: error instanceof Error ? error.message : String(error) }),
      );
    }
  });
  // The parent died or closed the channel: nobody can use this sandbox any more.
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main();
