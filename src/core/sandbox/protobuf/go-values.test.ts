import { describe, expect, it } from 'vitest';
import { formatDuration, formatMicroTime, formatTime, parseDuration, parseTime } from './go-values.js';

const S = 1_000_000_000n;

describe('Go durations', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1500n, '1.5µs'],
    [250_000_000n, '250ms'],
    [1_500_000_000n, '1.5s'],
    [90n * S, '1m30s'],
    [3600n * S, '1h0m0s'],
    [3723n * S + 500_000_000n, '1h2m3.5s'],
    [-(5n * S), '-5s'],
  ])('formats %s ns as %s and parses it back', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
    expect(parseDuration(text)).toBe(ns);
  });

  it('parses the forms time.ParseDuration accepts', () => {
    expect(parseDuration('1h30m')).toBe(5400n * S);
    expect(parseDuration('2us')).toBe(2000n);
    expect(parseDuration('0')).toBe(0n);
    expect(parseDuration('.5s')).toBe(500_000_000n);
  });

  it('rejects what Go rejects, saying what a duration looks like', () => {
    expect(() => parseDuration('10')).toThrow(/not a Go duration such as 1h0m0s/);
    expect(() => parseDuration('1d')).toThrow(/not a Go duration/);
    expect(() => parseDuration('')).toThrow(/not a Go duration/);
  });
});

describe('Kubernetes times', () => {
  it('writes metav1.Time at second precision and MicroTime with six digits, in UTC', () => {
    const { seconds, nanos } = parseTime('2026-01-01T02:00:00.123456789+02:00');
    expect(formatTime(seconds)).toBe('2026-01-01T00:00:00Z');
    expect(nanos).toBe(123_456_789);
    expect(formatMicroTime(seconds, nanos)).toBe('2026-01-01T00:00:00.123456Z');
  });

  it('rejects a non RFC 3339 time', () => {
    expect(() => parseTime('2026-01-01 00:00:00')).toThrow(/not an RFC 3339 time/);
  });
});
