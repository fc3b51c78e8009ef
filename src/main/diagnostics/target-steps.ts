/**
 * Steps 5 to 12, on the target: voltage, SWIM entry without and with NRST, speed and link
 * quality, identification, option bytes, protection and the flash keys (layer 3 sessions).
 */
import { findPart, isRopActive, complementMismatches, findOptionField, ubcProtectedBytes } from '../../shared/catalogue/index';
import type { Part } from '../../shared/catalogue/types';
import { AppError } from '../../shared/errors';
import type { StlinkProbe } from '../stlink/probe';
import { NO_POWER_VOLTAGE, LOW_VOLTAGE_WARN, SWIM_STATUS } from '../stlink/constants';
import { Stm8Session, isLinkError, type ConnectOptions, type ConnectReport } from '../stm8/session';
import { identifyChip, partDifferences, partFits, readChipEvidence } from './chip-identity';
import { makeFinding } from './findings';
import type { RunState } from './run-state';
import { checkFlashKeys, checkNrst, checkStability, evidenceFacts, STABILITY_READS } from './target-checks';
import { errorText, hex2, hexs, statusOf } from './words';

/** Parts in 8-pin packages without an NRST pin (docs/spec/anchors.md §6 W7; SF PR #157). */
const NO_NRST_PARTS = /^stm8(s001j3|l001j3|l050j3)$/;

