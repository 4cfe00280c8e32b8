// The simulated container runtime. How the kubelet uses it:
//
//   const runtime = createRuntime({ clock, resolver, network });
//   const pulled = await runtime.pull(spec.image);            // ErrImagePull message when !pulled.ok
//   const c = runtime.create({ ...ContainerConfig });          // env fully resolved, files = configMap/
//   c.onDidOutput(...); c.onDidExit(...); c.start();           //   secret/downwardAPI/token files,
//                                                              //   volumes = emptyDir/PVC stores
//
// resolver.resolve(fqdn) answers cluster DNS for fully-qualified names (no trailing dot): services
// "svc.ns.svc.cluster.local" -> [ClusterIP] (headless: every ready pod IP), "pod-0.svc.ns.svc.cluster.local"
// for StatefulSet pods under a headless service, "10-244-1-5.ns.pod.cluster.local" -> ["10.244.1.5"];
// anything else undefined. Containers apply their own search list (<ns>.svc.cluster.local,
// svc.cluster.local, cluster.local) and /etc/hosts.
//
// network.connect(ip, port) returns the endpoint for a pod IP (the container of that pod listening
// on the port: `container.listeningPorts()` / `container.http()`), or for a Service ClusterIP (pick
// a ready endpoint, map port -> targetPort); undefined means connection refused. A container reaches
// its own pod's listeners on localhost without the network.
//
// Semantics worth knowing: the main process is PID 1, so a shell without a `trap` ignores SIGTERM (the
// kubelet's SIGKILL after the grace period ends it with 137, as on a real node); images whose server
// handles TERM (nginx, redis, mysql...) exit 0 promptly. Exits carry reason Completed/Error/OOMKilled/
// StartError; `message` is /dev/termination-log when written, else the log tail.
export { createRuntime, parseImageReference, SimRuntime } from './runtime.js';
export { MemoryVolumeStore } from './volume-store.js';
export type * from './types.js';
