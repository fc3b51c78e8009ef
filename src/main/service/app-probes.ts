/**
 * The probes the app offers: USB and socket probes from src/main/probes, the virtual probes
 * of its own pool (one simulated chip per variant, kept between connects), and only the
 * sockets the user gave on the command line. It also opens the transport of the one chosen.
 */
import { AppError } from '#shared/errors';
import type { ProbeInfo, ProbeSelection, VirtualVariant } from '#shared/ipc';
import { VIRTUAL_VARIANTS } from '#shared/ipc';
import type { Clock } from '../clock';
import { scanProbes, selectTransport, watchProbes } from '../probes/index';
import type { ProbeSummary } from '../probes/types';
import { FAULTS, FAULT_NAMES } from '../sim/index';
import type { UsbTransport } from '../usb/transport';
import { VirtualProbePool } from './virtual-probes';

const VIRTUAL_LABEL: Record<VirtualVariant, string> = {
  stlinkv2: 'ST-LINK/V2',
  stlinkv21: 'ST-LINK/V2-1',
  stlinkv3: 'STLINK-V3SET',
  stlinkv3minie: 'STLINK-V3MINIE',
};
/** USB product ids of the simulated variants (docs/spec/simulator.md §2). */
const VIRTUAL_PID: Record<VirtualVariant, number> = { stlinkv2: 0x3748, stlinkv21: 0x374b, stlinkv3: 0x374f, stlinkv3minie: 0x3754 };

export function virtualProbeInfo(variant: VirtualVariant): ProbeInfo {
  return {
    id: `virtual:${variant}`,
    selection: { kind: 'virtual', variant },
    label: `Virtual ${VIRTUAL_LABEL[variant]} (simulated, no hardware)`,
    variant,
    serial: '',
    vendorId: 0x0483,
    productId: VIRTUAL_PID[variant],
    portPath: '',
    // The V3MINIE has no SWIM (docs/spec/simulator.md §2): offered so users see the engine say so.
    swim: variant !== 'stlinkv3minie',
  };
}

export function usbProbeInfo(s: ProbeSummary): ProbeInfo {
  const where = s.transport === 'socket' ? s.portPath : `USB ${s.portPath}`;
  return {
    id: s.id,
    selection: s.transport === 'socket' ? { kind: 'socket', path: s.portPath.replace(/^socket:/, '') } : { kind: 'usb', serial: s.serial, portPath: s.portPath },
    label: `${s.variantName} · ${s.serial || 'no serial'} (${where})${s.inDfu ? ' — in firmware-update mode' : ''}`,
    variant: s.variant,
    serial: s.serial,
    vendorId: s.vendorId,
    productId: s.productId,
    portPath: s.portPath,
    swim: s.inDfu ? false : s.supportsSwim,
  };
}

export interface AppProbesOptions {
  /** Clock for new virtual probes: real time in the app (default), virtual in tests. */
  virtualClock?: () => Clock;
  /** Virtual probes served by `swim-studio sim serve` to offer in the list (`--sim-socket`). */
  socketPaths?: string[];
}

export function socketProbeInfo(path: string): ProbeInfo {
  return {
    id: `socket:${path}`,
    selection: { kind: 'socket', path },
    label: `Virtual probe served on ${path}`,
    variant: 'unknown',
    serial: '',
    vendorId: 0x0483,
    productId: 0,
    portPath: `socket:${path}`,
    swim: null,
  };
}

/** Where the diagnostics ladder starts: a transport of the pool, a socket, or a USB probe by name. */
export type DiagnosticsSource = { transport: UsbTransport } | { simSocket: string } | { probe: string } | Record<string, never>;

export class AppProbes {
  /** The virtual probes made so far (tests look at their chips through the sim's backdoor). */
  readonly virtualProbes: VirtualProbePool;
  // A page (or a compromised renderer) names the socket in its request; only the paths the
  // user gave on the command line are ever opened, so it cannot reach another Unix socket.
  private readonly offeredSockets: ReadonlySet<string>;

  constructor(private readonly opts: AppProbesOptions = {}) {
    this.virtualProbes = new VirtualProbePool(opts.virtualClock);
    this.offeredSockets = new Set(opts.socketPaths ?? []);
  }

  async list(): Promise<ProbeInfo[]> {
    // No USB subsystem (as on this build machine) is a note, never an error: the list just has no real probes.
    const scan = await scanProbes();
    return this.withOffered(scan.probes.map(usbProbeInfo));
  }

  /** Hot-plug: called with the new list whenever probes come or go. Returns unsubscribe. */
  watch(listener: (probes: ProbeInfo[]) => void): () => void {
    // Only where there is a USB subsystem: the usb package's hot-plug polling rejects
    // without one (no /sys/bus/usb here), and then there is nothing to watch anyway.
    let stop: (() => void) | null = null;
    let stopped = false;
    void scanProbes().then((scan) => {
      if (stopped || scan.notes.some((n) => n.code === 'usb-unavailable')) return;
      stop = watchProbes((probes) => listener(this.withOffered(probes.map(usbProbeInfo))));
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }

  faults(): { name: string; description: string }[] {
    return FAULT_NAMES.map((name) => ({ name, description: FAULTS[name].description }));
  }

  /** Opens the chosen probe's transport; a virtual one simulates `partName` unless it names its own. */
  transportFor(sel: ProbeSelection, partName: string): Promise<UsbTransport> | UsbTransport {
    switch (sel.kind) {
      case 'virtual':
        return this.virtualProbes.get(sel.variant, sel.targetPart ?? partName, sel.faults ?? []).transport;
      case 'socket':
        return selectTransport({ simSocket: this.offeredSocket(sel.path) });
      case 'usb':
        return selectTransport({ probe: sel.portPath || sel.serial });
    }
  }

  diagnosticsSource(sel: ProbeSelection | undefined, partName: string | undefined): DiagnosticsSource {
    if (sel === undefined) return {};
    switch (sel.kind) {
      case 'virtual':
        return { transport: this.virtualProbes.get(sel.variant, sel.targetPart ?? partName ?? 'stm8s103f3', sel.faults ?? []).transport };
      case 'socket':
        return { simSocket: this.offeredSocket(sel.path) };
      case 'usb':
        return { probe: sel.portPath || sel.serial };
    }
  }

  private withOffered(usb: ProbeInfo[]): ProbeInfo[] {
    return [...usb, ...(this.opts.socketPaths ?? []).map(socketProbeInfo), ...VIRTUAL_VARIANTS.map(virtualProbeInfo)];
  }

  private offeredSocket(path: string): string {
    if (!this.offeredSockets.has(path)) {
      throw new AppError(
        'socket-not-offered',
        `The socket ${JSON.stringify(path)} was not given to SWIM Studio.`,
        'Start the app with --sim-socket PATH to offer a virtual probe served by "swim-studio sim serve".',
      );
    }
    return path;
  }
}
