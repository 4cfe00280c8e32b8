import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergePaths, resolveLoginShellPath } from './login-path.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kubedesk-login-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe('login shell PATH', () => {
  it("reads bash's login PATH (~/.bash_profile), ignoring what the rc files print", async () => {
    await writeFile(join(home, '.bash_profile'), 'echo "welcome to this machine"\nexport PATH="/opt/cloud-sdk/bin:$PATH"\n');
    const { path, problem } = await resolveLoginShellPath({ shell: '/bin/bash', env: { HOME: home, PATH: '/usr/bin:/bin' } });
    expect(problem).toBeUndefined();
    expect(path.split(':')[0]).toBe('/opt/cloud-sdk/bin');
    expect(path.split(':')).toContain('/usr/bin');
    expect(new Set(path.split(':')).size).toBe(path.split(':').length);
  });

  it('gives up after its timeout and keeps our own PATH, saying why', async () => {
    const slow = await mkdtemp(join(tmpdir(), 'kubedesk-login-slow-'));
    await writeFile(join(slow, '.bash_profile'), 'sleep 20\n');
    const started = Date.now();
    const { path, problem } = await resolveLoginShellPath({ shell: '/bin/bash', timeoutMs: 500, env: { HOME: slow, PATH: '/usr/bin:/bin' } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(path).toBe('/usr/bin:/bin');
    expect(problem).toContain('did not answer within 0.5 s');
    await rm(slow, { recursive: true, force: true });
  });

  it('merges without duplicates, login shell first', () => {
    expect(mergePaths('/a:/b::/a', '/b:/c')).toBe('/a:/b:/c');
  });
});
