// Upgraded connections are no longer the HTTP server's: stopping the sandbox must end them.
import { describe, expect, it } from 'vitest';
import { freePort, runningPod, startKubectl, startTestSandbox } from './test-sandbox.js';
import { ScriptedContainer } from './test-doubles.js';

describe('sandbox shutdown with streaming sessions open', () => {
  it('stops promptly while port-forward and exec sessions are connected', async () => {
    const t = await startTestSandbox();
    await runningPod(t, 'nginx', [new ScriptedContainer('nginx', [], [80])]);
    const port = await freePort();
    const pf = startKubectl(t, ['port-forward', 'pod/nginx', `${port}:80`]);
    const exec = startKubectl(t, ['exec', '-i', 'nginx', '--', 'cat']);
    try {
      await pf.waitFor(/Forwarding from/);
      exec.child.stdin.write('still here\n');
      await exec.waitFor(/still here/);
      const started = Date.now();
      await t.stop();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await pf.exited).not.toBe(null);
    } finally {
      await pf.stop();
      await exec.stop();
    }
  });
});
