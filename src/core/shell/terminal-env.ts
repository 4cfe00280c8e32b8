// What a terminal's environment adds for a cluster: for the sandbox, etcdctl pointed at the sandbox's
// etcd endpoint (ETCDCTL_* variables from <data-dir>/etcd-endpoint and <data-dir>/certs/etcd/), and
// the words a terminal prints when kubectl or etcdctl cannot be found.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** ETCDCTL_* for the sandbox in `dataDir`; undefined while its etcd endpoint is not up. */
export function sandboxEtcdEnv(dataDir: string): Record<string, string> | undefined {
  let endpoint: string;
  try {
    endpoint = readFileSync(join(dataDir, 'etcd-endpoint'), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (endpoint === '') return undefined;
  const certs = join(dataDir, 'certs', 'etcd');
  const files = { ETCDCTL_CACERT: join(certs, 'ca.crt'), ETCDCTL_CERT: join(certs, 'server.crt'), ETCDCTL_KEY: join(certs, 'server.key') };
  if (!Object.values(files).every((f) => existsSync(f))) return undefined;
  return { ETCDCTL_API: '3', ETCDCTL_ENDPOINTS: endpoint, ...files };
}

export function findOnPath(name: string, path: string | undefined): string | undefined {
  const file = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, file))) return join(dir, file);
  }
  return undefined;
}

const YELLOW = '\x1b[33m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export const KUBECTL_MISSING = `${YELLOW}kubectl is not on the PATH: install it (https://kubernetes.io/docs/tasks/tools/, or \`sudo apt install kubectl\` from Kubernetes' apt repository), or run \`npm install\` in Kubedesk to fetch it into .tools/bin.${RESET}\r\n`;

export const ETCDCTL_MISSING = `${DIM}etcdctl is not installed: \`sudo apt install etcd-client\` (Debian/Ubuntu) to look inside the sandbox's etcd; ETCDCTL_ENDPOINTS and its certificates are already set.${RESET}\r\n`;
