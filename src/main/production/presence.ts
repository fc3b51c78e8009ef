/**
 * Is a board on the fixture? Asked of the probe: the target voltage where the probe measures
 * it (OpenOCD `stlink_usb_check_voltage` asks V2 from J13 and every V3), and in any case
 * whether the STM8 answers SWIM entry (stm8flash `swim_init`/OpenOCD `stm8_connect` do the
 * same entry). Every question is one bounded USB exchange or one bounded entry attempt;
 * between questions the station sleeps on the probe's clock, and an abort ends the wait.
 */
import { AppError } from '#shared/errors';
import type { Part } from '#shared/catalogue/types';
import type { StlinkProbe } from '../stlink/probe';
import { Stm8Session } from '../stm8/session';

/** Below this the board is taken as absent (STM8 runs from 1.8 V: RM0016 / the datasheets' V_DD minimum). */
export const MIN_TARGET_VOLTS = 1.6;
/** Pause between two presence polls. */
export const PRESENCE_POLL_MS = 250;

/** Errors that mean "no (working) board here now", as opposed to a probe or USB failure. */
const NO_BOARD_CODES = new Set(['target-no-response', 'target-not-powered', 'swim-wire-fault', 'swim-error', 'swim-bad-state', 'swim-busy-timeout']);

export function meansNoBoard(e: unknown): boolean {
  return e instanceof AppError && NO_BOARD_CODES.has(e.code);
}

/** The voltage says "no board" (false), "board" (true) or nothing (null: not measured). */
async function voltageSaysBoard(probe: StlinkProbe): Promise<boolean | null> {
  const v = await probe.targetVoltage();
  return v.volts === null ? null : v.volts >= MIN_TARGET_VOLTS;
}

/**
 * Wait until a board answers, and return the attached session (CPU stalled); null when
 * `signal` aborted the wait.
 */
export async function waitForBoard(probe: StlinkProbe, part: Part, signal?: AbortSignal): Promise<Stm8Session | null> {
  for (;;) {
    if (signal?.aborted) return null;
    if ((await voltageSaysBoard(probe)) !== false) {
      try {
        return await Stm8Session.connect(probe, part, { measureVoltage: false });
      } catch (e) {
        if (!meansNoBoard(e)) throw e;
      }
    }
    await probe.clock.sleep(PRESENCE_POLL_MS);
  }
}

/**
 * Wait until the board with `uid` is gone: no voltage, or (where voltage is not measured)
 * no SWIM answer or another chip. False when `signal` aborted the wait.
 */
export async function waitForRemoval(probe: StlinkProbe, part: Part, uid: string | null, signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal?.aborted) return false;
    const byVoltage = await voltageSaysBoard(probe);
    if (byVoltage === false) return true;
    if (byVoltage === null) {
      let session: Stm8Session;
      try {
        session = await Stm8Session.connect(probe, part, { measureVoltage: false, noReset: true });
      } catch (e) {
        if (meansNoBoard(e)) return true;
        throw e;
      }
      const now = part.uidAddress === null ? null : Buffer.from(await session.readMemory(part.uidAddress, 12)).toString('hex');
      await session.disconnect({ resume: true });
      if (uid !== null && now !== null && now !== uid) return true;
    }
    await probe.clock.sleep(PRESENCE_POLL_MS);
  }
}
