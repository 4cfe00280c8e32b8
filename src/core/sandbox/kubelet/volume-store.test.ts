import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VolumeStore } from '../runtime/types.js';
import { DiskVolumeStore, MemoryVolumeStore } from './volume-store.js';

const dir = mkdtempSync(join(tmpdir(), 'volume-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

describe.each([
  ['memory', () => new MemoryVolumeStore()],
  ['disk', () => new DiskVolumeStore(join(dir, `v${Math.random()}`))],
] as [string, () => VolumeStore][])('%s volume store', (_name, make) => {
  it('writes, lists, reads and removes files and directories', () => {
    const s = make();
    s.write('/a/b/c.txt', enc('hello'));
    s.mkdir('empty');
    expect(dec(s.read('a/b/c.txt'))).toBe('hello');
    expect(s.list('/')).toEqual(['a', 'empty']);
    expect(s.list('a')).toEqual(['b']);
    expect(s.isDirectory('a/b')).toBe(true);
    expect(s.isDirectory('a/b/c.txt')).toBe(false);
    expect(s.remove('a')).toBe(true);
    expect(s.read('a/b/c.txt')).toBeUndefined();
    expect(s.remove('a')).toBe(false);
  });
});

it('disk store data survives a new store over the same directory (a sandbox restart)', () => {
  new DiskVolumeStore(join(dir, 'pv-1')).write('db/data', enc('kept'));
  expect(dec(new DiskVolumeStore(join(dir, 'pv-1')).read('db/data'))).toBe('kept');
  expect(() => new DiskVolumeStore(join(dir, 'pv-1')).write('../escape', enc('x'))).toThrow(/leaves the volume/);
});
