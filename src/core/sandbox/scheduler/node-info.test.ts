import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/kube.js';
import { NodeInfo } from './node-info.js';

const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } };

function pod(name: string, cpu: string | undefined, owner: string, hostPort?: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] },
    spec: { containers: [{ name: 'c', image: 'nginx', ...(cpu ? { resources: { requests: { cpu } } } : {}), ...(hostPort ? { ports: [{ containerPort: 80, hostPort }] } : {}) }] },
  };
}

function sums(info: NodeInfo) {
  return { requested: Object.fromEntries(info.requested()), nonZero: info.nonZeroRequested(), ports: info.usedPorts().map((p) => p.port).sort(), a: info.ownedBy('a'), b: info.ownedBy('b') };
}

describe('NodeInfo', () => {
  it('keeps its sums as pods are added, replaced and removed, as a recount from scratch finds them', () => {
    const info = new NodeInfo(node);
    info.setPod('default/p1', pod('p1', '500m', 'a'));
    expect(sums(info).requested).toEqual({ cpu: 500 });
    info.setPod('default/p2', pod('p2', undefined, 'a', 8080));
    info.setPod('default/p3', pod('p3', '250m', 'b'));
    // A new object for the same pod (a status update) replaces its share, not adds to it.
    info.setPod('default/p1', pod('p1', '500m', 'a'));
    info.setPod('default/p3', pod('p3', '1', 'b', 9090));
    expect(info.removePod('default/p2')).toBe(true);
    expect(info.removePod('default/p2')).toBe(false);

    const fresh = new NodeInfo(node);
    for (const [key, p] of info.pods) fresh.setPod(key, p);
    expect(sums(info)).toEqual(sums(fresh));
    expect(sums(info)).toEqual({ requested: { cpu: 1500 }, nonZero: { cpu: 1500, memory: 2 * 200 * 1024 * 1024 * 1000 }, ports: [9090], a: 1, b: 1 });
  });
});
