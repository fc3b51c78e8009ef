import { EXIT } from './command';

/**
 * Which exit code an error code gets. The rule (documented in docs/cli.md):
 * - 2 "usage": what was typed is wrong — unknown option or command, a value that is not a
 *   number, an unknown part name, a region or address the part does not have, a missing
 *   argument. Nothing was attempted.
 * - 3 "no probe or no target": no ST-LINK found (or not the one asked for), it cannot be
 *   opened (permissions, driver, busy), it has no SWIM, or the target does not answer.
 * - 1 "operation failed": everything else — an unreadable or corrupt file, an image that
 *   does not fit the part, a verify mismatch, a flash error, protection, cancel, unplug.
 * Unknown codes fall to 1, so a new engine error never masquerades as a usage error.
 */
export const USAGE_CODES: ReadonlySet<string> = new Set([
  'usage',
  'unknown-part',
  'part-required',
  'bad-address',
  'bad-region',
  'bad-option-field',
  'bad-option-value',
  'unknown-option-field',
  'confirm-required',
  'bad-virtual-spec',
  'bad-probe-variant',
  'bad-fault',
  'unknown-format',
  // engine (src/main/jobs/API.md) codes that only a command line can cause
  'rop-needs-confirmation',
  'option-needs-confirmation',
  'unknown-option-byte',
  'no-such-region',
  'bad-range',
]);

export const NO_TARGET_CODES: ReadonlySet<string> = new Set([
  // src/main/probes isNoProbeError()
  'probe-no-swim',
  'probe-in-dfu',
  'target-no-response',
  'swim-wire-fault',
  'no-probe',
  'no-probes',
  'probe-not-found',
  'probe-ambiguous',
  'no-swim',
  'swim-unsupported',
  'probe-unsupported',
  'no-target',
  'target-silent',
  'target-not-responding',
  'target-not-powered',
  'no-target-voltage',
  'connect-failed',
  'swim-entry-failed',
  'no-usb',
  // src/main/usb/errors.ts (UsbErrorCode): the probe cannot be reached at all
  'usb-unavailable',
  'probe-permission',
  'probe-no-driver',
  'probe-busy',
  'probe-unplugged',
  // transport-level codes (src/main/usb/transport.ts) when they surface while opening
  'access',
  'busy',
  'no-driver',
  'not-supported',
  'no-device',
  'sim-socket',
  'sim-unavailable',
]);

export function exitCodeFor(code: string): number {
  if (USAGE_CODES.has(code)) return EXIT.usage;
  if (NO_TARGET_CODES.has(code)) return EXIT.noProbe;
  return EXIT.failed;
}
