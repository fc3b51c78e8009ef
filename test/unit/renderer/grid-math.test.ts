import { describe, expect, it } from 'vitest';
import { scrollToShow, visibleRows } from '../../../src/renderer/src/lib/virtual-rows';
import { moveCaret, moveOffset, selectionRange, typeNibble } from '../../../src/renderer/src/lib/hex-selection';
import { findBytes } from '../../../src/renderer/src/lib/find-bytes';
import { estimateRemaining, formatDuration, formatSize } from '../../../src/renderer/src/lib/duration';
import { asciiRuns, hexCharOf, hexColumnAt, hexRuns } from '../../../src/renderer/src/lib/hex-runs';

describe('virtual rows', () => {
  it('renders only the rows in view plus overscan, however long the list', () => {
    const w = visibleRows(22 * 4000, 440, 22, 8192, 5);
    expect(w).toEqual({ first: 3995, end: 4025 });
    expect(visibleRows(0, 440, 22, 8192, 5)).toEqual({ first: 0, end: 25 });
    expect(visibleRows(22 * 8192, 440, 22, 8192, 5).end).toBe(8192);
    expect(visibleRows(0, 440, 22, 0)).toEqual({ first: 0, end: 0 });
  });
  it('scrolls just enough to show a row', () => {
    expect(scrollToShow(10, 0, 440, 22)).toBe(0);
    expect(scrollToShow(30, 0, 440, 22)).toBe(31 * 22 - 440);
    expect(scrollToShow(2, 500, 440, 22)).toBe(44);
  });
});

describe('cursor and selection', () => {
  it('moves by byte, row and page within the area', () => {
    expect(moveOffset(0, 'left', 100, 10)).toBe(0);
    expect(moveOffset(5, 'down', 100, 10)).toBe(21);
    expect(moveOffset(90, 'down', 100, 10)).toBe(90);
    expect(moveOffset(5, 'pageDown', 1000, 10)).toBe(165);
    expect(moveOffset(37, 'rowStart', 100, 10)).toBe(32);
    expect(moveOffset(37, 'rowEnd', 100, 10)).toBe(47);
    expect(moveOffset(37, 'end', 100, 10)).toBe(99);
  });
  it('extends with Shift and collapses without', () => {
    const c = moveCaret({ anchor: 4, focus: 4 }, 'down', true, 100, 10);
    expect(selectionRange(c)).toEqual({ from: 4, to: 20, length: 17 });
    expect(moveCaret(c, 'right', false, 100, 10)).toEqual({ anchor: 21, focus: 21 });
  });
  it('types the high nibble, then the low one and advances', () => {
    expect(typeNibble(0x5a, 0xc, false)).toEqual({ value: 0xca, advance: false });
    expect(typeNibble(0xca, 0x3, true)).toEqual({ value: 0xc3, advance: true });
  });
});

describe('find', () => {
  const hay = Uint8Array.of(1, 2, 3, 1, 2, 3, 9);
  it('finds forward from a position and wraps once', () => {
    expect(findBytes(hay, Uint8Array.of(1, 2), 0)).toBe(0);
    expect(findBytes(hay, Uint8Array.of(1, 2), 1)).toBe(3);
    expect(findBytes(hay, Uint8Array.of(1, 2), 4)).toBe(0);
    expect(findBytes(hay, Uint8Array.of(1, 2), 4, false)).toBe(-1);
    expect(findBytes(hay, Uint8Array.of(3, 9), 0)).toBe(5);
    expect(findBytes(hay, Uint8Array.of(7), 0)).toBe(-1);
  });
});

describe('durations and sizes', () => {
  it('reads well', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(131072)).toBe('128 KB');
  });
  it('estimates the time left from the rate so far, not before there is a rate', () => {
    expect(estimateRemaining(0, 100, 1000)).toBeNull();
    expect(estimateRemaining(1, 100, 1000)).toBeNull();
    expect(estimateRemaining(25, 100, 1000)).toBe(3000);
    expect(estimateRemaining(100, 100, 1000)).toBe(0);
  });
});

describe('hex rows as text runs', () => {
  const hex = (xs: number[]) => xs.map((x) => x.toString(16).toUpperCase().padStart(2, '0'));
  it('joins bytes that look the same into one run, with the wide gap after the 8th byte', () => {
    const runs = hexRuns(hex([...Array(16).keys()]), new Array(16).fill(''));
    expect(runs).toHaveLength(1);
    expect(runs[0].text).toBe('00 01 02 03 04 05 06 07  08 09 0A 0B 0C 0D 0E 0F');
    expect(runs[0].count).toBe(16);
    for (let i = 0; i < 16; i++) expect(runs[0].text.substr(hexCharOf(i), 2)).toBe(hex([i])[0]);
  });
  it('keeps backgrounds on their bytes: a separator next to a selection goes to the plain side', () => {
    const cls = ['', ' sel', ' sel', '', ' df', ' sel'];
    const runs = hexRuns(hex([1, 2, 3, 4, 5, 6]), cls);
    expect(runs.map((r) => [r.text, r.cls, r.from, r.count])).toEqual([
      ['01 ', '', 0, 1],
      ['02 03', ' sel', 1, 2],
      [' 04 ', '', 3, 1],
      ['05', ' df', 4, 1],
      [' ', '', -1, 0],
      ['06', ' sel', 5, 1],
    ]);
  });
  it('maps a character position back to its byte column, separators to the byte before', () => {
    expect(hexColumnAt(0, 16)).toBe(0);
    expect(hexColumnAt(2, 16)).toBe(0);
    expect(hexColumnAt(3, 16)).toBe(1);
    expect(hexColumnAt(23, 16)).toBe(7);
    expect(hexColumnAt(24, 16)).toBe(7);
    expect(hexColumnAt(25, 16)).toBe(8);
    expect(hexColumnAt(99, 16)).toBe(15);
    expect(hexColumnAt(99, 11)).toBe(10);
    expect(asciiRuns(['a', 'b', 'c'], ['', '', ' ed'])).toEqual([
      { text: 'ab', cls: '', from: 0, count: 2 },
      { text: 'c', cls: ' ed', from: 2, count: 1 },
    ]);
  });
});
