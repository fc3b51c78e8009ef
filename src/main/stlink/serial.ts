/**
 * USB serial numbers of ST-LINKs: V2-1 and V3 report 24 ASCII hex digits; many V2s and
 * clones report raw bytes in the string descriptor (OpenOCD works around the same thing
 * with hex conversion, OO `stlink_usb_get_alternate_serial`). We always show hex, so two
 * probes can be told apart and chosen with --probe.
 */

/** Serial for display and matching: ASCII-hex serials upper-cased as they are, else hex of each byte. */
export function serialToHex(serial: string): string {
  if (/^[0-9A-Fa-f]+$/.test(serial)) return serial.toUpperCase();
  const parts: string[] = [];
  for (const ch of serial) {
    const c = ch.codePointAt(0) ?? 0;
    parts.push(c.toString(16).toUpperCase().padStart(c > 0xff ? 4 : 2, '0'));
  }
  return parts.join('');
}

/** Does the user's --probe text name this serial (hex form or raw, case-insensitive)? */
export function serialMatches(wanted: string, serialRaw: string): boolean {
  const w = wanted.trim().toUpperCase();
  if (w.length === 0) return false;
  return serialToHex(serialRaw) === w || serialRaw.toUpperCase() === w;
}
