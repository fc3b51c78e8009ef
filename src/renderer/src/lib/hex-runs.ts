/**
 * A hex row as a few runs of text instead of 32 elements: consecutive bytes with the same
 * marks share one text run. Painting text costs per fragment, and on a 128 KB flash view the
 * per-byte elements made Paint the largest cost of every scrolled frame (measured with a
 * Chromium trace: ~21 ms/frame with one element per byte, ~4 ms with one text per row).
 *
 * In the hex column each byte is two digits followed by a separator (one space, two after
 * the 8th byte). A separator goes with its byte's run when the next byte looks the same, or
 * when its own byte has no background; otherwise with the next byte, or alone, so selection
 * and difference backgrounds never spill onto a neighbour.
 */
export interface Run {
  text: string;
  /** Mark classes (" z ed df sel cur"), "" for an unmarked separator. */
  cls: string;
  /** First byte (column 0..15) in the run, or -1 for a separator alone. */
  from: number;
  /** Number of bytes in the run. */
  count: number;
}

const BACKGROUND = /\b(sel|df|cur)\b/;

function push(runs: Run[], text: string, cls: string, byte: number | null): void {
  const last = runs[runs.length - 1];
  if (last && last.cls === cls) {
    last.text += text;
    if (byte !== null) {
      if (last.from < 0) last.from = byte;
      last.count++;
    }
  } else {
    runs.push({ text, cls, from: byte ?? -1, count: byte === null ? 0 : 1 });
  }
}

/** The separator after byte column `i` (a wider gap splits the row in two halves of 8). */
function separatorAfter(i: number): string {
  return i === 7 ? '  ' : ' ';
}

/** Character position of byte column `i` in the hex text. */
export function hexCharOf(i: number): number {
  return 3 * i + (i >= 8 ? 1 : 0);
}

/** Byte column under character position `char` of the hex text (separators go to the byte before). */
export function hexColumnAt(char: number, columns: number): number {
  const i = char < 24 ? Math.floor(char / 3) : Math.floor((char - 1) / 3);
  return Math.max(0, Math.min(columns - 1, i));
}

export function hexRuns(texts: readonly string[], classes: readonly string[]): Run[] {
  const runs: Run[] = [];
  const n = texts.length;
  for (let i = 0; i < n; i++) {
    push(runs, texts[i], classes[i], i);
    if (i === n - 1) break;
    const a = classes[i];
    const b = classes[i + 1];
    const sep = a === b || !BACKGROUND.test(a) ? a : !BACKGROUND.test(b) ? b : '';
    push(runs, separatorAfter(i), sep, null);
  }
  return runs;
}

export function asciiRuns(texts: readonly string[], classes: readonly string[]): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < texts.length; i++) push(runs, texts[i], classes[i], i);
  return runs;
}
