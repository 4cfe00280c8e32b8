import { describe, expect, it } from 'vitest';
import { parseCronSchedule } from './cron-schedule.js';

const next = (spec: string, from: string, tz?: string) => parseCronSchedule(spec, tz).next(new Date(from))?.toISOString();

describe('parseCronSchedule', () => {
  it('steps, ranges, lists and names', () => {
    expect(next('*/5 * * * *', '2026-01-01T00:02:30Z')).toBe('2026-01-01T00:05:00.000Z');
    expect(next('10-12 * * * *', '2026-01-01T00:12:00Z')).toBe('2026-01-01T01:10:00.000Z');
    expect(next('0 9 * * mon-fri', '2026-01-02T10:00:00Z')).toBe('2026-01-05T09:00:00.000Z');
    expect(next('0 0 1 jan,jul *', '2026-02-01T00:00:00Z')).toBe('2026-07-01T00:00:00.000Z');
    expect(next('30 2 1 * *', '2026-01-31T00:00:00Z')).toBe('2026-02-01T02:30:00.000Z');
  });
  it('day of month and day of week combine with OR unless one is *', () => {
    // The 13th or any Friday.
    expect(next('0 0 13 * 5', '2026-01-01T00:00:00Z')).toBe('2026-01-02T00:00:00.000Z');
    expect(next('0 0 13 * *', '2026-01-01T00:00:00Z')).toBe('2026-01-13T00:00:00.000Z');
  });
  it('descriptors and @every', () => {
    expect(next('@hourly', '2026-01-01T00:00:00Z')).toBe('2026-01-01T01:00:00.000Z');
    expect(next('@weekly', '2026-01-01T00:00:00Z')).toBe('2026-01-04T00:00:00.000Z');
    expect(next('@every 90s', '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:01:30.000Z');
  });
  it('time zones: spec.timeZone and TZ= prefix', () => {
    expect(next('0 9 * * *', '2026-01-01T00:00:00Z', 'Europe/Paris')).toBe('2026-01-01T08:00:00.000Z');
    expect(next('TZ=America/New_York 0 9 * * *', '2026-07-01T00:00:00Z')).toBe('2026-07-01T13:00:00.000Z');
    expect(() => parseCronSchedule('0 9 * * *', 'Mars/Olympus')).toThrow(/unknown time zone/);
  });
  it('rejects malformed schedules', () => {
    expect(() => parseCronSchedule('* * *')).toThrow(/expected exactly 5 fields/);
    expect(() => parseCronSchedule('61 * * * *')).toThrow(/out of bounds/);
  });
});
