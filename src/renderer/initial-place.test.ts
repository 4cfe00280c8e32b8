import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../shared/rpc/contract.js';
import { makeAutoObservable } from 'mobx';
import type { KubeObject } from '../shared/kube.js';
import { fallBackWhenGone, initialClusterId, placeFor, savedPlace, type PlaceHost } from './initial-place.js';

const cluster = (id: string, extra: Partial<ClusterInfo> = {}): ClusterInfo => ({ id, name: id, source: id === 'sandbox' ? 'sandbox' : 'kubeconfig', server: '', state: 'connecting', ...extra });

describe('where the app opens', () => {
  it('goes back to the saved cluster while it is listed', () => {
    const list = [cluster('sandbox', { state: 'stopped' }), cluster('kubeconfig:a', { current: true }), cluster('kubeconfig:b')];
    expect(initialClusterId(list, { clusterId: 'kubeconfig:b' })).toBe('kubeconfig:b');
    expect(initialClusterId(list, { clusterId: 'sandbox' })).toBe('sandbox');
  });

  it('falls back to the current-context when the saved cluster is gone or nothing was saved, never starting the sandbox for it', () => {
    const list = [cluster('sandbox', { state: 'stopped' }), cluster('kubeconfig:a'), cluster('kubeconfig:b', { current: true })];
    expect(initialClusterId(list, { clusterId: 'kubeconfig:gone' })).toBe('kubeconfig:b');
    expect(initialClusterId(list, {})).toBe('kubeconfig:b');
    // No current-context: the sandbox, which the user then sees stopped and selected.
    expect(initialClusterId([cluster('sandbox', { state: 'stopped' }), cluster('kubeconfig:a')], {})).toBe('sandbox');
  });

  it('opens on the sandbox when it started by itself as the only cluster', () => {
    expect(initialClusterId([cluster('sandbox', { state: 'connected' })], {})).toBe('sandbox');
    expect(initialClusterId([], {})).toBeUndefined();
  });

  it('restores kind and namespace only on the cluster they were saved for', () => {
    const saved = savedPlace({ theme: 'system', kubeconfigPaths: [], lastClusterId: 'sandbox', lastKind: 'deployments', lastNamespace: 'team-a', lastView: 'overview' });
    expect(placeFor('sandbox', saved)).toEqual({ kind: 'deployments', namespaces: ['team-a'], view: 'overview' });
    expect(placeFor('kubeconfig:a', saved)).toEqual({});
    expect(placeFor('sandbox', { clusterId: 'sandbox', namespace: '' })).toEqual({ namespaces: [] });
    expect(savedPlace(undefined)).toEqual({});
  });
});

class Host implements PlaceHost {
  clusterId: string | undefined = 'sandbox';
  cluster = cluster('sandbox');
  discovery: unknown = undefined;
  views = [{ name: 'pods' }, { name: 'deployments' }];
  kind = 'gadgets.example.com';
  namespaces: string[] = ['gone'];
  namespacesLoaded = false;
  constructor() {
    makeAutoObservable(this);
  }
  collection(id: string): { loaded: boolean; objects: Map<string, KubeObject> } | undefined {
    if (id !== 'namespaces') return undefined;
    return { loaded: this.namespacesLoaded, objects: new Map([['u', { metadata: { name: 'default' } }]]) };
  }
  setKind(kind: string): void {
    this.kind = kind;
  }
  setNamespaces(namespaces: string[]): void {
    this.namespaces = namespaces;
  }
}

describe('a restored place that no longer exists', () => {
  it('falls back to pods once discovery is known, and to all namespaces once the namespaces are', () => {
    const host = new Host();
    fallBackWhenGone(host, 'sandbox');
    expect([host.kind, host.namespaces]).toEqual(['gadgets.example.com', ['gone']]);
    host.discovery = {};
    expect(host.kind).toBe('pods');
    host.namespacesLoaded = true;
    expect(host.namespaces).toEqual([]);
  });

  it('keeps what exists, and leaves a cluster the user has left alone', () => {
    const host = new Host();
    host.kind = 'deployments';
    host.namespaces = ['default'];
    fallBackWhenGone(host, 'sandbox');
    host.discovery = {};
    host.namespacesLoaded = true;
    expect([host.kind, host.namespaces]).toEqual(['deployments', ['default']]);
    const other = new Host();
    fallBackWhenGone(other, 'sandbox');
    other.clusterId = 'kubeconfig:a';
    other.discovery = {};
    expect(other.kind).toBe('gadgets.example.com');
  });
});
