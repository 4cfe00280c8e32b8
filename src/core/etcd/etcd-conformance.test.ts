// The KV conformance suite, through the etcd3 client (EtcdKV), against our etcd endpoint over the
// embedded store: whatever the store guarantees must survive the trip through etcd's gRPC API.
import { EtcdKV } from '../sandbox/store/etcd-kv.js';
import { runKvConformance } from '../sandbox/store/kv-conformance.js';
import { startTestEndpoint } from './test-endpoint.js';

runKvConformance('EtcdKV over the sandbox etcd endpoint', async () => {
  const endpoint = await startTestEndpoint();
  const kv = await EtcdKV.connect({
    endpoints: [endpoint.server.url],
    ca: Buffer.from(endpoint.certs.ca),
    cert: Buffer.from(endpoint.certs.cert),
    key: Buffer.from(endpoint.certs.key),
  });
  return {
    kv,
    cleanup: async () => {
      await kv.close();
      await endpoint.cleanup();
    },
  };
});
