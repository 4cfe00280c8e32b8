import { describe, expect, it } from 'vitest';
import { newContainerId } from './container-config.js';

describe('newContainerId', () => {
  it('gives containerd IDs of 32 random bytes, all different across refills of its pool', () => {
    const ids = Array.from({ length: 200 }, () => newContainerId());
    for (const id of ids) expect(id).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
