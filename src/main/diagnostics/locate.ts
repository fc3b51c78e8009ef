/**
 * Steps 1 and 2: is there a USB subsystem, which ST-LINKs are attached, and which one is
 * tested. Virtual and socket probes skip the USB question (they need none) but are listed
 * the same way, so the report looks alike for all three.
 */
import { AppError } from '#shared/errors';
import { connectSocketProbe, summarizeSocket } from '../probes/socket';
import { summarizeUsb, findUsbStlinks } from '../probes/usb';
import { summarizeVirtual, virtualProbeFor } from '../probes/virtual';
import type { ProbeSummary } from '../probes/types';
import { probeIdentityDoc, summarizeProbe } from '../probes/summary';
import { serialMatches } from '../stlink/serial';
import { NodeUsbTransport, type NodeUsbDevice } from '../usb/node-usb';
import { TransportError, type UsbTransport } from '../usb/transport';
import { makeFinding } from './findings';
import type { RunState } from './run-state';
import { stm8flashProgrammerFinding } from './stm8flash-hint';
import type { DiagnosticsOptions, Finding, ProbeFacts } from './types';
import { hex, hexDigits } from '#shared/hex';

export interface LocatedProbe {
  transport: UsbTransport;
  facts: ProbeFacts;
}

function probeFacts(s: ProbeSummary): ProbeFacts {
  return { transport: s.transport, ...probeIdentityDoc(s), inDfu: s.inDfu };
}

/** "STLINK-V3S 0483:374F serial 0670FF… at 1-4.2" */
function describeProbe(p: ProbeFacts): string {
  return `${p.name} ${hexDigits(p.vendorId, 4)}:${hexDigits(p.productId, 4)} serial ${p.serial || '(none)'}${p.portPath ? ` at ${p.portPath}` : ''}`;
}

/** An injected transport (tests, embedders) is described as the USB probe it stands for. */
function factsOfTransport(t: UsbTransport): ProbeFacts {
  return probeFacts(summarizeProbe(t.info, 'injected'));
}

export interface UsbPick {
  /** Index of the probe to test, or null when the ladder stops at step 2. */
  chosen: number | null;
  /** The probe the findings talk about (the chosen one, or the loader / V1 that stopped the ladder). */
  subject: number | null;
  findings: Finding[];
  /** The probes in words, for the step's evidence. */
  listing: string;
}

/**
 * Step 2's decisions over the USB list (pure, so every case is testable without USB):
 * none → no-probe; --probe not matching → probe-not-found; duplicated serials; several
 * probes; a loader (DFU) or a V1 as the only choice → stop with its finding; the stm8flash
 * -c hint. A usable probe (not a loader, not a V1) is preferred.
 */
export function pickUsbProbe(list: readonly (ProbeFacts & { serialRaw: string })[], opts: { probe?: string; stm8flashProgrammer?: string }): UsbPick {
  const findings: Finding[] = [];
  const listing = list.map((p) => describeProbe(p)).join('; ');
  if (list.length === 0) {
    findings.push(makeFinding('no-probe', { evidence: 'no USB device with VID 0x0483 and an ST-LINK PID' }));
    return { chosen: null, subject: null, findings, listing };
  }
  if (opts.stm8flashProgrammer) {
    const f = stm8flashProgrammerFinding(opts.stm8flashProgrammer, list);
    if (f) findings.push(f);
  }
  const serials = new Map<string, number>();
  for (const p of list) if (p.serial) serials.set(p.serial, (serials.get(p.serial) ?? 0) + 1);
  for (const [serial, n] of serials) if (n > 1) findings.push(makeFinding('duplicate-serials', { vars: { serial }, evidence: listing }));
  let pool = list.map((p, i) => ({ p, i }));
  if (opts.probe) {
    const want = opts.probe;
    const byPort = pool.filter((x) => x.p.portPath === want);
    pool = byPort.length > 0 ? byPort : pool.filter((x) => serialMatches(want, x.p.serialRaw) || x.p.serial === want.toUpperCase());
    if (pool.length === 0) {
      findings.push(makeFinding('probe-not-found', { vars: { wanted: want, probes: listing }, evidence: listing }));
      return { chosen: null, subject: null, findings, listing };
    }
  }
  const usable = pool.filter((x) => !x.p.inDfu && x.p.variant !== 'stlinkv1');
  const chosen = (usable.length > 0 ? usable : pool)[0];
  if (pool.length > 1) {
    findings.push(makeFinding('several-probes', { vars: { count: String(pool.length), probe: describeProbe(chosen.p), probes: listing } }));
  }
  if (chosen.p.inDfu) {
    findings.push(makeFinding('probe-in-dfu', { vars: { probe: chosen.p.name, pid: hex(chosen.p.productId) }, evidence: describeProbe(chosen.p) }));
    return { chosen: null, subject: chosen.i, findings, listing };
  }
  if (chosen.p.variant === 'stlinkv1') {
    findings.push(makeFinding('probe-v1-unsupported', { evidence: describeProbe(chosen.p) }));
    return { chosen: null, subject: chosen.i, findings, listing };
  }
  return { chosen: chosen.i, subject: chosen.i, findings, listing };
}

