/**
 * Errors cross every boundary (library → CLI, main → renderer) as data: a stable code, a
 * message for people, an optional remedy, and details for the log. Never a bare stack.
 *
 * ERROR_CODES is the one table of codes: each with its exit class (the CLI's exit code:
 * 'usage' 2, 'no-target' 3, 'failed' 1; src/main/cli/exit-codes.ts derives from it) and a
 * line saying what it means. One code per refusal; README.md and docs/cli.md list them
 * (test/robustness/exit-codes.test.ts holds the lists to this table).
 */

/** How a code ends a CLI run: 2 what was typed is wrong, 3 no probe or no target, 1 anything else. */
export type ExitClass = 'usage' | 'no-target' | 'failed';

export const ERROR_CODES = {
  'usage': { exit: 'usage', meaning: 'a command, option or argument is wrong or missing' },
  'unknown-part': { exit: 'usage', meaning: 'no catalogue part has that name, ordering code or stm8flash pattern' },
  'part-required': { exit: 'usage', meaning: 'no part was named and none can be inferred' },
  'bad-address': { exit: 'usage', meaning: 'an address given on the command line is in no memory of the part' },
  'bad-region': { exit: 'usage', meaning: 'a region name or range given on the command line is not one the part has' },
  'unknown-format': { exit: 'usage', meaning: 'a --format value names no image format' },
  'unknown-option-field': { exit: 'usage', meaning: 'no option byte or field of the part has that name' },
  'bad-option-field': { exit: 'usage', meaning: 'an option assignment is not NAME=VALUE' },
  'bad-option-value': { exit: 'usage', meaning: 'an option value does not fit its field' },
  'confirm-required': { exit: 'usage', meaning: 'an erasing, protecting or dangerous change was not confirmed (details.confirmations names what)' },
  'bad-virtual-spec': { exit: 'usage', meaning: 'a --virtual value is not PROBE:PART[:FAULT,...]' },
  'bad-probe-variant': { exit: 'usage', meaning: 'a virtual probe variant that the simulator does not have' },
  'bad-fault': { exit: 'usage', meaning: 'an unknown or malformed simulator fault' },
  'unknown-option-byte': { exit: 'usage', meaning: 'no option byte of the part has that name' },
  'no-such-region': { exit: 'usage', meaning: 'the part has no such memory (e.g. EEPROM on an STM8L101)' },
  'bad-range': { exit: 'usage', meaning: 'an address range that is empty, too large, or spans several memories' },
  'no-probe': { exit: 'no-target', meaning: 'no ST-LINK is attached' },
  'probe-not-found': { exit: 'no-target', meaning: 'no attached ST-LINK has that serial or port path' },
  'probe-ambiguous': { exit: 'no-target', meaning: 'several ST-LINKs are attached and none was chosen' },
  'probe-no-swim': { exit: 'no-target', meaning: 'the probe (firmware) has no SWIM support' },
  'probe-in-dfu': { exit: 'no-target', meaning: 'the probe is in its firmware-update (DFU) mode' },
  'probe-unsupported': { exit: 'no-target', meaning: 'a probe this program does not drive (e.g. ST-LINK/V1)' },
  'probe-busy': { exit: 'no-target', meaning: 'another program holds the probe' },
  'probe-permission': { exit: 'no-target', meaning: 'the operating system refused access to the probe' },
  'probe-no-driver': { exit: 'no-target', meaning: 'no usable USB driver is bound to the probe' },
  'probe-unplugged': { exit: 'no-target', meaning: 'the probe was unplugged or lost power' },
  'usb-unavailable': { exit: 'no-target', meaning: 'this machine has no USB subsystem the program can use' },
  'target-no-response': { exit: 'no-target', meaning: 'the target does not answer over SWIM' },
  'target-not-powered': { exit: 'no-target', meaning: 'the probe measures no supply voltage on the target' },
  'swim-wire-fault': { exit: 'no-target', meaning: 'the probe reports a fault on the SWIM line' },
  'access': { exit: 'no-target', meaning: 'transport: access denied while opening the probe' },
  'busy': { exit: 'no-target', meaning: 'transport: the probe is busy while opening it; in the app, another job runs' },
  'no-driver': { exit: 'no-target', meaning: 'transport: no driver while opening the probe' },
  'not-supported': { exit: 'no-target', meaning: 'transport or host: the operation is not available here' },
  'no-device': { exit: 'no-target', meaning: 'transport: the device went away while opening it' },
  'internal': { exit: 'failed', meaning: 'an unexpected error (a bug): the message says where' },
  'cancelled': { exit: 'failed', meaning: 'the user cancelled; the job stopped between blocks' },
  'file-not-found': { exit: 'failed', meaning: 'the file does not exist' },
  'file-access': { exit: 'failed', meaning: 'the file cannot be read or written (permissions)' },
  'file-read': { exit: 'failed', meaning: 'the path is not a regular file that can be read (folder, device, FIFO)' },
  'file-write': { exit: 'failed', meaning: 'writing the file failed; the old file is untouched' },
  'file-too-large': { exit: 'failed', meaning: 'the file or its data is larger than any STM8 memory' },
  'bad-file': { exit: 'failed', meaning: 'the file is not valid Intel HEX, S-record, ELF or binary' },
  'empty-image': { exit: 'failed', meaning: 'the image holds no data' },
  'outside-memory': { exit: 'failed', meaning: 'data or a range lies outside every memory of the part' },
  'image-has-options': { exit: 'failed', meaning: 'the image holds option bytes, which are written on their own' },
  'image-wrong-region': { exit: 'failed', meaning: 'the image holds data in a memory that cannot be written (boot ROM)' },
  'image-outside-area': { exit: 'failed', meaning: 'stm8flash mode: the file holds data outside the area chosen with -s' },
  'image-outside-range': { exit: 'failed', meaning: 'the image holds data outside the range to save' },
  'image-overlap': { exit: 'failed', meaning: 'two sources put different bytes at one address' },
  'image-gap': { exit: 'failed', meaning: 'a binary needs data at addresses the image does not have' },
  'image-address': { exit: 'failed', meaning: 'data lies outside the 24-bit STM8 address space' },
  'bad-option-file': { exit: 'failed', meaning: 'an option-byte file sets no or unknown option bytes, or wrong complements' },
  'bad-option-complement': { exit: 'failed', meaning: 'option bytes given with a complement that does not match' },
  'unknown-option-address': { exit: 'failed', meaning: 'an option write names an address that is no option byte' },
  'option-pair-broken': { exit: 'failed', meaning: 'an option byte and its complement disagree on the chip, and the write does not resolve it' },
  'option-verify-failed': { exit: 'failed', meaning: 'option bytes read back different from what was written' },
  'verify-failed': { exit: 'failed', meaning: 'the chip differs from the image' },
  'write-protected': { exit: 'failed', meaning: 'the chip refused a write: read-out protection or UBC' },
  'read-protected': { exit: 'failed', meaning: 'read-out protection hides flash and EEPROM' },
  'unlock-failed': { exit: 'failed', meaning: 'removing read-out protection did not leave the chip unprotected and blank' },
  'flash-timeout': { exit: 'failed', meaning: 'the flash controller did not report the end of programming in time' },
  'flash-locked': { exit: 'failed', meaning: 'the flash controller did not unlock' },
  'target-power-lost': { exit: 'failed', meaning: 'the target lost power during programming' },
  'swim-error': { exit: 'failed', meaning: 'the probe reported a SWIM error status' },
  'swim-bad-state': { exit: 'failed', meaning: 'the probe reported a bad SWIM state' },
  'swim-busy-timeout': { exit: 'failed', meaning: 'the probe stayed busy with a SWIM transfer past its deadline' },
  'bad-timing': { exit: 'failed', meaning: 'the simulator was given timing it cannot model' },
  'bad-sim-state': { exit: 'failed', meaning: 'a simulator state file is not valid' },
  'usb-io': { exit: 'failed', meaning: 'a USB transfer to the probe failed' },
  'usb-timeout': { exit: 'failed', meaning: 'the probe did not answer in time' },
  'probe-closed': { exit: 'failed', meaning: 'the probe was already released' },
  'connection-closed': { exit: 'failed', meaning: 'the connection was closed before this job' },
  'not-connected': { exit: 'failed', meaning: 'the app: no target is connected' },
  'invalid-argument': { exit: 'failed', meaning: 'an argument is outside what the call accepts (an app request against its schema, an image-library call)' },
  'unknown-request': { exit: 'failed', meaning: 'the app: no request has that name' },
  'path-not-allowed': { exit: 'failed', meaning: 'the app: the page named a file the user did not choose' },
  'socket-not-offered': { exit: 'failed', meaning: 'the app: a socket path the user did not give on the command line' },
  'socket-in-use': { exit: 'failed', meaning: 'sim serve: the socket path is in use' },
  'renderer-build-failed': { exit: 'failed', meaning: 'ui: the user interface could not be built' },
  // Production programming (src/main/production, docs/production.md).
  'bad-recipe': { exit: 'failed', meaning: 'the production recipe is not valid JSON of the documented shape' },
  'file-changed': { exit: 'failed', meaning: "a recipe's firmware file no longer has the SHA-256 the recipe records" },
  'no-recipe': { exit: 'failed', meaning: 'production was started in the app before a recipe was opened' },
  'bad-station': { exit: 'usage', meaning: 'a --station or --probes value names no station' },
  'bad-serial': { exit: 'failed', meaning: 'a serial number cannot be encoded as the recipe asks' },
  'serial-out-of-range': { exit: 'failed', meaning: "the next serial number does not fit the recipe's encoding" },
  'serials-exhausted': { exit: 'failed', meaning: "the recipe's serial list or range has no number left" },
  'bad-production-file': { exit: 'failed', meaning: 'the production log or serial journal is damaged beyond its last line' },
  'journal-in-use': { exit: 'failed', meaning: 'another production run holds the serial journal' },
  'no-unique-id': { exit: 'failed', meaning: 'the chip on the board has no readable unique ID' },
  'wrong-chip': { exit: 'failed', meaning: "the chip on the board is not the recipe's part" },
  'uid-refused': { exit: 'failed', meaning: 'the chip was programmed before and the recipe refuses repeated chips' },
} as const satisfies Record<string, { exit: ExitClass; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The exit class of a code; codes from outside the table (a newer engine, a transport) fail with 1, never as usage. */
export function exitClassOf(code: string): ExitClass {
  return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode].exit : 'failed';
}

export interface AppErrorData {
  code: string;
  message: string;
  remedy?: string;
  details?: Record<string, unknown>;
}

export class AppError extends Error implements AppErrorData {
  readonly code: ErrorCode;
  readonly remedy?: string;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, remedy?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (remedy !== undefined) this.remedy = remedy;
    if (details !== undefined) this.details = details;
  }
  toData(): AppErrorData {
    const d: AppErrorData = { code: this.code, message: this.message };
    if (this.remedy !== undefined) d.remedy = this.remedy;
    if (this.details !== undefined) d.details = this.details;
    return d;
  }
}

export function toErrorData(e: unknown): AppErrorData {
  if (e instanceof AppError) return e.toData();
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof (e as { code: unknown }).code === 'string') {
    const x = e as { code: string; message: string; remedy?: unknown };
    return { code: x.code, message: String(x.message), ...(typeof x.remedy === 'string' ? { remedy: x.remedy } : {}) };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
