/**
 * The diagnostics ladder (issue "Connection diagnostics"): twelve checks from "is there a
 * USB subsystem" to "does the flash controller take its keys", in order, each recording
 * what it saw. It stops where a later step could not mean anything, so the first failing
 * step names the cause to fix first (docs/spec/anchors.md §6, §7 item 2).
 *
 * It drives the engine one layer at a time where single steps matter: the probe (layer 2)
 * for open, version and voltage; the STM8 session (layer 3) for entry without and with
 * NRST, HSIT and speed, reads and the flash keys. Every transfer is bounded by the engine's
 * timeouts, and on a virtual probe all waiting is on its virtual clock.
 */
import { findPart } from '#shared/catalogue/index';
import { RealClock } from '../clock';
import type { StlinkProbe } from '../stlink/probe';
import type { UsbTransport } from '../usb/transport';
import { virtualProbeFor } from '../probes/virtual';
import { environmentFacts } from './environment';
import { makeFinding } from './findings';
import type { HeldSession } from './link-steps';
import { locateProbe } from './locate';
import { openAndIdentify } from './probe-steps';
import { DiagnosticsCancelled, RunState } from './run-state';
import { targetSteps } from './target-steps';
import { TracingTransport } from './trace';
import type { DiagnosticsOptions, DiagnosticsReport, Finding } from './types';
import { errorText, probeLostFinding } from './words';

/** Options the tests and the app's demo mode add: diagnose a transport already chosen. */
export interface LadderRunOptions extends DiagnosticsOptions {
  transport?: UsbTransport;
}

/**
 * Run the whole ladder. Never throws for what it finds (that is the report); throws only for
 * bad input before any USB traffic: an unknown part ('unknown-part'), a malformed --virtual.
 */
export async function runDiagnostics(opts: LadderRunOptions = {}): Promise<DiagnosticsReport> {
  const selectedPart = opts.part ? findPart(opts.part) : null;
  // A malformed --virtual is a usage error, reported before anything runs.
  if (opts.virtual && !opts.transport) virtualProbeFor(opts.virtual);
  const run = new RunState(opts.onStep, opts.signal);
  run.part.selected = selectedPart?.name ?? null;
  const env = environmentFacts(opts.appVersion);
  let traced: TracingTransport | null = null;
  let probe: StlinkProbe | null = null;
  // The session of steps 6–12, visible here so it is always ended, whatever stops the run.
  const held: HeldSession = { session: null };
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
    // Leave the target running its firmware and the probe free (docs/spec/anchors.md §6 T9).
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
