import { describe, expect, it } from 'vitest';
import { containerStreams } from './pod-attach.js';
import { nodeShellPod } from './node-shell.js';

describe('attach and node shells', () => {
  it('attach asks for stdin and a TTY only when the container has them', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'it', stdin: true, tty: true }, { name: 'plain' }, { name: 'in', stdin: true }], initContainers: [{ name: 'init' }] } };
    expect(containerStreams(pod, 'it')).toEqual({ stdin: true, tty: true });
    expect(containerStreams(pod, 'plain')).toEqual({ stdin: false, tty: false });
    expect(containerStreams(pod, 'in')).toEqual({ stdin: true, tty: false });
    expect(containerStreams(pod, 'init')).toEqual({ stdin: false, tty: false });
    expect(() => containerStreams(pod, 'nope')).toThrow(/no container "nope"/);
  });

  it('the node shell pod is pinned to the node, privileged in its namespaces, and tolerates every taint', () => {
    const pod = nodeShellPod('worker-2');
    expect(pod.spec?.nodeName).toBe('worker-2');
    expect(pod.spec).toMatchObject({ hostPID: true, hostNetwork: true, hostIPC: true, restartPolicy: 'Never', tolerations: [{ operator: 'Exists' }] });
    expect(pod.spec?.containers[0].securityContext?.privileged).toBe(true);
    expect(pod.metadata?.name).toMatch(/^node-shell-[0-9a-f]{6}$/);
    expect(nodeShellPod('worker-2').metadata?.name).not.toBe(pod.metadata?.name);
  });
});
