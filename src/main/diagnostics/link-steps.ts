/**
 * Steps 5 to 8, the SWIM link to the target: voltage, entry without NRST, NRST (or connect
 * under reset when plain entry failed), speed and link quality. Each step is one function;
 * target-steps.ts runs them in order and stops the ladder where they say so.
 */
import type { Part } from '#shared/catalogue/types';
import { AppError } from '#shared/errors';
import type { StlinkProbe, TargetVoltage } from '../stlink/probe';
import { NO_POWER_VOLTAGE, LOW_VOLTAGE_WARN, SWIM_STATUS } from '../stlink/constants';
import { Stm8Session, isLinkError, type SwimConnectOptions, type ConnectReport } from '../stm8/session';
import { makeFinding } from './findings';
import type { RunState } from './run-state';
import { checkNrst, checkStability, STABILITY_READS } from './target-checks';
import { hex2 } from '#shared/hex';
import { errorText, statusOf } from './words';

/** The session of steps 6–12, visible to the ladder so it is always ended, whatever stops the run. */
export interface HeldSession {
  session: Stm8Session | null;
}

/** An attached target, and how it was reached. */
export interface Link {
  session: Stm8Session;
  /** How the working entry was made (used again to attach with another part). */
  connectOpts: SwimConnectOptions;
  /** The connect report of that first entry (a copy: later resets update the session's in place). */
  firstReport: ConnectReport;
}

/** Plain entry: the running firmware is attached to as it is. */
const PLAIN_ENTRY: SwimConnectOptions = { noReset: true, highSpeed: true, measureVoltage: false, entryAttempts: 2 };
/** Entry with NRST held low and the CPU stalled before the firmware runs. */
const UNDER_RESET_ENTRY: SwimConnectOptions = { connectUnderReset: true, highSpeed: true, measureVoltage: false, entryAttempts: 2 };

/** Parts in 8-pin packages without an NRST pin (docs/spec/anchors.md §6 W7; SF PR #157). */
const NO_NRST_PARTS = /^stm8(s001j3|l001j3|l050j3)$/;

/** Step 5. Returns the reading, or null when the target is not powered (the ladder stops). */
export async function checkTargetVoltage(run: RunState, probe: StlinkProbe): Promise<TargetVoltage | null> {
  run.start('target-voltage');
  const v = await probe.targetVoltage();
  run.targetVoltage = v.volts;
  run.facts('target-voltage', { volts: v.volts, note: v.note ?? null });
  if (v.volts === null) {
    run.add(makeFinding('voltage-not-measured', { vars: { detail: v.note ? `The probe gives no reading: ${v.note}.` : undefined }, evidence: v.note }));
    run.pass('target-voltage', `not measured (${v.note ?? 'no reading'})`);
  } else if (v.volts < NO_POWER_VOLTAGE) {
    run.add(makeFinding('target-no-power', { vars: { volts: `${v.volts.toFixed(2)} V` }, evidence: `${v.volts.toFixed(3)} V` }));
    run.fail('target-voltage', `${v.volts.toFixed(2)} V`);
    run.skipRemaining('the target is not powered');
    return null;
  } else {
    if (v.volts < LOW_VOLTAGE_WARN) run.add(makeFinding('target-low-voltage', { vars: { volts: `${v.volts.toFixed(2)} V` }, evidence: `${v.volts.toFixed(3)} V` }));
    run.conclude('target-voltage', `${v.volts.toFixed(2)} V`);
  }
  return v;
}

/** Step 6: SWIM entry without touching NRST. A link failure is a result here, not an error. */
export async function enterWithoutNrst(run: RunState, probe: StlinkProbe, part: Part, held: HeldSession): Promise<{ session: Stm8Session | null; firstError: unknown }> {
  run.start('swim-entry');
  let session: Stm8Session | null = null;
  let firstError: unknown = null;
  try {
    session = await Stm8Session.connect(probe, part, PLAIN_ENTRY);
    held.session = session;
  } catch (e) {
    if (!(e instanceof AppError) || !isLinkError(e.code)) throw e;
    firstError = e;
  }
  if (session) {
    const r = session.report;
    run.facts('swim-entry', { attempts: r.entryAttempts, probeModeBefore: r.probeModeBefore, readBufSize: r.readBufSize, swimCsr: hex2(r.swimCsr) });
    if (r.probeModeBefore === 'swim' || r.probeModeBefore === 'debug') {
      run.add(
        makeFinding('probe-recovered', {
          vars: { detail: `The probe was still in ${r.probeModeBefore.toUpperCase()} mode, left by a program that did not close it.` },
          evidence: `GET_CURRENT_MODE: ${r.probeModeBefore}`,
          step: 'swim-entry',
        }),
      );
    }
    run.pass('swim-entry', `Entered on attempt ${r.entryAttempts} without NRST; SWIM_CSR ${hex2(r.swimCsr)}.`);
  } else {
    const st = statusOf(firstError);
    run.facts('swim-entry', { status: st === null ? null : hex2(st), error: errorText(firstError) });
    run.fail('swim-entry', `No answer without NRST: ${errorText(firstError)}`);
  }
  return { session, firstError };
}

/**
 * Step 7. After a plain entry: does NRST reset the chip (not tested on parts without the
 * pin). Without one: entry with NRST held low. Returns the link, or null when the target
 * answers neither way (the ladder stops).
 */
