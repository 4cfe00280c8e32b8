import { describe, expect, it } from 'vitest';
import { Vfs } from './vfs.js';

describe('Vfs', () => {
  it('keeps each filesystem\'s file its own when the same text is written to many (bytes shared until written)', () => {
    let now = new Date('2026-01-02T03:04:05Z');
    const a = new Vfs(() => now);
    const b = new Vfs(() => now);
    for (const fs of [a, b]) {
      fs.mkdir('/etc', true);
      fs.writeFile('/etc/resolv.conf', 'nameserver 10.96.0.10\n');
    }
    now = new Date('2026-01-02T03:05:00Z');
    a.writeFile('/etc/resolv.conf', 'options ndots:5\n', { append: true });
    b.writeFile('/etc/copy', b.readFile('/etc/resolv.conf'));
    b.writeFile('/etc/copy', 'x\n', { append: true });
    expect(a.readText('/etc/resolv.conf')).toBe('nameserver 10.96.0.10\noptions ndots:5\n');
    expect(b.readText('/etc/resolv.conf')).toBe('nameserver 10.96.0.10\n');
    expect(b.readText('/etc/copy')).toBe('nameserver 10.96.0.10\nx\n');
    // Times are the clock's when each was written; a stat's Date is the caller's to keep.
    const stat = b.stat('/etc/resolv.conf');
    expect(stat?.mtime.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    stat?.mtime.setTime(0);
    expect(b.stat('/etc/resolv.conf')?.mtime.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(a.stat('/etc/resolv.conf')?.mtime.toISOString()).toBe('2026-01-02T03:05:00.000Z');
    expect(b.stat('/etc')).toMatchObject({ type: 'dir', size: 4096 });
  });
});
