/**
 * Finding, listing and opening probes across the three transports: real ST-LINKs on USB,
 * in-process virtual probes (--virtual) and virtual probes on a socket (--sim-socket).
 * Faces call these; nothing here speaks ST-LINK beyond opening (layer 2 does that).
 */
import { AppError, type AppErrorData } from '#shared/errors';
import { StlinkProbe, type StlinkOpenOptions } from '../stlink/probe';
import { RealClock } from '../clock';
import { toUsbAppError } from '../usb/errors';
import { watchUsb } from '../usb/node-usb';
import type { UsbTransport } from '../usb/transport';
import { chooseUsbProbe, findUsbStlinks, summarizeUsb } from './usb';
import { summarizeVirtual, virtualProbeFor } from './virtual';
import { connectSocketProbe, summarizeSocket } from './socket';
import type { ProbeScan, ProbeChoice, ProbeSummary } from './types';

export type { ProbeScan, ProbeChoice, ProbeSummary } from './types';
export { forgetVirtualProbes, virtualProbeFor, virtualSpecPart } from './virtual';

/**
 * List probes. With `virtual` or `simSocket` in the selection, just that one. Otherwise the
 * USB ST-LINKs; a machine without USB gives an empty list and a note 'usb-unavailable'
 * (never an exception for that).
 */
export async function scanProbes(sel: ProbeChoice = {}): Promise<ProbeScan> {
  const notes: AppErrorData[] = [];
  if (sel.virtual) {
    return { probes: [summarizeVirtual(sel.virtual, virtualProbeFor(sel.virtual))], notes };
  }
  if (sel.simSocket) {
    try {
      const t = await connectSocketProbe(sel.simSocket);
      const s = summarizeSocket(sel.simSocket, t);
      await t.close();
      return { probes: [s], notes };
    } catch (e) {
      notes.push(toUsbAppError(e).toData());
      return { probes: [], notes };
    }
  }
  try {
    const probes = (await findUsbStlinks()).map(summarizeUsb);
    const want = sel.probe;
    const filtered = want ? probes.filter((p) => p.portPath === want || p.serial === want.toUpperCase() || p.serialRaw === want) : probes;
    return { probes: filtered, notes };
  } catch (e) {
    notes.push(toUsbAppError(e, 'listing USB devices').toData());
    return { probes: [], notes };
  }
}

/** Just the probes of scanProbes. */
export async function listProbes(sel: ProbeChoice = {}): Promise<ProbeSummary[]> {
  return (await scanProbes(sel)).probes;
}

/**
 * The transport for a selection, not yet opened: the virtual probe's (with its virtual
 * clock), a socket client, or the one USB ST-LINK the selection names. Errors: 'no-probe',
 * 'probe-not-found', 'probe-ambiguous' (several and none chosen, listed in details.probes),
 * the sim's spec errors for a bad --virtual.
 */
export async function selectTransport(sel: ProbeChoice = {}): Promise<UsbTransport> {
  if (sel.virtual) return virtualProbeFor(sel.virtual).transport;
  if (sel.simSocket) return connectSocketProbe(sel.simSocket);
  return chooseUsbProbe(sel.probe);
}

/**
 * Open and identify the selected probe (layer 2). Throws AppErrors: 'probe-no-swim' (SWIM
 * version 0, e.g. V3MINIE), 'probe-in-dfu', 'probe-busy', 'probe-permission',
 * 'probe-no-driver', 'probe-unplugged', 'usb-timeout', plus those of selectTransport.
 */
export async function openProbe(sel: ProbeChoice = {}, opts: StlinkOpenOptions = {}): Promise<StlinkProbe> {
  // The socket server serves one client at a time and notices a client's departure a moment
  // later; a client that connects in that moment is answered "busy" — try again briefly.
  const attempts = sel.simSocket && !sel.virtual ? 4 : 1;
  for (let i = 1; ; i++) {
    const transport = await selectTransport(sel);
    // The socket server runs on the real-time clock (docs/spec/simulator.md §3); USB is real time too.
    const clock = opts.clock ?? transport.clock ?? new RealClock();
    try {
      return await StlinkProbe.open(transport, { ...opts, clock });
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'probe-busy' || i >= attempts) throw e;
      await clock.sleep(100 * i);
    }
  }
}

/**
 * Hot-plug: `cb` gets the new USB probe list whenever a USB device comes or goes. Returns
 * an unsubscribe function. Without USB it never fires.
 */
export function watchProbes(cb: (probes: ProbeSummary[]) => void): () => void {
  let stopped = false;
  let stop: (() => void) | null = null;
  void watchUsb(() => {
    if (stopped) return;
    void listProbes().then((p) => {
      if (!stopped) cb(p);
    });
  }).then((s) => {
    if (stopped) s();
    else stop = s;
  });
  return () => {
    stopped = true;
    stop?.();
  };
}

/** True when the error means "no probe / no target" (CLI exit code 3). */
export function isNoProbeError(e: unknown): boolean {
  const code = e instanceof AppError ? e.code : undefined;
  return (
    code === 'no-probe' ||
    code === 'probe-not-found' ||
    code === 'probe-ambiguous' ||
    code === 'probe-no-swim' ||
    code === 'probe-in-dfu' ||
    code === 'probe-busy' ||
    code === 'probe-permission' ||
    code === 'probe-no-driver' ||
    code === 'probe-unsupported' ||
    code === 'target-no-response' ||
    code === 'target-not-powered' ||
    code === 'swim-wire-fault'
  );
}