export async function checkNrstStep(
  run: RunState,
  probe: StlinkProbe,
  part: Part,
  selected: Part | null,
  voltage: TargetVoltage,
  entry: { session: Stm8Session | null; firstError: unknown },
  held: HeldSession,
): Promise<Link | null> {
  run.start('nrst');
  const noNrstPin = selected !== null && NO_NRST_PARTS.test(selected.name);
  const { session, firstError } = entry;
  if (session) {
    const firstReport = { ...session.report };
    if (noNrstPin) {
      run.add(makeFinding('part-without-nrst', { vars: { part: selected?.name } }));
      run.pass('nrst', 'Not tested: the part has no NRST pin.');
    } else {
      await checkNrst(run, session);
      // Start from a clean attach whatever the NRST pulse did to the link.
      await session.reset({ halt: true });
    }
    return { session, connectOpts: PLAIN_ENTRY, firstReport };
  }
  let underReset: Stm8Session;
  try {
    underReset = await Stm8Session.connect(probe, part, UNDER_RESET_ENTRY);
    held.session = underReset;
  } catch (e) {
    if (!(e instanceof AppError) || !isLinkError(e.code)) throw e;
    noAnswerEitherWay(run, e, firstError, voltage, noNrstPin ? selected : null);
    return null;
  }
  const firstReport = { ...underReset.report };
  const st = statusOf(firstError);
  run.add(
    makeFinding('swim-disabled-by-firmware', {
      vars: { status: st === null ? undefined : hex2(st) },
      evidence: `without NRST: ${errorText(firstError)}; with NRST held low: entered on attempt ${firstReport.entryAttempts}`,
    }),
  );
  run.facts('nrst', { underReset: true, attempts: firstReport.entryAttempts });
  // The check itself passed: entry works under reset. The finding says what that means.
  run.pass('nrst', 'Entry works with NRST held low (connect under reset).');
  return { session: underReset, connectOpts: UNDER_RESET_ENTRY, firstReport };
}

/** Step 7 failed both ways: a line fault, or no answer (with what the voltage and the part say). */
function noAnswerEitherWay(run: RunState, e: AppError, firstError: unknown, voltage: TargetVoltage, partWithoutNrst: Part | null): void {
  const st = statusOf(e) ?? statusOf(firstError);
  run.facts('nrst', { status: st === null ? null : hex2(st), error: errorText(e) });
  const evidence = `entry without NRST: ${errorText(firstError)}; with NRST held low: ${errorText(e)}`;
  if (st === SWIM_STATUS.WIRE_FAULT) {
    run.add(makeFinding('swim-line-fault', { vars: { status: hex2(st) }, evidence }));
  } else {
    const power = voltage.volts === null ? 'the probe cannot tell whether it is powered' : `the probe measures ${voltage.volts.toFixed(2)} V`;
    run.add(
      makeFinding('swim-no-response', {
        vars: {
          status: st === null ? undefined : hex2(st),
          power,
          v3: run.probe && run.probe.variant.startsWith('stlinkv3') ? 'yes' : undefined,
          noNrstPin: partWithoutNrst?.name,
        },
        evidence,
      }),
    );
  }
  if (partWithoutNrst) run.add(makeFinding('part-without-nrst', { vars: { part: partWithoutNrst.name } }));
  run.fail('nrst', 'No answer with NRST held low either.');
  run.skipRemaining('the target does not answer on SWIM');
}

/** Step 8: HSIT and the speed reached at the first entry, then repeated reads at that speed. */
export async function checkSpeedAndLink(run: RunState, probe: StlinkProbe, link: Link): Promise<void> {
  const r = link.firstReport;
  run.checkCancelled();
  run.start('swim-speed');
  run.facts('swim-speed', {
    hsitSeen: r.hsitSeen,
    hsitPolls: r.hsitPolls,
    speed: r.speed,
    lowSpeedReason: r.lowSpeedReason ?? null,
    entryAttempts: r.entryAttempts,
  });
  if (r.speed !== 'high') {
    run.add(
      makeFinding('low-speed-only', {
        vars: { reason: r.lowSpeedReason ?? (r.hsitSeen ? 'the switch failed' : 'HSIT never became 1') },
        evidence: `HSIT ${r.hsitSeen ? 'seen' : 'not seen'} after ${r.hsitPolls} read(s) of SWIM_CSR (last ${hex2(r.swimCsr)})`,
      }),
    );
  }
  const stability = await checkStability(link.session);
  run.facts('swim-speed', { stabilityReads: STABILITY_READS, stabilityProblems: stability.problems, busyPolls: probe.stats.busyPolls });
  if (stability.problems > 0 || r.entryAttempts > 1) {
    const bits = [];
    if (r.entryAttempts > 1) bits.push(`entry needed ${r.entryAttempts} attempts`);
    if (stability.problems > 0) bits.push(`${stability.problems} of ${STABILITY_READS} repeated reads failed or differed`);
    run.add(makeFinding('unstable-link', { vars: { detail: bits.join('; ') }, evidence: stability.detail || bits.join('; ') }));
  }
  run.conclude('swim-speed', `${r.speed} speed, HSIT ${r.hsitSeen ? 'set' : 'not set'}; ${STABILITY_READS} repeated reads ${stability.problems === 0 ? 'agree' : 'disagree'}`);
}
