/**
 * READSTATUS byte 0 values other than OK/BUSY as AppErrors (docs/spec/stlink-swim.md §3.1: 0x04 "no
 * response" and 0x05 "bad state" are stm8flash's names; 0x10 was seen with SWIM/GND swapped).
 */
import { AppError } from '#shared/errors';
import { SWIM_STATUS } from './constants';

/** A SWIM status word problem, as an AppError code. */
export function swimStatusError(status: number, what: string): AppError {
  const hex = `0x${status.toString(16).padStart(2, '0')}`;
  switch (status) {
    case SWIM_STATUS.NO_RESPONSE:
      return new AppError(
        'target-no-response',
        `The target did not answer over SWIM (${what}, status ${hex}).`,
        'Check that the target is powered and that SWIM, GND, NRST and VDD are wired to the probe; try --connect-under-reset.',
        { status, what },
      );
    case SWIM_STATUS.BAD_STATE:
      return new AppError(
        'swim-bad-state',
        `The probe reported a bad SWIM state (${what}, status ${hex}).`,
        'Reconnect; if the target firmware disables SWIM or reconfigures the SWIM pin, connect under reset.',
        { status, what },
      );
    case SWIM_STATUS.WIRE_FAULT:
      return new AppError(
        'swim-wire-fault',
        `The probe reported a SWIM line fault (${what}, status ${hex}).`,
        'Check the SWIM and GND wires (swapped wires give this status) and the target supply.',
        { status, what },
      );
    default:
      return new AppError('swim-error', `SWIM command failed (${what}, status ${hex}).`, 'Reconnect and try again.', { status, what });
  }
}
