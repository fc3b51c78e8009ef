/**
 * Steps 5 to 12, on the target, in order: the SWIM link (link-steps.ts: voltage, entry
 * without and with NRST, speed and link quality), then the chip behind it (chip-steps.ts:
 * identification, option bytes, protection and the flash keys), on layer 3 sessions. Each
 * step is one function; this decides where the ladder stops.
 */
import { findPart } from '#shared/catalogue/index';
import type { Part } from '#shared/catalogue/types';
import type { StlinkProbe } from '../stlink/probe';
import { checkFlashController, checkOptionBytes, checkProtection, identifyChipStep, sessionForPart } from './chip-steps';
import { checkNrstStep, checkSpeedAndLink, checkTargetVoltage, enterWithoutNrst, type HeldSession } from './link-steps';
import type { RunState } from './run-state';

export async function targetSteps(run: RunState, probe: StlinkProbe, selected: Part | null, held: HeldSession): Promise<void> {
  const voltage = await checkTargetVoltage(run, probe);
  if (!voltage) return;
  // The session's part only places the flash controller; identification (step 9) checks it.
  const sessionPart = selected ?? findPart('stm8s103f3');
  const entry = await enterWithoutNrst(run, probe, sessionPart, held);
  const link = await checkNrstStep(run, probe, sessionPart, selected, voltage, entry, held);
  if (!link) return;
  await checkSpeedAndLink(run, probe, link);
  const used = await identifyChipStep(run, link.session, selected);
  if (!used) return;
  const session = await sessionForPart(probe, link, used, held);
  const options = await checkOptionBytes(run, session, used);
  const rop = await checkProtection(run, session, used, options);
  await checkFlashController(run, session, used, rop);
}
