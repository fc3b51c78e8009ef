import { AppError } from '#shared/errors';

/**
 * stm8flash's command line, parsed with its meanings (facts from stm8flash main.c as of
 * 2026-02, docs/spec/anchors.md §2.2): getopt string "r:w:v:nc:S:p:d:s:b:hluVLR", so short options
 * may be bundled (-lu) and values attached (-cstlinkv2). Our additions: `-?` is help as in
 * the pre-2023 versions, and a stray extra argument is an error as since PR #160.
 */
export type Stm8flashProgrammer = 'stlink' | 'stlinkv2' | 'stlinkv21' | 'stlinkv3' | 'espstlink';
export const STM8FLASH_PROGRAMMERS: readonly Stm8flashProgrammer[] = ['stlink', 'stlinkv2', 'stlinkv21', 'stlinkv3', 'espstlink'];

export type Stm8flashAction = 'read' | 'write' | 'verify' | 'unlock' | 'reset' | 'list-parts' | 'list-programmers' | 'version' | 'help';

export type Stm8flashMemtype = 'flash' | 'eeprom' | 'ram' | 'opt' | 'address';

export interface Stm8flashArgs {
  action: Stm8flashAction | null;
  /** -c as given (a hint: the attached probe is detected). */
  programmer: Stm8flashProgrammer | null;
  /** -S: serial as upper-case hex of the USB serial-string bytes. */
  serial: string | null;
  /** -p as given. */
  part: string | null;
  /** -d (espstlink serial port): accepted and ignored with a note. */
  port: string | null;
  memtype: Stm8flashMemtype;
  /** -s ADDR (hex, with or without 0x), when an address was given. */
  start: number | null;
  /** -b N (decimal, as stm8flash's atoi). */
  bytes: number | null;
  /** -r/-w/-v file. */
  file: string | null;
}

/** Options that take a value, per the getopt string. */
const WITH_VALUE = new Set(['r', 'w', 'v', 'c', 'S', 'p', 'd', 's', 'b']);
const SWITCHES = new Set(['n', 'h', 'l', 'u', 'V', 'L', 'R', '?']);

export function stm8flashUsage(message: string, remedy?: string): AppError {
  return new AppError('usage', message, remedy ?? 'Run "swim-studio stm8flash -h" for the options.');
}

export function parseStm8flashArgs(argv: string[]): Stm8flashArgs {
  const a: Stm8flashArgs = {
    action: null,
    programmer: null,
    serial: null,
    part: null,
    port: null,
    memtype: 'flash',
    start: null,
    bytes: null,
    file: null,
  };
  // -l, -L, -V, -h act at once in stm8flash (they exit inside the option loop), so the
  // first of them wins over everything after it.
  let immediate: Stm8flashAction | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      throw stm8flashUsage(`unexpected argument "${arg}"`, 'stm8flash takes the file as the value of -r, -w or -v.');
    }
    for (let j = 1; j < arg.length; j++) {
      const opt = arg[j];
      if (WITH_VALUE.has(opt)) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
        if (value === undefined) throw stm8flashUsage(`option -${opt} needs a value`);
        if (!immediate) applyValue(a, opt, value);
        break;
      }
      if (!SWITCHES.has(opt)) throw stm8flashUsage(`unknown option -${opt}`);
      if (immediate) continue;
      switch (opt) {
        case 'l':
          immediate = 'list-parts';
          break;
        case 'L':
          immediate = 'list-programmers';
          break;
        case 'V':
          immediate = 'version';
          break;
        case 'h':
        case '?':
          immediate = 'help';
          break;
        case 'u':
          a.action = 'unlock';
          a.memtype = 'opt';
          break;
        case 'R':
          a.action = 'reset';
          break;
        case 'n':
          // Present in stm8flash's getopt string with no effect; accepted for the same reason.
          break;
      }
    }
  }
  if (immediate) a.action = immediate;
  return a;
}

function applyValue(a: Stm8flashArgs, opt: string, value: string): void {
  switch (opt) {
    case 'r':
      a.action = 'read';
      a.file = value;
      return;
    case 'w':
      a.action = 'write';
      a.file = value;
      return;
    case 'v':
      a.action = 'verify';
      a.file = value;
      return;
    case 'c': {
      const p = STM8FLASH_PROGRAMMERS.find((x) => x === value);
      if (!p) {
        throw stm8flashUsage(
          `no valid programmer "${value}"; possible values are: ${STM8FLASH_PROGRAMMERS.join(', ')}`,
          '-c only hints which probe to expect: the attached ST-LINK is detected either way.',
        );
      }
      a.programmer = p;
      return;
    }
    case 'S':
      a.serial = value;
      return;
    case 'p':
      a.part = value;
      return;
    case 'd':
      a.port = value;
      return;
    case 's': {
      const word = value.toLowerCase();
      if (word === 'flash' || word === 'eeprom' || word === 'ram' || word === 'opt') {
        a.memtype = word;
        a.start = null;
        return;
      }
      // stm8flash reads the address with %x: hex digits, an optional 0x prefix. Anything
      // else (e.g. "flash2", stm8flash issue #102) is an error, not a silent address.
      if (!/^(0x)?[0-9a-f]{1,6}$/i.test(value)) {
        throw stm8flashUsage(
          `invalid memory type or location "${value}"`,
          'Use -s flash, eeprom, ram, opt, or a hex start address such as 0x8000.',
        );
      }
      a.memtype = 'address';
      a.start = parseInt(value.replace(/^0x/i, ''), 16);
      return;
    }
    case 'b': {
      if (!/^\d+$/.test(value) || Number(value) <= 0) {
        throw stm8flashUsage(`-b needs a positive decimal byte count, got "${value}"`);
      }
      a.bytes = Number(value);
      return;
    }
  }
}

/** How stm8flash names the format it picked by extension (src/shared/image/extensions.ts stm8flashFormat). */
export const FORMAT_WORDS: Record<'ihex' | 'srec' | 'bin', string> = {
  ihex: 'INTEL HEX',
  srec: 'MOTOROLA S-RECORD',
  bin: 'RAW BINARY',
};
