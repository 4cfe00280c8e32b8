import { describe, expect, it } from 'vitest';
import { between, humanDuration, since } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (duration.HumanDuration)', () => {
  it.each([
    [S, '1s'],
    [70 * S, '70s'],
    [190 * S, '3m10s'],
    [70 * M, '70m'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [(8 * 24 + 2) * H, '8d'],
    [367 * D, '367d'],
    [(365 * 2 * 24 + 25) * H, '2y1d'],
    [(365 * 8 * 24 + 2) * H, '8y'],
  ])('%d ms → %s', (ms, want) => expect(humanDuration(ms)).toBe(want));

  it.each([
    [-2 * S, '<invalid>'],
    [-2 * S + 1, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 59 * M, '8h'],
    [2 * D - 1, '47h'],
    [2 * D, '2d'],
    [2 * D + H, '2d1h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 23 * H, '8d'],
    [2 * 365 * D - 1, '729d'],
    [2 * 365 * D, '2y'],
    [2 * 365 * D + 23 * H + 59 * M, '2y'],
  ])('boundary %d ms → %s', (ms, want) => expect(humanDuration(ms)).toBe(want));

  it('ages timestamps against an injected clock', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(since('2026-01-01T11:57:30Z', now)).toBe('2m30s');
    expect(since(undefined, now)).toBe('<unknown>');
    expect(since('2026-01-01T12:00:05Z', now)).toBe('<invalid>');
    expect(between('2026-01-01T11:00:00Z', '2026-01-01T11:00:42Z')).toBe('42s');
    expect(between(undefined, '2026-01-01T11:00:42Z')).toBe('');
  });
});
