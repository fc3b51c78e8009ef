/**
 * Steps 1 and 2: is there a USB subsystem, which ST-LINKs are attached, and which one is
 * tested. Virtual and socket probes skip the USB question (they need none) but are listed
 * the same way, so the report looks alike for all three.
 */
import { AppError } from '../../shared/errors';
import { connectSocketProbe, summarizeSocket } from '../probes/socket';
import { summarizeUsb, findUsbStlinks } from '../probes/usb';
import { summarizeVirtual, virtualProbeFor } from '../probes/virtual';
import type { ProbeSummary } from '../probes/types';
import { pidInfo } from '../stlink/constants';
import { serialMatches, serialToHex } from '../stlink/serial';
import { NodeUsbTransport, type NodeUsbDevice } from '../usb/node-usb';
import { TransportError, type UsbTransport } from '../usb/transport';
import { makeFinding } from './findings';
import type { RunState } from './run-state';
import { stm8flashProgrammerFinding } from './stm8flash-hint';
import type { DiagnosticsOptions, ProbeFacts } from './types';

export interface LocatedProbe {
  transport: UsbTransport;
  facts: ProbeFacts;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

export function probeFacts(s: ProbeSummary): ProbeFacts {
  return {
    transport: s.transport,
    variant: s.variant,
    name: s.variantName,
    vendorId: s.vendorId,
    productId: s.productId,
    serial: s.serial,
    portPath: s.portPath,
    inDfu: s.inDfu,
  };
}

/** "STLINK-V3S 0483:374F serial 0670FF… at 1-4.2" */
export function describeProbe(p: ProbeFacts): string {
  return `${p.name} ${hex4(p.vendorId)}:${hex4(p.productId)} serial ${p.serial || '(none)'}${p.portPath ? ` at ${p.portPath}` : ''}`;
}

function factsOfTransport(t: UsbTransport): ProbeFacts {
  const pid = pidInfo(t.info.productId);
  return {
    transport: t.info.kind,
    variant: pid.variant,
    name: pid.name,
    vendorId: t.info.vendorId,
    productId: t.info.productId,
    serial: serialToHex(t.info.serialNumber),
    portPath: t.info.portPath,
    inDfu: pid.loader,
  };
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
  const listing = all.map((x) => describeProbe(x.f)).join('; ');
  if (all.length === 0) {
    run.add(makeFinding('no-probe', { evidence: 'no USB device with VID 0x0483 and an ST-LINK PID' }));
    run.fail('probe-present', 'No ST-LINK on the bus.');
    return null;
  }
  if (opts.stm8flashProgrammer) run.add(stm8flashProgrammerFinding(opts.stm8flashProgrammer, run.probesSeen));
  const serials = new Map<string, number>();
  for (const x of all) if (x.f.serial) serials.set(x.f.serial, (serials.get(x.f.serial) ?? 0) + 1);
  for (const [serial, n] of serials) {
    if (n > 1) run.add(makeFinding('duplicate-serials', { vars: { serial }, evidence: listing }));
  }
  let pool = all;
  if (opts.probe) {
    const byPort = all.filter((x) => x.f.portPath === opts.probe);
    pool = byPort.length > 0 ? byPort : all.filter((x) => serialMatches(opts.probe ?? '', x.d.serialNumber ?? ''));
    if (pool.length === 0) {
      run.add(makeFinding('probe-not-found', { vars: { wanted: opts.probe, probes: listing }, evidence: listing }));
      run.fail('probe-present', listing);
      return null;
    }
  }
  // Prefer a probe that can work: not a loader, not a V1.
  const usable = pool.filter((x) => !x.f.inDfu && x.f.variant !== 'stlinkv1');
  const chosen = (usable.length > 0 ? usable : pool)[0];
  run.probe = chosen.f;
  if (pool.length > 1) {
    run.add(makeFinding('several-probes', { vars: { count: String(pool.length), probe: describeProbe(chosen.f), probes: listing } }));
  }
  if (chosen.f.inDfu) {
    run.add(
      makeFinding('probe-in-dfu', {
        vars: { probe: chosen.f.name, pid: `0x${hex4(chosen.f.productId)}` },
        evidence: describeProbe(chosen.f),
      }),
    );
    run.fail('probe-present', listing);
    return null;
  }
  if (chosen.f.variant === 'stlinkv1') {
    run.add(makeFinding('probe-v1-unsupported', { evidence: describeProbe(chosen.f) }));
    run.fail('probe-present', listing);
    return null;
  }
  run.conclude('probe-present', listing);
  return { transport: new NodeUsbTransport(chosen.d), facts: chosen.f };
}
