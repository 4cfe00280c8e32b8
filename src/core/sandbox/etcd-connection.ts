// Connecting the control plane to an existing etcd cluster (a classroom sharing one), with the
// files a person passes on the command line.
import { readFile } from 'node:fs/promises';
import type { KV } from './store/kv.js';
import { EtcdKV } from './store/etcd-kv.js';
import { SandboxStartError } from './errors.js';
import type { EtcdConnection } from './sandbox.js';

async function readPem(path: string | undefined, flag: string): Promise<Buffer | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    throw new SandboxStartError(`cannot read ${flag} file ${path}: ${(error as Error).message}`, `check the path given to ${flag}`);
  }
}

export async function connectEtcd(connection: EtcdConnection): Promise<KV> {
  const [ca, cert, key] = await Promise.all([
    readPem(connection.caFile, '--etcd-cacert'),
    readPem(connection.certFile, '--etcd-cert'),
    readPem(connection.keyFile, '--etcd-key'),
  ]);
  try {
    const kv = await EtcdKV.connect({ endpoints: connection.endpoints, ca, cert, key });
    await kv.status();
    return kv;
  } catch (error) {
    throw new SandboxStartError(
      `cannot reach etcd at ${connection.endpoints.join(', ')}: ${(error as Error).message}`,
      'check --etcd-endpoints and, for TLS, --etcd-cacert, --etcd-cert and --etcd-key',
      { cause: error },
    );
  }
}
