/**
 * The diagnostics ladder (issue "Connection diagnostics"): twelve checks from "is there a
 * USB subsystem" to "does the flash controller take its keys", in order, each recording
 * what it saw. It stops where a later step could not mean anything, so the first failing
 * step names the cause to fix first (anchors.md §6, §7 item 2).
 *
 * It drives the engine one layer at a time where single steps matter: the probe (layer 2)
 * for open, version and voltage; the STM8 session (layer 3) for entry without and with
 * NRST, HSIT and speed, reads and the flash keys. Every transfer is bounded by the engine's
 * timeouts, and on a virtual probe all waiting is on its virtual clock.
 */
import { findPart, isRopActive, complementMismatches, findOptionField, ubcProtectedBytes } from '../../shared/catalogue/index';
import type { Part } from '../../shared/catalogue/types';
import { AppError } from '../../shared/errors';
import { RealClock } from '../clock';
import { StlinkProbe } from '../stlink/probe';
import { decodeVersion, formatVersionLine } from '../stlink/version';
import { NO_POWER_VOLTAGE, LOW_VOLTAGE_WARN, SWIM_STATUS } from '../stlink/constants';
import { Stm8Session, isLinkError, type ConnectOptions, type ConnectReport } from '../stm8/session';
import { IAPSR } from '../stm8/registers';
import type { UsbTransport } from '../usb/transport';
import { identifyChip, partDifferences, partFits, readChipEvidence, type ChipEvidence } from './chip-identity';
import { environmentFacts } from './environment';
import { makeFinding } from './findings';
import { locateProbe } from './locate';
import { virtualProbeFor } from '../probes/virtual';
import { DiagnosticsCancelled, RunState } from './run-state';
import { traceBytes, TracingTransport } from './trace';
import { udevInstallCommands, udevRuleText, UDEV_RULE_FILE } from './udev';
import type { DiagnosticsOptions, DiagnosticsReport, Finding, FirmwareFacts, StepId } from './types';

/** Options the tests and the app's demo mode add: diagnose a transport already chosen. */
export interface RunOptions extends DiagnosticsOptions {
  transport?: UsbTransport;
}

/** Parts in 8-pin packages without an NRST pin (anchors.md §6 W7; SF PR #157). */
const NO_NRST_PARTS = /^stm8(s001j3|l001j3|l050j3)$/;

/** STM8S / STM8L CLK_CKDIVR (stm8-target.md §2.1) and the flash-controller probe address. */
const CKDIVR_S = 0x50c6;
const CKDIVR_L = 0x50c0;
const S_NCR2 = 0x505c;

/** Repeated reads for the link-quality check. */
const STABILITY_READS = 8;

const hex2 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
const hexs = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');

function statusOf(e: unknown): number | null {
  if (e instanceof AppError && typeof e.details?.status === 'number') return e.details.status;
  return null;
}

