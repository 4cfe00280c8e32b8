// `kubedesk sandbox`: the embedded cluster, headless, in the foreground until SIGINT/SIGTERM.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../core/sandbox/sandbox.js';
import { SandboxStartError } from '../core/sandbox/errors.js';
import { parseFlags, usage, type FlagSpec } from './args.js';

export const sandboxFlags: Record<string, FlagSpec> = {
  'data-dir': { type: 'string', description: 'where the cluster state, certificates and kubeconfig live', default: defaultDataDir() },
  kubeconfig: { type: 'string', description: 'kubeconfig file to write or merge the sandbox context into (default <data-dir>/kubeconfig)' },
  port: { type: 'int', description: 'HTTPS port on 127.0.0.1; 0 picks a free one', default: 6443 },
  nodes: { type: 'int', description: 'number of simulated nodes (the first is the control plane)', default: 1 },
  'etcd-endpoints': { type: 'list', description: 'run on an existing etcd cluster instead of the embedded store (URL[,URL...])' },
  'etcd-cacert': { type: 'string', description: 'CA certificate file for etcd TLS' },
  'etcd-cert': { type: 'string', description: 'client certificate file for etcd TLS' },
  'etcd-key': { type: 'string', description: 'client key file for etcd TLS' },
  verbose: { type: 'bool', description: 'log server errors to stderr', default: false },
  help: { type: 'bool', description: 'show this help', default: false },
};

function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'kubedesk', 'sandbox');
}

export async function runSandbox(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const flags = parseFlags(argv, sandboxFlags);
  if (flags.help) {
    out(usage('sandbox', 'Runs the embedded Kubernetes sandbox until interrupted (Ctrl+C).', sandboxFlags));
    return 0;
  }
  const nodes = flags.nodes as number;
  if (nodes < 1 || nodes > 1000) throw new SandboxStartError(`--nodes must be between 1 and 1000, got ${nodes}`, 'pass a number of nodes such as --nodes 3');
  const port = flags.port as number;
  if (port > 65535) throw new SandboxStartError(`--port ${port} is not a TCP port`, 'pass a port between 1 and 65535, or 0 for a free one');
  const etcdEndpoints = flags['etcd-endpoints'] as string[] | undefined;
  const sandbox = await Sandbox.start({
    dataDir: flags['data-dir'] as string,
    kubeconfigPath: flags.kubeconfig as string | undefined,
    port,
    nodes,
    etcd: etcdEndpoints?.length
      ? { endpoints: etcdEndpoints, caFile: flags['etcd-cacert'] as string | undefined, certFile: flags['etcd-cert'] as string | undefined, keyFile: flags['etcd-key'] as string | undefined }
      : undefined,
    log: flags.verbose ? err : undefined,
  });
  out(`Kubedesk sandbox ready at ${sandbox.url} (kubeconfig ${sandbox.kubeconfigPath}, context kubedesk-sandbox)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.stop();
  return 0;
}
