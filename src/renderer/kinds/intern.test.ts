import { describe, expect, it } from 'vitest';
import { StringPool } from './intern.js';

const pod = (i: number) => JSON.parse(JSON.stringify({
  metadata: { name: `p-${i}`, uid: `u-${i}`, labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', args: ['--port', '80'] }], tolerations: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] },
})) as { metadata: { name: string; uid: string; labels: Record<string, string> }; spec: { containers: { image: string; args: string[] }[]; tolerations: { key: string }[] } };

describe('string pool', () => {
  it('keeps objects equal and their shared strings pooled, without pooling unique values', () => {
    const pool = new StringPool();
    const a = pool.intern(pod(1));
    const b = pool.intern(pod(2));
    expect(a).toEqual(pod(1));
    expect(b).toEqual(pod(2));
    expect(pool.size).toBeLessThan(10);
    const size = pool.size;
    for (let i = 3; i < 1000; i++) pool.intern(pod(i));
    // Names and uids differ for every object: the pool does not grow with them.
    expect(pool.size).toBe(size);
  });
});
