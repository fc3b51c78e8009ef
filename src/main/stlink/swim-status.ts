/**
 * READSTATUS byte 0 values other than OK/BUSY as AppErrors (docs/spec/stlink-swim.md §3.1: 0x04 "no
 * response" and 0x05 "bad state" are stm8flash's names; 0x10 was seen with SWIM/GND swapped).
 */
import { AppError, type ErrorCode } from '#shared/errors';
import { SWIM_STATUS } from './constants';

/** What each known failure status means, and what to do about it. */
const KNOWN_FAILURES: Record<number, { code: ErrorCode; says: string; remedy: string }> = {
  [SWIM_STATUS.NO_RESPONSE]: {
    code: 'target-no-response',
    says: 'The target did not answer over SWIM',
    remedy: 'Check that the target is powered and that SWIM, GND, NRST and VDD are wired to the probe; try connecting under reset (--connect-under-reset; in the app, Settings → Connect under reset).',
  },
  [SWIM_STATUS.BAD_STATE]: {
    code: 'swim-bad-state',
    says: 'The probe reported a bad SWIM state',
    remedy: 'Reconnect; if the target firmware disables SWIM or reconfigures the SWIM pin, connect under reset.',
  },
  [SWIM_STATUS.WIRE_FAULT]: {
    code: 'swim-wire-fault',
    says: 'The probe reported a SWIM line fault',
    remedy: 'Check the SWIM and GND wires (swapped wires give this status) and the target supply.',
  },
};

/** A SWIM status word problem, as an AppError code. */
export function swimStatusError(status: number, what: string): AppError {
  const hex = `0x${status.toString(16).padStart(2, '0')}`;
  const known = KNOWN_FAILURES[status];
  if (known) return new AppError(known.code, `${known.says} (${what}, status ${hex}).`, known.remedy, { status, what });
  return new AppError('swim-error', `SWIM command failed (${what}, status ${hex}).`, 'Reconnect and try again.', { status, what });
}
