/**
 * Words in user-facing text that look like code identifiers rather than English, register
 * names from ST's manuals or command lines. Used by user-text.test.ts.
 *
 * Flagged: camelCase (`ubcProtectedBytes`), PascalCase with two or more humps (`AppError`),
 * lower-case snake_case (`unlock_bytes`), calls (`foo()`), member access (`target.info`).
 * Not flagged: register and bit names, which ST writes in capitals with underscores
 * (FLASH_CR2, NOPT2, AFR0, ST_LINK); hex numbers (0x4800); file paths and options
 * (`out/renderer`, `--sim-socket`), keys of documented JSON output ({"swimSpeed", ...}), file names (stm8s_flash.h); ST-LINK firmware versions (V2J37S7); units (kHz, mV);
 * product names in the allowlist (ST-LinkUpgrade is ST's firmware updater); configuration words
 * users type into PlatformIO and OpenOCD (upload_protocol, reset_config ...).
 */

/** Spelled this way by their makers, not identifiers. */
const PRODUCT_NAMES = new Set(['WebSocket', 'LinkUpgrade', 'GitHub', 'PlatformIO', 'OpenOCD', 'macOS', 'PowerShell', 'WebUSB', 'JavaScript', 'TypeScript', 'VirtualBox', 'LibUSB', 'iOS']);
/** Words users type into other tools' configuration, which remedies must spell exactly. */
const WORDS_USERS_TYPE = new Set([
  'upload_protocol', // platformio.ini
  'reset_config', // OpenOCD configuration: reset_config srst_only srst_nogate connect_assert_srst
  'srst_only',
  'srst_nogate',
  'connect_assert_srst',
  'libusbK', // a Windows USB driver's name
]);
const UNITS = new Set(['kHz', 'mV', 'mA', 'kB', 'kV', 'nF', 'pF', 'uF', 'kOhm', 'mW']);

const PATTERNS: Array<[string, RegExp]> = [
  ['call', /\b[A-Za-z_]\w*\(\)/g],
  ['member access', /\b[a-z]\w*\.[a-z]\w*[A-Z]\w*\b/g],
  ['camelCase', /\b[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b/g],
  ['PascalCase', /\b[A-Z][a-z0-9]+[A-Z][a-z0-9]+[A-Za-z0-9]*\b/g],
  ['snake_case', /\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g],
];

/** Removes what may look like code but is not: paths, options, URLs, hex numbers. */
function stripAllowed(text: string): string {
  return text
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/\S*\/\S*/g, ' ') // paths: out/renderer, /dev/bus/usb, node_modules/usb
    .replace(/(^|\s)--?[\w-]+(=\S*)?/g, ' ') // command-line options
    .replace(/\b0x[0-9A-Fa-f]+\b/g, ' ')
    .replace(/"[A-Za-z_]\w*"(?=\s*[,:}\]])/g, ' ') // keys of the documented JSON output: {"targetVoltage", ...}
    .replace(/\bV\d+J\d+(M\d+)?(S\d+|B\d+S\d+)?\b/g, ' ') // ST-LINK firmware versions: V2J37S7, V3J10M3B5S1
    .replace(/\b[\w-]+\.(json|hex|ihx|bin|s19|srec|rules|sock|mjs|js|ini|cfg|h|c)\b/g, ' '); // file names
}

export interface IdentifierHit {
  word: string;
  kind: string;
}

export function identifierWords(text: string): IdentifierHit[] {
  const clean = stripAllowed(text);
  const hits: IdentifierHit[] = [];
  for (const [kind, re] of PATTERNS) {
    for (const m of clean.matchAll(re)) {
      const word = m[0];
      if (PRODUCT_NAMES.has(word) || WORDS_USERS_TYPE.has(word) || UNITS.has(word)) continue;
      if (!hits.some((h) => h.word === word)) hits.push({ word, kind });
    }
  }
  return hits;
}
