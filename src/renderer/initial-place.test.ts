import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../shared/rpc/contract.js';
import { initialClusterId, placeFor, savedPlace } from './initial-place.js';

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
    const saved = savedPlace({ theme: 'system', kubeconfigPaths: [], lastClusterId: 'sandbox', lastKind: 'deployments', lastNamespace: 'team-a' });
    expect(placeFor('sandbox', saved)).toEqual({ kind: 'deployments', namespaces: ['team-a'] });
    expect(placeFor('kubeconfig:a', saved)).toEqual({});
    expect(placeFor('sandbox', { clusterId: 'sandbox', namespace: '' })).toEqual({ namespaces: [] });
    expect(savedPlace(undefined)).toEqual({});
  });
});
