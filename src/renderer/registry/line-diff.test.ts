import { describe, expect, it } from 'vitest';
import { foldUnchanged, lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('keeps common lines and marks removed and added ones in order', () => {
    expect(lineDiff('a\nb\nc\nd', 'a\nc\nx\nd')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'd' },
    ]);
  });
  it('is all common for equal texts', () => {
    expect(lineDiff('x\ny', 'x\ny').every((l) => l.op === ' ')).toBe(true);
  });
});

describe('foldUnchanged', () => {
  it('folds unchanged runs beyond the context around changes', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l10', 'L10');
    expect(foldUnchanged(lineDiff(before, after), 2)).toEqual([
      { op: '…', text: '', hidden: 8 },
      { op: ' ', text: 'l8' },
      { op: ' ', text: 'l9' },
      { op: '-', text: 'l10' },
      { op: '+', text: 'L10' },
      { op: ' ', text: 'l11' },
      { op: ' ', text: 'l12' },
      { op: '…', text: '', hidden: 7 },
    ]);
  });
});
