"""Follows ConfigMaps in a namespace with the official Python client (Debian's python3-kubernetes),
re-watching from the last resourceVersion whenever the stream ends, as a controller would. Prints
one line per event: TYPE NAME RESOURCEVERSION. Used by clients.test.ts."""
import sys
import time

from kubernetes import client, config, watch

kubeconfig, namespace = sys.argv[1], sys.argv[2]
config.load_kube_config(config_file=kubeconfig)
v1 = client.CoreV1Api()
listing = v1.list_namespaced_config_map(namespace)
rv = listing.metadata.resource_version
print("LISTED", len(listing.items), rv, flush=True)
while True:
    try:
        w = watch.Watch()
        for event in w.stream(v1.list_namespaced_config_map, namespace, resource_version=rv, timeout_seconds=60):
            obj = event["object"]
            rv = obj.metadata.resource_version
            print(event["type"], obj.metadata.name, rv, flush=True)
    except Exception as error:  # the sandbox restarting: connection refused or reset
        print("RETRY", type(error).__name__, flush=True)
        time.sleep(0.3)