export async function targetSteps(run: RunState, probe: StlinkProbe, selected: Part | null, held: { session: Stm8Session | null }): Promise<void> {
  // ------------------------------------------------ 5. voltage
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
    return;
  } else {
    if (v.volts < LOW_VOLTAGE_WARN) run.add(makeFinding('target-low-voltage', { vars: { volts: `${v.volts.toFixed(2)} V` }, evidence: `${v.volts.toFixed(3)} V` }));
    run.conclude('target-voltage', `${v.volts.toFixed(2)} V`);
  }

  // The session's part only places the flash controller; identification (step 9) checks it.
  const sessionPart = selected ?? findPart('stm8s103f3');
  const noNrstPin = selected !== null && NO_NRST_PARTS.test(selected.name);
  const power = v.volts === null ? 'the probe cannot tell whether it is powered' : `the probe measures ${v.volts.toFixed(2)} V`;

  // ------------------------------------------------ 6. entry without NRST
  run.start('swim-entry');
  const plain: ConnectOptions = { noReset: true, highSpeed: true, measureVoltage: false, entryAttempts: 2 };
  let session: Stm8Session | null = null;
  let connectOpts = plain;
  let firstError: unknown = null;
  try {
    session = await Stm8Session.connect(probe, sessionPart, plain);
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

  // ------------------------------------------------ 7. NRST
  run.start('nrst');
  let firstReport: ConnectReport;
  if (!session) {
    const underReset: ConnectOptions = { connectUnderReset: true, highSpeed: true, measureVoltage: false, entryAttempts: 2 };
    try {
      session = await Stm8Session.connect(probe, sessionPart, underReset);
      held.session = session;
      connectOpts = underReset;
    } catch (e) {
      if (!(e instanceof AppError) || !isLinkError(e.code)) throw e;
      const st = statusOf(e) ?? statusOf(firstError);
      run.facts('nrst', { status: st === null ? null : hex2(st), error: errorText(e) });
      const evidence = `entry without NRST: ${errorText(firstError)}; with NRST held low: ${errorText(e)}`;
      if (st === SWIM_STATUS.WIRE_FAULT) {
        run.add(makeFinding('swim-line-fault', { vars: { status: hex2(st) }, evidence }));
      } else {
        run.add(
          makeFinding('swim-no-response', {
            vars: {
              status: st === null ? undefined : hex2(st),
              power,
              v3: run.probe && run.probe.variant.startsWith('stlinkv3') ? 'yes' : undefined,
              noNrstPin: noNrstPin ? selected?.name : undefined,
            },
            evidence,
          }),
        );
      }
      if (noNrstPin) run.add(makeFinding('part-without-nrst', { vars: { part: selected?.name } }));
      run.fail('nrst', 'No answer with NRST held low either.');
      run.skipRemaining('the target does not answer on SWIM');
      return;
    }
    firstReport = { ...session.report }; // a copy: later resets update the session's report in place
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
  } else {
    firstReport = { ...session.report }; // a copy: later resets update the session's report in place
    if (noNrstPin) {
      run.add(makeFinding('part-without-nrst', { vars: { part: selected?.name } }));
      run.pass('nrst', 'Not tested: the part has no NRST pin.');
    } else {
      await checkNrst(run, session);
      // Start from a clean attach whatever the NRST pulse did to the link.
      await session.reset({ halt: true });
    }
  }

  // ------------------------------------------------ 8. speed and link quality
  run.checkCancelled();
  run.start('swim-speed');
  run.facts('swim-speed', {
    hsitSeen: firstReport.hsitSeen,
    hsitPolls: firstReport.hsitPolls,
    speed: firstReport.speed,
    lowSpeedReason: firstReport.lowSpeedReason ?? null,
    entryAttempts: firstReport.entryAttempts,
  });
  if (firstReport.speed !== 'high') {
    run.add(
      makeFinding('low-speed-only', {
        vars: { reason: firstReport.lowSpeedReason ?? (firstReport.hsitSeen ? 'the switch failed' : 'HSIT never became 1') },
        evidence: `HSIT ${firstReport.hsitSeen ? 'seen' : 'not seen'} after ${firstReport.hsitPolls} read(s) of SWIM_CSR (last ${hex2(firstReport.swimCsr)})`,
      }),
    );
  }
  const stability = await checkStability(session);
  run.facts('swim-speed', { stabilityReads: STABILITY_READS, stabilityProblems: stability.problems, busyPolls: probe.stats.busyPolls });
  if (stability.problems > 0 || firstReport.entryAttempts > 1) {
    const bits = [];
    if (firstReport.entryAttempts > 1) bits.push(`entry needed ${firstReport.entryAttempts} attempts`);
    if (stability.problems > 0) bits.push(`${stability.problems} of ${STABILITY_READS} repeated reads failed or differed`);
    run.add(makeFinding('unstable-link', { vars: { detail: bits.join('; ') }, evidence: stability.detail || bits.join('; ') }));
  }
  run.conclude('swim-speed', `${firstReport.speed} speed, HSIT ${firstReport.hsitSeen ? 'set' : 'not set'}; ${STABILITY_READS} repeated reads ${stability.problems === 0 ? 'agree' : 'disagree'}`);

  // ------------------------------------------------ 9. identity
  run.start('chip-identity');
  const evidence = await readChipEvidence(session);
  const id = identifyChip(evidence);
  run.part.identified = id.description;
  run.part.candidates = id.best.map((p) => p.pattern);
  run.facts('chip-identity', evidenceFacts(evidence));
  const candidatesText = id.best.map((p) => p.pattern).join(', ') || 'none in the catalogue';
  let used: Part | null;
  if (selected && partFits(selected, id)) {
    used = selected;
  } else if (selected && id.candidates.length > 0) {
    used = id.usable;
    run.add(
      makeFinding('part-mismatch', {
        vars: {
          selected: selected.name,
          identified: id.description,
          differences: partDifferences(selected, evidence).join('; '),
          candidates: candidatesText,
          used: used?.pattern,
        },
        evidence: id.description,
      }),
    );
  } else if (selected) {
    used = selected;
    run.add(makeFinding('chip-unidentified', { vars: { identified: id.description, selected: selected.name }, evidence: id.description }));
  } else if (id.candidates.length > 0) {
    used = id.usable;
    run.add(makeFinding('part-identified', { vars: { identified: id.description, candidates: candidatesText }, evidence: id.description }));
  } else {
    used = null;
    run.add(makeFinding('chip-unidentified', { vars: { identified: id.description }, evidence: id.description }));
  }
  run.part.used = used?.name ?? null;
  run.conclude('chip-identity', id.description);
  if (!used) {
    run.skipRemaining('the part is not known: select the part printed on the chip');
    return;
  }
  if (used.flashRegs.IAPSR !== session.part.flashRegs.IAPSR) {
    // The flash controller sits elsewhere on this family: attach again with the right part.
    await session.disconnect({ resume: false });
    held.session = null;
    session = await Stm8Session.connect(probe, used, connectOpts);
    held.session = session;
  }

  // ------------------------------------------------ 10. option bytes
  run.start('option-bytes');
  const raw = await session.readMemory(used.option.start, used.option.size);
  const image = new Map<number, number>();
  raw.forEach((b, i) => image.set(used.option.start + i, b));
  const pairs = used.optionBytes.filter((o) => o.complementAddress !== null).length;
  const bad = complementMismatches(used, image);
  run.facts('option-bytes', { pairs, broken: bad.length, head: hexs(raw.subarray(0, 16)) });
  if (bad.length > 0) {
    const list = bad.map((m) => `${m.name} ${hex2(m.value)} at 0x${m.address.toString(16).toUpperCase()} / complement ${hex2(m.complementValue)} (should be ${hex2(~m.value & 0xff)})`);
    run.add(makeFinding('option-complement-broken', { vars: { pairs: bad.map((m) => m.name).join(', '), count: String(bad.length) }, evidence: list.join('; ') }));
  }
  run.conclude('option-bytes', pairs === 0 ? 'This family stores option bytes without complements.' : `${pairs - bad.length} of ${pairs} complement pairs intact.`);

  // ------------------------------------------------ 11. ROP and UBC
  run.start('protection');
  const ropByte = raw[used.rop.address - used.option.start];
  const rop = isRopActive(used, ropByte);
  const flashHead = await session.readMemory(used.flash.start, 8);
  run.facts('protection', { rop: hex2(ropByte), ropActive: rop, flashHead: hexs(flashHead) });
  if (rop) {
    run.add(
      makeFinding('rop-active', {
        vars: {
          rop: hex2(ropByte),
          style: used.rop.style === 'stm8l' ? 'on this family 0xAA means unprotected, anything else protected' : '0xAA means protected',
          pattern: hexs(flashHead),
        },
        evidence: `OPT0 ${hex2(ropByte)}; flash at 0x${used.flash.start.toString(16).toUpperCase()} reads ${hexs(flashHead)}`,
      }),
    );
  }
  const ubcField = findOptionField(used, 'UBC') ?? findOptionField(used, 'UCB');
  if (ubcField) {
    const value = ((image.get(ubcField.byte.address) ?? 0) >> ubcField.field.shift) & ((1 << ubcField.field.width) - 1);
    const bytes = ubcProtectedBytes(used, value);
    run.facts('protection', { ubc: value, ubcBytes: bytes });
    if (value !== 0) {
      const range = bytes === null ? 'a reserved size (treat as the whole flash)' : `the first ${bytes} bytes of flash (0x${used.flash.start.toString(16).toUpperCase()}–0x${(used.flash.start + bytes - 1).toString(16).toUpperCase()})`;
      run.add(makeFinding('ubc-active', { vars: { value: hex2(value), range }, evidence: `${ubcField.byte.name} = ${hex2(value)} → ${range}` }));
    }
  }
  run.conclude('protection', `ROP ${rop ? 'ON' : 'off'} (${hex2(ropByte)})${ubcField ? `, UBC ${hex2(Number(run.step('protection').facts.ubc ?? 0))}` : ''}`);

  // ------------------------------------------------ 12. flash controller
  run.start('flash-controller');
  await checkFlashKeys(run, session, used, rop);
}

