// The logs core against a real sandbox: a 3-replica deployment's pods merged in time order, a pod
// added later joined automatically, and a followed pod's new lines arriving every second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSingleContext } from '../../src/core/app/kubeconfig.js';
import { LogSession, type SessionEntry } from '../../src/core/logs/log-session.js';
import { DEFAULT_CONTEXT_NAME } from '../../src/core/sandbox/apiserver/auth/kubeconfig.js';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { ok, poll, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 2 });
  kubectl = kubectlFor(sandbox);
  await ok(kubectl, ['create', 'deployment', 'pinger', '--image=busybox', '--replicas=3', '--', 'sh', '-c', 'i=0; while true; do echo "ping $i from $HOSTNAME"; i=$((i+1)); sleep 1; done']);
  await ok(kubectl, ['rollout', 'status', 'deploy/pinger', '--timeout=90s'], {});
});

afterAll(async () => {
  await sandbox?.stop();
  if (sandbox) await removeDir(sandbox.dataDir);
});

describe('LogSession on a sandbox', () => {
  it('merges the pods of a selector in time order, each with its colour, and joins a pod added later', async () => {
    const got: SessionEntry[] = [];
    const session = new LogSession(loadSingleContext(sandbox.kubeconfig, DEFAULT_CONTEXT_NAME), { namespace: 'default', selector: 'app=pinger', follow: true, tailLines: 5 }, { onEntries: (e) => got.push(...e) }, 500);
    try {
      const pods = (await ok(kubectl, ['get', 'pods', '-l', 'app=pinger', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
      expect(pods).toHaveLength(3);
      await poll('lines of all three pods', async () => new Set(got.map((e) => e.pod)).size === 3, 30_000);
      expect(new Set(got.map((e) => e.colour))).toEqual(new Set([0, 1, 2]));
      const start = got.length;
      await new Promise((r) => setTimeout(r, 3000));
      const recent = got.slice(start);
      // Followed: every pod printed new lines (one per second) while we waited.
      for (const pod of pods) expect(recent.filter((e) => e.pod === pod).length).toBeGreaterThanOrEqual(2);
      for (const e of recent) expect(e.text).toMatch(new RegExp(`^ping \\d+ from ${e.pod}$`));
      // Within one pod, no gap and no duplicate.
      for (const pod of pods) {
        const numbers = got.filter((e) => e.pod === pod).map((e) => Number(/ping (\d+)/.exec(e.text)![1]));
        expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i));
      }
      await ok(kubectl, ['scale', 'deploy/pinger', '--replicas=4']);
      await poll('the fourth pod joined', async () => new Set(got.map((e) => e.pod)).size === 4, 60_000);
      expect(session.streamKeys).toHaveLength(4);
    } finally {
      session.dispose();
    }
  });
});
