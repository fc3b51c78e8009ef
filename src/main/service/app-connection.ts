/**
 * The app's one connection: the engine's TargetConnection (src/main/jobs) with what the app
 * shows about it (ConnectionInfo), and the one thing the app adds to it: a probe that
 * vanishes during a job ends the connection and tells the page (onLost).
 */
import { AppError } from '#shared/errors';
import type { Part } from '#shared/catalogue/types';
import type { ConnectionInfo, ConnectOptions, ProbeInfo, ProbeSelection } from '#shared/ipc';
import { connectTarget, readRopActive, type TargetConnection } from '../jobs/index';
import { isProbeGone } from '../usb/errors';
import { virtualProbeInfo, type AppProbes } from './app-probes';
import type { RunningJob } from './job-runner';
import { regionInfos } from './memory-map';

export type LostListener = (reason: { code: string; message: string; remedy?: string }) => void;

/** Opens the probe, connects, and reads the protection state the connection shows. */
export async function connectApp(probes: AppProbes, sel: ProbeSelection, part: Part, options: Required<ConnectOptions>, job: RunningJob): Promise<AppConnection> {
  const steps = 3;
  job.progress('opening the probe', 0, steps);
  const transport = await probes.transportFor(sel, part.name);
  job.progress('entering SWIM', 1, steps);
  const conn = await connectTarget({ transport, part, connectUnderReset: options.underReset, highSpeed: options.highSpeed });
  try {
    if (job.signal.aborted) throw new AppError('cancelled', 'Connect was cancelled.');
    job.progress('reading the protection state', 2, steps);
    const rop = await readRopActive(conn.session);
    job.progress('connected', steps, steps);
    return new AppConnection(connectionInfo(conn, sel, rop), conn);
  } catch (e) {
    await conn.close({ resume: true }).catch(() => undefined);
    throw e;
  }
}

function connectionInfo(conn: TargetConnection, sel: ProbeSelection, readProtected: boolean): ConnectionInfo {
  const id = conn.identity;
  const report = conn.connectReport;
  const probe: ProbeInfo =
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
  return {
    probe,
    part: conn.part.name,
    probeFirmware: id.versionString,
    targetVoltage: report.voltage.volts,
    swimSpeed: report.speed,
    underReset: report.underReset,
    readProtected,
    regions: regionInfos(conn.part),
  };
}

export class AppConnection {
  private readonly lost = new Set<LostListener>();
  private gone = false;
  private closed = false;

  constructor(
    readonly info: ConnectionInfo,
    private readonly conn: TargetConnection,
  ) {}

  get part(): Part {
    return this.conn.part;
  }

  /** Called once if the probe vanishes (unplugged) while connected. */
  onLost(listener: LostListener): void {
    this.lost.add(listener);
  }

  /** Runs engine calls on the connection; a probe that vanished during them ends it. */
  async use<T>(body: (conn: TargetConnection) => Promise<T>): Promise<T> {
    if (this.gone || this.closed) {
      throw new AppError('not-connected', 'The probe is no longer connected.', 'Plug the probe back in and connect again.');
    }
    try {
      return await body(this.conn);
    } catch (e) {
      if (isProbeGone(e)) this.markLost(e);
      throw e;
    }
  }

  private markLost(e: unknown): void {
    if (this.gone) return;
    this.gone = true;
    const err = e instanceof AppError ? e : new AppError('probe-unplugged', 'The probe was unplugged.', 'Plug it back in and connect again.');
    for (const l of this.lost) l({ code: err.code, message: err.message, ...(err.remedy ? { remedy: err.remedy } : {}) });
    void this.conn.close().catch(() => undefined);
  }

  /** Leaves the target running its firmware and releases the probe. Never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.gone) return;
    // TargetConnection.close never throws for a gone probe.
    await this.conn.close({ resume: true }).catch(() => undefined);
  }
}