/** Steps 1–2. Returns the probe to test, or null when the ladder stops here. */
export async function locateProbe(run: RunState, opts: DiagnosticsOptions & { transport?: UsbTransport }): Promise<LocatedProbe | null> {
  // ---------------------------------------------------------------- 1. USB subsystem
  run.start('usb');
  if (opts.transport || opts.virtual || opts.simSocket) {
    const kind = opts.transport ? opts.transport.info.kind : opts.virtual ? 'virtual' : 'socket';
    run.facts('usb', { transport: kind });
    run.pass('usb', `Not needed: the probe is ${kind === 'socket' ? `served on the socket ${opts.simSocket}` : 'a virtual probe'}.`);
    run.start('probe-present');
    let located: LocatedProbe;
    if (opts.transport) {
      located = { transport: opts.transport, facts: factsOfTransport(opts.transport) };
    } else if (opts.virtual) {
      const v = virtualProbeFor(opts.virtual);
      located = { transport: v.transport, facts: probeFacts(summarizeVirtual(opts.virtual, v)) };
    } else {
      const path = opts.simSocket ?? '';
      try {
        const t = await connectSocketProbe(path);
        located = { transport: t, facts: probeFacts(summarizeSocket(path, t)) };
      } catch (e) {
        const a = e instanceof AppError ? e : new AppError('no-probe', String(e));
        run.add(makeFinding('no-probe', { vars: { detail: `${a.message} ${a.remedy ?? ''}`.trim() }, evidence: `socket ${path}: ${a.code}` }));
        run.fail('probe-present', a.message);
        return null;
      }
    }
    run.probesSeen = [located.facts];
    run.probe = located.facts;
    if (opts.stm8flashProgrammer) run.add(stm8flashProgrammerFinding(opts.stm8flashProgrammer, run.probesSeen));
    run.facts('probe-present', { count: 1, probe: describeProbe(located.facts) });
    run.conclude('probe-present', describeProbe(located.facts));
    return located;
  }

  let devices: NodeUsbDevice[];
  try {
    devices = await findUsbStlinks();
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    run.facts('usb', { error: detail, code: e instanceof TransportError ? e.code : 'unknown' });
    run.add(makeFinding('usb-unavailable', { vars: { detail }, evidence: detail }));
    run.fail('usb', detail);
    return null;
  }
  run.facts('usb', { transport: 'usb' });
  run.pass('usb', 'The USB library lists devices.');

  // ---------------------------------------------------------------- 2. ST-LINKs present
  run.start('probe-present');
  const all = devices.map((d) => ({ d, f: probeFacts(summarizeUsb(d)) }));
  run.probesSeen = all.map((x) => x.f);
  run.facts('probe-present', { count: all.length });
  const pick = pickUsbProbe(
    all.map((x) => ({ ...x.f, serialRaw: x.d.serialNumber ?? '' })),
    opts,
  );
  for (const f of pick.findings) run.add(f);
  if (pick.subject !== null) run.probe = all[pick.subject].f;
  if (pick.chosen === null) {
    run.fail('probe-present', pick.listing || 'No ST-LINK on the bus.');
    return null;
  }
  const chosen = all[pick.chosen];
  run.probe = chosen.f;
  run.conclude('probe-present', pick.listing);
  return { transport: new NodeUsbTransport(chosen.d), facts: chosen.f };
}
