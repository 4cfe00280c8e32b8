import { describe, expect, it } from 'vitest';
import { MemoryLogStore } from './log-store.js';
import { NodePodLogsView } from './node-log-view.js';

describe('NodePodLogsView', () => {
  it("lists this node's pods and containers as /var/log/pods does and reads their logs in the CRI format", () => {
    const logs = new MemoryLogStore();
    logs.startInstance('default', 'web-1', 'uid-1', 'nginx').append('stdout', 'GET / 200\n', new Date('2026-11-24T20:00:00.5Z'));
    const pods = [{ namespace: 'default', name: 'web-1', uid: 'uid-1', containers: [{ config: { name: 'nginx' } }] }];
    const view = new NodePodLogsView(() => pods, logs);
    expect(view.list('/')).toEqual(['default_web-1_uid-1']);
    expect(view.isDirectory('default_web-1_uid-1')).toBe(true);
    expect(view.list('default_web-1_uid-1')).toEqual(['nginx']);
    expect(view.list('default_web-1_uid-1/nginx')).toEqual(['0.log']);
    expect(new TextDecoder().decode(view.read('default_web-1_uid-1/nginx/0.log'))).toBe('2026-11-24T20:00:00.500000000Z stdout F GET / 200\n');
    expect(view.read('default_web-1_uid-1/other/0.log')).toBeUndefined();
    // Live: a pod that leaves the node leaves the listing.
    pods.pop();
    expect(view.list('/')).toEqual([]);
    expect(view.isDirectory('default_web-1_uid-1')).toBe(false);
  });
});
