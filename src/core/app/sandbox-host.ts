// Child-process entry that runs the embedded sandbox, so that a busy control plane (thousands of
// pods, a long compaction) never stalls the UI server. The parent talks to it over fork's IPC.
import { Sandbox } from '../sandbox/sandbox.js';
import { SandboxStartError } from '../sandbox/errors.js';
import type { SandboxHostMessage } from './sandbox-process.js';

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
  process.on('message', (message: unknown) => {
    if ((message as { type?: unknown })?.type === 'stop') void stop();
  });
  // The parent died or closed the channel: nobody can use this sandbox any more.
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main();
