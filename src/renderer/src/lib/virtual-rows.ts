/**
 * Which rows of a long, fixed-row-height list are worth rendering. The hex views of a
 * 128 KB flash have 8192 rows; only the ones in the viewport (plus a small overscan so fast
 * wheel scrolling does not flash empty space) exist in the DOM at any moment.
 */
export interface RowWindow {
  /** First row to render (inclusive). */
  first: number;
  /** Last row to render (exclusive). */
  end: number;
}

export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 8): RowWindow {
  if (rowCount <= 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const bottom = Math.ceil((scrollTop + Math.max(0, viewportHeight)) / rowHeight) + overscan;
  const first = Math.min(top, rowCount - 1);
  return { first, end: Math.max(first + 1, Math.min(rowCount, bottom)) };
}

/** The scrollTop that brings `row` into view with the least movement (or leaves it alone). */
export function scrollToShow(row: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = row * rowHeight;
  if (top < scrollTop) return top;
  const bottom = top + rowHeight;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
