// Where each row of a logs view sits: a fixed height per line, or with wrapping on, as many text lines
// as its characters need at the view's width (monospace text broken at any character, so the count
// is exact for ASCII). Only the rows in sight are rendered, so the layout is the part that sees all lines.
import type { LogBuffer, LogFilter } from './log-buffer.js';

export const LOG_ROW_HEIGHT = 18;
/** "2026-11-24T20:00:00.123456789Z " */
const STAMP_CHARS = 31;

export interface LogLayout {
  count: number;
  /** Buffer index of the row. */
  index(row: number): number;
  top(row: number): number;
  height(row: number): number;
  total: number;
  /** First row whose bottom is below `y`. */
  rowAt(y: number): number;
}

export function logLayout(buffer: LogBuffer, filter: LogFilter | undefined, wrapColumns: number | undefined, timestamps: boolean): LogLayout {
  const count = filter ? filter.size : buffer.size;
  const index = filter ? (row: number) => filter.indexAt(row) : (row: number) => row;
  if (!wrapColumns) {
    return {
      count,
      index,
      top: (row) => row * LOG_ROW_HEIGHT,
      height: () => LOG_ROW_HEIGHT,
      total: count * LOG_ROW_HEIGHT,
      rowAt: (y) => Math.max(0, Math.min(count, Math.floor(y / LOG_ROW_HEIGHT))),
    };
  }
  const columns = Math.max(8, wrapColumns);
  const tops = new Float64Array(count + 1);
  for (let row = 0; row < count; row++) {
    const i = index(row);
    const { pod, container } = buffer.sourceOf(i);
    const chars = (timestamps ? STAMP_CHARS : 0) + pod.length + container.length + 2 + buffer.textLength(i);
    tops[row + 1] = tops[row] + Math.max(1, Math.ceil(chars / columns)) * LOG_ROW_HEIGHT;
  }
  return {
    count,
    index,
    top: (row) => tops[row],
    height: (row) => tops[row + 1] - tops[row],
    total: tops[count],
    rowAt: (y) => {
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (tops[mid + 1] <= y) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}
