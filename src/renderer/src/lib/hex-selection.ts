/**
 * Cursor and selection arithmetic for the hex view, kept out of the component so it can be
 * tested without a DOM: moving by keys, extending with Shift, clamping to the area.
 */
export const BYTES_PER_ROW = 16;

export interface Caret {
  /** Where the selection started (stays put while Shift extends). */
  anchor: number;
  /** The cursor; the other end of the selection. */
  focus: number;
}

export function clampOffset(offset: number, size: number): number {
  return Math.max(0, Math.min(size - 1, offset));
}

export function selectionRange(c: Caret): { from: number; to: number; length: number } {
  const from = Math.min(c.anchor, c.focus);
  const to = Math.max(c.anchor, c.focus);
  return { from, to, length: to - from + 1 };
}

export type Move = 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'rowStart' | 'rowEnd' | 'start' | 'end';

/** The cursor offset after a navigation key. `pageRows` = rows in one screenful. */
export function moveOffset(offset: number, move: Move, size: number, pageRows: number): number {
  const row = BYTES_PER_ROW;
  switch (move) {
    case 'left':
      return clampOffset(offset - 1, size);
    case 'right':
      return clampOffset(offset + 1, size);
    case 'up':
      return offset - row >= 0 ? offset - row : offset;
    case 'down':
      return offset + row < size ? offset + row : offset;
    case 'pageUp':
      return clampOffset(offset - row * Math.max(1, pageRows), size);
    case 'pageDown':
      return clampOffset(offset + row * Math.max(1, pageRows), size);
    case 'rowStart':
      return offset - (offset % row);
    case 'rowEnd':
      return clampOffset(offset - (offset % row) + row - 1, size);
    case 'start':
      return 0;
    case 'end':
      return size - 1;
  }
}

/** Caret after a move: Shift extends the selection, otherwise it collapses to the cursor. */
export function moveCaret(c: Caret, move: Move, extend: boolean, size: number, pageRows: number): Caret {
  const focus = moveOffset(c.focus, move, size, pageRows);
  return extend ? { anchor: c.anchor, focus } : { anchor: focus, focus };
}

/**
 * One typed hex digit at the cursor: the first digit of a byte replaces its high nibble, the
 * second its low nibble and moves on (as hex editors do). Returns the new byte value and
 * whether the cursor should advance.
 */
export function typeNibble(old: number, digit: number, secondNibble: boolean): { value: number; advance: boolean } {
  if (!secondNibble) return { value: ((digit & 0xf) << 4) | (old & 0x0f), advance: false };
  return { value: (old & 0xf0) | (digit & 0xf), advance: true };
}
