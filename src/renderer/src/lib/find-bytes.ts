/**
 * Finding a byte sequence in an area's bytes, forward from a position, wrapping once around
 * the end so "find next" cycles through every match like a text editor does.
 */
export function findBytes(haystack: Uint8Array, needle: Uint8Array, from = 0, wrap = true): number {
  if (needle.length === 0 || needle.length > haystack.length) return -1;
  const start = Math.max(0, Math.min(from, haystack.length));
  const hit = scan(haystack, needle, start, haystack.length - needle.length);
  if (hit >= 0 || !wrap) return hit;
  return scan(haystack, needle, 0, Math.min(start - 1, haystack.length - needle.length));
}

function scan(h: Uint8Array, n: Uint8Array, from: number, last: number): number {
  const first = n[0];
  for (let i = from; i <= last; i++) {
    if (h[i] !== first) continue;
    let j = 1;
    while (j < n.length && h[i + j] === n[j]) j++;
    if (j === n.length) return i;
  }
  return -1;
}
