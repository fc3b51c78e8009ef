/**
 * EnginePort on the real engine: probes from src/main/probes (USB, socket) and the app's
 * virtual-probe pool, ST-LINK identification (layer 2), the STM8 session (layer 3) and the
 * jobs (layer 4, through SessionTarget), and the diagnostics ladder.
 */
import { AppError } from '../../shared/errors';
import type { Part } from '../../shared/catalogue/types';
import type { ConnectionInfo, DiagnosticStep, ProbeInfo, ProbeSelection, VirtualVariant } from '../../shared/ipc';
import { VIRTUAL_VARIANTS } from '../../shared/ipc';
import type { Clock } from '../clock';
import { connectTarget, readRopActive } from '../jobs/index';
import { formatReportMarkdown, initialSteps, runDiagnostics, STEP_DEFINITIONS } from '../diagnostics/index';
import type { StepRecord } from '../diagnostics/types';
import { scanProbes, selectTransport, watchProbes } from '../probes/index';
import type { ProbeSummary } from '../probes/types';
import { FAULTS, FAULT_NAMES } from '../sim/index';
import type { UsbTransport } from '../usb/transport';
import type { EnginePort } from './engine-port';
import { regionInfos } from './memory-map';
import { SessionTarget } from './target-adapter';
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

function stepOf(s: StepRecord): DiagnosticStep {
  return { id: s.id, title: s.title, state: s.state, ...(s.evidence ? { evidence: s.evidence } : {}) };
}

function usbProbeInfo(s: ProbeSummary): ProbeInfo {
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

export interface EngineAdapterOptions {
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

export interface EngineAdapter extends EnginePort {
  /** The virtual probes made so far (tests look at their chips through the sim's backdoor). */
  readonly virtualProbes: VirtualProbePool;
}

export function createEngineAdapter(opts: EngineAdapterOptions = {}): EngineAdapter {
  const pool = new VirtualProbePool(opts.virtualClock);

  async function usbProbes(): Promise<ProbeInfo[]> {
    // No USB subsystem (as on this build machine) is a note, never an error: the list just has no real probes.
    const scan = await scanProbes();
    return scan.probes.map(usbProbeInfo);
  }

  // A page (or a compromised renderer) names the socket in its request; only the paths the
  // user gave on the command line are ever opened, so it cannot reach another Unix socket.
  const offeredSockets = new Set(opts.socketPaths ?? []);
  function offeredSocket(path: string): string {
    if (!offeredSockets.has(path)) {
      throw new AppError(
        'socket-not-offered',
        `The socket ${JSON.stringify(path)} was not given to SWIM Studio.`,
        'Start the app with --sim-socket PATH to offer a virtual probe served by "swim-studio sim serve".',
      );
    }
    return path;
  }

  function transportFor(sel: ProbeSelection, part: Part): Promise<UsbTransport> | UsbTransport {
    switch (sel.kind) {
      case 'virtual':
        return pool.get(sel.variant, sel.targetPart ?? part.name, sel.faults ?? []).transport;
      case 'socket':
        return selectTransport({ simSocket: offeredSocket(sel.path) });
      case 'usb':
        return selectTransport({ probe: sel.portPath || sel.serial });
    }
  }

  return {
    virtualProbes: pool,
    async listProbes() {
      return [...(await usbProbes()), ...(opts.socketPaths ?? []).map(socketProbeInfo), ...VIRTUAL_VARIANTS.map(virtualProbeInfo)];
    },
    watchProbes(listener) {
      // Only where there is a USB subsystem: the usb package's hot-plug polling rejects
      // without one (no /sys/bus/usb here), and then there is nothing to watch anyway.
      let stop: (() => void) | null = null;
      let stopped = false;
      void scanProbes().then((scan) => {
        if (stopped || scan.notes.some((n) => n.code === 'usb-unavailable')) return;
        stop = watchProbes((probes) =>
          listener([...probes.map(usbProbeInfo), ...(opts.socketPaths ?? []).map(socketProbeInfo), ...VIRTUAL_VARIANTS.map(virtualProbeInfo)]),
        );
      });
      return () => {
        stopped = true;
        stop?.();
      };
    },
    virtualFaults: () => FAULT_NAMES.map((name) => ({ name, description: FAULTS[name].description })),

    async connect(sel, part, options, ctx) {
      const steps = 3;
      ctx.progress('opening the probe', 0, steps);
      const transport = await transportFor(sel, part);
      ctx.progress('entering SWIM', 1, steps);
      const conn = await connectTarget({ transport, part, connectUnderReset: options.underReset, highSpeed: options.highSpeed });
      try {
        if (ctx.signal.aborted) throw new AppError('cancelled', 'Connect was cancelled.');
        ctx.progress('reading the protection state', 2, steps);
        const rop = await readRopActive(conn.session);
        ctx.progress('connected', steps, steps);
        const id = conn.identity;
        const report = conn.connectReport;
        const probeInfo: ProbeInfo =
          sel.kind === 'virtual'
            ? { ...virtualProbeInfo(sel.variant), selection: sel, serial: id.serial }
            : {
                id: `${sel.kind}:${id.portPath}`,
                selection: sel,
                label: `${id.variantName} · ${id.serial} (${sel.kind === 'socket' ? sel.path : `USB ${id.portPath}`})`,
                variant: id.variant,
                serial: id.serial,
                vendorId: id.usbVid,
                productId: id.usbPid,
                portPath: id.portPath,
                swim: id.supportsSwim,
              };
        const info: ConnectionInfo = {
          probe: probeInfo,
          part: part.name,
          probeFirmware: id.versionString,
          targetVoltage: report.voltage.volts,
          swimSpeed: report.speed,
          underReset: report.underReset,
          readProtected: rop,
          regions: regionInfos(part),
        };
        return new SessionTarget(info, conn);
      } catch (e) {
        await conn.close({ resume: true }).catch(() => undefined);
        throw e;
      }
    },

    async runDiagnostics(sel, part, onStep, ctx) {
      const where =
        sel === undefined
          ? {}
          : sel.kind === 'virtual'
            ? { transport: pool.get(sel.variant, sel.targetPart ?? part?.name ?? 'stm8s103f3', sel.faults ?? []).transport }
            : sel.kind === 'socket'
              ? { simSocket: offeredSocket(sel.path) }
              : { probe: sel.portPath || sel.serial };
      // The whole ladder first, every step 'waiting', so the panel can show it before it runs.
      for (const s of initialSteps()) onStep(stepOf(s));
      const r = await runDiagnostics({
        ...where,
        ...(part ? { part: part.name } : {}),
        signal: ctx.signal,
        onStep: (s) => {
          onStep(stepOf(s));
          const i = STEP_DEFINITIONS.findIndex((d) => d.id === s.id);
          if (i >= 0) ctx.progress(s.title, i + (s.state === 'running' ? 0 : 1), STEP_DEFINITIONS.length);
        },
      });
      return {
        steps: r.steps.map(stepOf),
        findings: r.findings.map((f) => ({
          code: f.code,
          severity: f.severity,
          title: f.title,
          explanation: f.explanation,
          remedies: [...f.remedies],
          ...(f.evidence ? { evidence: f.evidence } : {}),
          ...(f.action ? { action: f.action } : {}),
          ...(f.snippets?.length ? { snippets: f.snippets.map((x) => ({ title: x.title, language: x.language, text: x.text })) } : {}),
        })),
        verdict: { ...r.verdict },
        markdown: formatReportMarkdown(r),
      };
    },
  };
}