function errorText(e: unknown): string {
  if (e instanceof AppError) {
    const st = statusOf(e);
    return `${e.code}: ${e.message}${st !== null && !e.message.includes(hex2(st)) ? ` (status ${hex2(st)})` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Errors that mean the probe itself went away or stopped answering: the ladder ends there. */
function probeLostFinding(e: unknown, during: StepId): Finding | null {
  if (!(e instanceof AppError)) return null;
  if (e.code === 'probe-unplugged' || e.code === 'probe-closed') {
    return makeFinding('probe-unplugged', { vars: { detail: e.message, during }, evidence: errorText(e), step: during });
  }
  if (e.code === 'usb-timeout' || e.code === 'usb-io') {
    return makeFinding('probe-not-answering', { vars: { detail: e.message }, evidence: errorText(e), step: during });
  }
  return null;
}

/**
 * Run the whole ladder. Never throws for what it finds (that is the report); throws only for
 * bad input before any USB traffic: an unknown part ('unknown-part'), a malformed --virtual.
 */
export async function runDiagnostics(opts: RunOptions = {}): Promise<DiagnosticsReport> {
  const selectedPart = opts.part ? findPart(opts.part) : null;
  // A malformed --virtual is a usage error, reported before anything runs.
  if (opts.virtual && !opts.transport) virtualProbeFor(opts.virtual);
  const run = new RunState(opts.onStep, opts.signal);
  run.part.selected = selectedPart?.name ?? null;
  const env = environmentFacts(opts.appVersion);
  let traced: TracingTransport | null = null;
  let probe: StlinkProbe | null = null;
  // The session of steps 6–12, visible here so it is always ended, whatever stops the run.
  const held: { session: Stm8Session | null } = { session: null };
  try {
    const located = await locateProbe(run, opts);
    if (!located) {
      run.skipRemaining('an earlier step failed');
    } else {
      run.clock = located.transport.clock ?? new RealClock();
      traced = new TracingTransport(located.transport, 400, run.clock);
      const t = traced;
      run.traceCount = () => t.count;
      probe = await openAndIdentify(run, traced);
      if (probe) await targetSteps(run, probe, selectedPart, held);
    }
  } catch (e) {
    const during = run.currentStep ?? run.steps.find((x) => x.state === 'waiting')?.id ?? 'usb';
    if (e instanceof DiagnosticsCancelled) {
      run.cancelled = true;
      run.add(makeFinding('diagnostics-cancelled', { vars: { during }, step: during }));
    } else {
      run.add(probeLostFinding(e, during) ?? makeFinding('internal-error', { vars: { during, detail: errorText(e) }, evidence: errorText(e), step: during }));
      if (run.step(during).state === 'running') run.fail(during, errorText(e));
    }
    run.skipRemaining(run.cancelled ? 'cancelled' : 'an earlier step failed');
  } finally {
    // Leave the target running its firmware and the probe free (anchors.md §6 T9).
    if (held.session) await held.session.disconnect({ resume: true }).catch(() => undefined);
    if (probe) await probe.close().catch(() => undefined);
    else if (traced?.opened) await traced.close().catch(() => undefined);
  }
  if (!run.findings.some((f) => f.severity === 'warning' || f.severity === 'error') && !run.cancelled && run.steps.every((s) => s.state === 'passed')) {
    run.add(makeFinding('all-good', { vars: { summary: summaryOf(run) } }));
  }
  return buildReport(run, env, traced, opts.traceTail ?? 40);
}

function summaryOf(run: RunState): string {
  const bits: string[] = [];
  if (run.probe) bits.push(`${run.probe.name}${run.firmware ? ` ${run.firmware.version}` : ''}`);
  if (run.targetVoltage !== null) bits.push(`target at ${run.targetVoltage.toFixed(2)} V`);
  const speed = run.step('swim-speed').facts.speed;
  if (typeof speed === 'string') bits.push(`SWIM at ${speed} speed`);
  if (run.part.used) bits.push(`${run.part.used} unprotected with intact option bytes and working flash keys`);
  return bits.join(', ');
}

function verdictOf(findings: Finding[]): DiagnosticsReport['verdict'] {
  const pick = findings.find((f) => f.severity === 'error') ?? findings.find((f) => f.severity === 'warning') ?? findings.find((f) => f.code === 'all-good');
  if (pick) return { code: pick.code, severity: pick.severity, title: pick.title };
  const info = findings[0];
  return info ? { code: info.code, severity: info.severity, title: info.title } : { code: 'none', severity: 'info', title: 'No conclusion' };
}

function buildReport(run: RunState, env: DiagnosticsReport['environment'], traced: TracingTransport | null, tail: number): DiagnosticsReport {
  return {
    format: 1,
    steps: run.steps.map((s) => ({ ...s, facts: { ...s.facts } })),
    findings: run.findings,
    verdict: verdictOf(run.findings),
    environment: env,
    probe: run.probe,
    probesSeen: run.probesSeen,
    firmware: run.firmware,
    targetVoltage: run.targetVoltage,
    part: run.part,
    traceTail: traced ? traced.tail(tail, run.traceMark?.count) : [],
    traceNote: run.traceMark ? `up to the first failed step (${run.traceMark.step})` : 'at the end of the run',
    clock: run.clock?.kind ?? 'realtime',
    cancelled: run.cancelled,
  };
}

// ---------------------------------------------------------------- 3–4: open, firmware

function firmwareFacts(v: ReturnType<typeof decodeVersion>): FirmwareFacts {
  return {
    version: v.versionString,
    versionLine: formatVersionLine(v),
    stlink: v.stlink,
    jtag: v.jtag,
    swim: v.swim,
    msd: v.msd,
    bridge: v.bridge,
    supportsSwim: v.swim !== 0,
  };
}

/** Decode the version replies a refused probe gave (the engine closed it; the trace kept them). */
function versionFromTrace(t: TracingTransport): FirmwareFacts | null {
  const replies = t.replies();
  const v = replies.find((l) => l.length === 6);
  if (!v) return null;
  const ex = replies.find((l) => l.length === 12);
  try {
    return firmwareFacts(decodeVersion(traceBytes(v), ex ? traceBytes(ex) : undefined));
  } catch {
    return null;
  }
}

async function openAndIdentify(run: RunState, traced: TracingTransport): Promise<StlinkProbe | null> {
  const name = run.probe?.name ?? 'The probe';
  run.start('probe-open');
  let probe: StlinkProbe;
  try {
    probe = await StlinkProbe.open(traced, { clock: run.clock ?? new RealClock() });
  } catch (e) {
    const a = e instanceof AppError ? e : new AppError('internal', String(e));
    const detail = String(a.details?.transportMessage ?? a.message);
    // A socket probe "opens" without asking the server; its busy answer comes with the first command.
    const openClass = a.code === 'probe-permission' || a.code === 'probe-no-driver' || a.code === 'probe-busy';
    if (!traced.opened || !traced.claimed || openClass) {
      const code = openClass || a.code === 'probe-unplugged' ? a.code : null;
      const f = code
        ? makeFinding(code, {
            vars: { probe: name, detail, during: 'probe-open' },
            evidence: errorText(a),
            ...(code === 'probe-permission'
              ? {
                  snippets: [
                    { title: `udev rule (${UDEV_RULE_FILE})`, language: 'udev' as const, text: udevRuleText() },
                    { title: 'Install it', language: 'shell' as const, text: udevInstallCommands() },
                  ],
                }
              : {}),
          })
        : makeFinding('internal-error', { vars: { during: 'probe-open', detail: errorText(a) }, evidence: errorText(a), step: 'probe-open' });
      run.add(f);
      run.fail('probe-open', errorText(a));
      run.skipRemaining('the probe could not be opened');
      return null;
    }
    run.pass('probe-open', 'Opened, interface 0 claimed.');
    run.start('firmware');
    run.firmware = versionFromTrace(traced);
    if (run.firmware) run.facts('firmware', { version: run.firmware.version, swim: run.firmware.swim });
    if (a.code === 'probe-no-swim') {
      run.add(makeFinding('probe-no-swim', { vars: { probe: name, version: run.firmware?.version }, evidence: run.firmware?.versionLine ?? errorText(a) }));
    } else if (a.code === 'probe-in-dfu') {
      run.add(makeFinding('probe-in-dfu', { vars: { probe: name }, evidence: errorText(a), step: 'firmware' }));
    } else if (a.code === 'probe-unsupported') {
      run.add(makeFinding('probe-v1-unsupported', { evidence: errorText(a), step: 'firmware' }));
    } else {
      run.add(probeLostFinding(a, 'firmware') ?? makeFinding('internal-error', { vars: { during: 'firmware', detail: errorText(a) }, evidence: errorText(a), step: 'firmware' }));
    }
    run.fail('firmware', run.firmware?.versionLine ?? errorText(a));
    run.skipRemaining('the probe cannot do SWIM');
    return null;
  }
  run.pass('probe-open', 'Opened, interface 0 claimed.');

  run.start('firmware');
  const id = probe.identity;
  run.firmware = firmwareFacts(id);
  run.facts('firmware', { version: id.versionString, swim: id.swim, jtag: id.jtag, msd: id.msd, api: id.apiVersion, usbResets: probe.stats.usbResets });
  if (probe.stats.usbResets > 0) {
    run.add(makeFinding('probe-recovered', { vars: { detail: 'The probe did not answer its first command and needed a USB reset.' }, evidence: `${probe.stats.usbResets} USB reset(s) before GET_VERSION answered` }));
  }
  // V2 before J13 cannot report the target voltage (OO `STLINK_F_HAS_TARGET_VOLT`).
  if (id.stlink === 2 && !id.v21Swap && id.jtag > 0 && id.jtag < 13) {
    run.add(makeFinding('firmware-old', { vars: { probe: id.variantName, version: id.versionString, why: 'Firmware before V2J13 cannot measure the target voltage.' } }));
  }
  run.conclude('firmware', `${id.versionLine}; SWIM version ${id.swim}`);
  return probe;
}

// ---------------------------------------------------------------- 5–12: target

async function targetSteps(run: RunState, probe: StlinkProbe, selected: Part | null, held: { session: Stm8Session | null }): Promise<void> {
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

function evidenceFacts(e: ChipEvidence): Record<string, string | number | boolean | null> {
  return {
    flashController: e.regsStyle,
    ncr2: hex2(e.ncr2),
    nfpr: hex2(e.nfpr),
    optionHead: hexs(e.optionHead),
    complementPairs: e.complementPairs,
    uid: e.uidPlace,
    uidBytes: e.uid ? hexs(e.uid) : null,
    ramSize: e.ramSize,
    bootRom: e.bootRom,
    sp: e.sp === null ? null : `0x${e.sp.toString(16).toUpperCase()}`,
  };
}

/**
 * Does NRST reach the chip? Set CLK_CKDIVR to 0x00 (stm8flash writes the same before
 * programming), pulse NRST through the probe, read it again: a reset restores its non-zero
 * reset value (0x18 on STM8S, 0x03 on STM8L, GX). A link that drops is a reset too.
 */
async function checkNrst(run: RunState, s: Stm8Session): Promise<void> {
  const regs = await s.readMemory(S_NCR2, 3);
  const ckdivr = regs[0] === 0xff && (regs[1] ^ regs[2]) === 0xff ? CKDIVR_S : CKDIVR_L;
  const before = await s.readByte(ckdivr);
  await s.writeByte(ckdivr, 0x00);
  const marked = await s.readByte(ckdivr);
  if (marked !== 0x00) {
    run.facts('nrst', { ckdivr: hex2(before), marker: 'not taken' });
    run.pass('nrst', 'Not conclusive: CLK_CKDIVR did not take the test value.');
    return;
  }
  await s.probe.swimAssertReset();
  await s.probe.swimDeassertReset();
  await s.clock.sleep(1);
  let after: number | null = null;
  try {
    after = await s.readByte(ckdivr);
  } catch (e) {
    if (!(e instanceof AppError) || !isLinkError(e.code)) throw e;
  }
  run.facts('nrst', { ckdivrBefore: hex2(before), ckdivrAfterPulse: after === null ? 'link reset' : hex2(after) });
  if (after === 0x00) {
    run.add(
      makeFinding('nrst-not-connected', {
        vars: { detail: `CLK_CKDIVR set to 0x00 kept that value through an NRST pulse` },
        evidence: `CLK_CKDIVR 0x${ckdivr.toString(16).toUpperCase()}: ${hex2(before)} → 0x00 → NRST low/high → 0x00`,
      }),
    );
    run.fail('nrst', 'NRST pulse did not reset the chip.');
  } else {
    run.pass('nrst', after === null ? 'NRST reset the chip (the SWIM link restarted).' : `NRST reset the chip (CLK_CKDIVR back to ${hex2(after)}).`);
  }
}

/** Read the same bytes several times at the current speed; count failures and differences. */
async function checkStability(s: Stm8Session): Promise<{ problems: number; detail: string }> {
  let reference: string | null = null;
  let problems = 0;
  const notes: string[] = [];
  for (let i = 0; i < STABILITY_READS; i++) {
    try {
      const b = hexs(await s.readMemory(0x4800, 16));
      if (reference === null) reference = b;
      else if (b !== reference) {
        problems++;
        notes.push(`read ${i + 1} differed: ${b}`);
      }
    } catch (e) {
      if (!(e instanceof AppError) || !isLinkError(e.code)) throw e;
      problems++;
      notes.push(`read ${i + 1} failed: ${e.message}`);
    }
  }
  return { problems, detail: notes.join('; ') };
}

/** Unlock program memory and data EEPROM with their keys, then lock again (OO, SF, SPL). */
async function checkFlashKeys(run: RunState, s: Stm8Session, part: Part, rop: boolean): Promise<void> {
  const iapsrAt = part.flashRegs.IAPSR;
  const before = await s.readByte(iapsrAt);
  const refused: string[] = [];
  for (const area of ['flash', 'eeprom'] as const) {
    try {
      await s.flash.unlock(area);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'flash-locked') throw e;
      refused.push(area === 'flash' ? 'program memory (PUKR)' : 'data EEPROM / option bytes (DUKR)');
    }
  }
  const unlocked = await s.readByte(iapsrAt);
  await s.flash.lock();
  const after = await s.readByte(iapsrAt);
  run.facts('flash-controller', { iapsrBefore: hex2(before), iapsrUnlocked: hex2(unlocked), iapsrAfterLock: hex2(after) });
  if (refused.length > 0) {
    if (rop) {
      run.facts('flash-controller', { refusedUnderRop: refused.join(', ') });
    } else {
      run.add(
        makeFinding('flash-keys-refused', {
          vars: { area: refused.join(' and '), detail: `IAPSR ${hex2(unlocked)} after the keys` },
          evidence: `IAPSR before ${hex2(before)}, after keys ${hex2(unlocked)}`,
        }),
      );
    }
  }
  if (after & (IAPSR.PUL | IAPSR.DUL)) {
    run.add(makeFinding('flash-not-relocked', { vars: { detail: `IAPSR ${hex2(after)}` }, evidence: `IAPSR after lock ${hex2(after)}` }));
  }
  run.conclude('flash-controller', `IAPSR ${hex2(before)} → keys → ${hex2(unlocked)} → lock → ${hex2(after)}`);
}
