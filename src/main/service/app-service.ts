/**
 * The app service: every request of the IPC contract (src/shared/ipc.ts), implemented once
 * on top of the engine, without Electron. The Electron IPC handlers (src/main/app) and the
 * browser bridge (src/main/bridge) are thin transports around `handle()` and `events`, so
 * the whole main-process behaviour is testable under plain Node on virtual probes.
 *
 * Rules it keeps: every argument is validated before use (schemas.ts); one job at a time
 * (job-runner.ts, 'busy' otherwise); every result or error crosses as data (IpcResult);
 * everything that happens is in the log.
 */
import { AppError, toErrorData } from '../../shared/errors';
import type { Part } from '../../shared/catalogue/types';
import type {
  AppInfo,
  ConnectionInfo,
  IpcRequests,
  IpcResult,
  JobKind,
  JobReport,
  LogLevel,
  MemoryArea,
  RequestName,
  Segment,
} from '../../shared/ipc';
import { IPC_CONTRACT_VERSION } from '../../shared/ipc';
import type { CataloguePort, DialogsPort, EnginePort, FilesPort, TargetPort, WorkDone } from './engine-port';
import { EventHub } from './event-hub';
import { JobRunner } from './job-runner';
import type { JobContext } from './job-runner';
import { LogBuffer } from './log-buffer';
import { areaWords, checkRange, checkSegments, hex, requireRegion } from './memory-map';
import { areasOf, bytesWords, makeReport, totalBytes } from './report-words';
import { validateArg } from './schemas';
import { SettingsStore } from './settings-store';

export interface AppServiceOptions {
  host: AppInfo['host'];
  version: string;
  engine: EnginePort;
  catalogue: CataloguePort;
  files: FilesPort;
  /** Native file dialogs (Electron); absent in the bridge. */
  dialogs?: DialogsPort;
  settings?: SettingsStore;
  log?: LogBuffer;
  userDataPath?: string | null;
  /** Unsaved-edits marker from the renderer (Electron: title and close prompt). */
  onDirty?: (dirty: boolean, title: string | undefined) => void;
}

type Handlers = { [K in RequestName]: (arg: IpcRequests[K][0]) => Promise<IpcRequests[K][1]> };

export class AppService {
  readonly events = new EventHub();
  readonly log: LogBuffer;
  readonly settings: SettingsStore;
  private readonly jobs: JobRunner;
  private target: TargetPort | null = null;
  private part: Part | null = null;
  private readonly unsubscribers: (() => void)[] = [];
  private readonly handlers: Handlers;

  constructor(private readonly opts: AppServiceOptions) {
    this.log = opts.log ?? new LogBuffer();
    this.settings = opts.settings ?? new SettingsStore(null);
    this.jobs = new JobRunner({
      progress: (p) => this.events.emit('jobProgress', p),
      state: (s) => this.events.emit('jobState', s),
    });
    this.unsubscribers.push(this.log.subscribe((e) => this.events.emit('log', e)));
    this.handlers = this.makeHandlers();
  }

  /** Starts hot-plug watching (probesChanged events). */
  start(): void {
    this.unsubscribers.push(this.opts.engine.watchProbes((probes) => this.events.emit('probesChanged', { probes })));
  }

  /** Validates, dispatches, and turns any failure into error data. Never rejects. */
  async handle(name: string, arg: unknown): Promise<IpcResult<unknown>> {
    try {
      const valid = validateArg(name, arg) as never;
      const value = await (this.handlers[name as RequestName] as (a: never) => Promise<unknown>)(valid);
      return { ok: true, value };
    } catch (e) {
      const error = toErrorData(e);
      // Cancelled and busy are outcomes the user asked for or can act on, not faults.
      const level: LogLevel = error.code === 'cancelled' || error.code === 'busy' ? 'warn' : 'error';
      this.log.add(level, error.message, { code: error.code, request: name, ...(error.remedy ? { remedy: error.remedy } : {}) });
      return { ok: false, error };
    }
  }

  /** Typed convenience for in-process callers and tests. */
  async request<K extends RequestName>(name: K, arg: IpcRequests[K][0]): Promise<IpcResult<IpcRequests[K][1]>> {
    return (await this.handle(name, arg)) as IpcResult<IpcRequests[K][1]>;
  }

  /** Cancels any job, leaves the target running, stops watching probes. */
  async dispose(): Promise<void> {
    this.jobs.cancel();
    for (const u of this.unsubscribers.splice(0)) u();
    await this.dropTarget();
  }

  // -------------------------------------------------------------------------------------

  private makeHandlers(): Handlers {
    return {
      appInfo: async () => ({
        version: this.opts.version,
        host: this.opts.host,
        platform: process.platform,
        userDataPath: this.opts.userDataPath ?? null,
        contractVersion: IPC_CONTRACT_VERSION,
      }),
      listProbes: () => this.opts.engine.listProbes(),
      listVirtualFaults: async () => this.opts.engine.virtualFaults(),
      listParts: async () => this.opts.catalogue.listParts(),
      partInfo: async ({ name }) => this.opts.catalogue.findPart(name),

      connect: (a) => this.connect(a),
      disconnect: async () => {
        this.jobs.assertIdle('disconnect');
        if (this.target) {
          const name = this.target.info.part;
          await this.dropTarget();
          this.log.add('info', `Disconnected from ${name}; the target runs its firmware.`);
        }
        return null;
      },
      status: async () => ({ connection: this.target?.info ?? null, job: this.jobs.running }),

      readRegion: (a) => this.readRegion(a),
      program: (a) => this.program(a),
      verify: async ({ segments }) => {
        const { target, part } = this.connected();
        checkSegments(part, segments);
        let report: JobReport | undefined;
        const outcome = await this.jobs.run(
          'verify',
          (ctx) => target.verify(segments, ctx),
          (o, ms, id) => {
            const outcome = o.mismatchCount === 0 ? 'identical' : `${bytesWords(o.mismatchCount)} differ, first at ${hex(o.mismatches[0]?.address ?? 0)}`;
            report = makeReport(id, 'verify', ms, `Verified ${bytesWords(o.bytes)} of ${areasOf(segments)}`, { bytes: o.bytes }, outcome);
            return report;
          },
        );
        this.logReport(report!, outcome.mismatchCount === 0 ? 'info' : 'error');
        return { ok: outcome.mismatchCount === 0, mismatchCount: outcome.mismatchCount, mismatches: outcome.mismatches, report: report! };
      },
      erase: async ({ region }) => {
        const { target, part } = this.connected();
        const areas = this.eraseAreas(part, region);
        const report = await this.runReported('erase', `Erased ${areas.map(areaWords).join(' and ')}`, async (ctx) => {
          let bytes = 0;
          for (const a of areas) bytes += (await target.erase(a, ctx)).bytes;
          return { bytes };
        });
        return { report };
      },
      blankCheck: async ({ region }) => {
        const { target, part } = this.connected();
        const areas = this.eraseAreas(part, region);
        let report: JobReport | undefined;
        const r = await this.jobs.run(
          'blankCheck',
          async (ctx) => {
            let bytes = 0;
            let first: number | null = null;
            let count = 0;
            for (const a of areas) {
              const o = await target.blankCheck(a, ctx);
              bytes += o.bytes;
              count += o.nonBlankCount;
              if (first === null) first = o.firstNonBlank;
            }
            return { bytes, firstNonBlank: first, nonBlankCount: count };
          },
          (o, ms, id) => {
            const words = areas.map(areaWords).join(' and ');
            const outcome = o.nonBlankCount === 0 ? 'blank' : `not blank, ${bytesWords(o.nonBlankCount)} set, first at ${hex(o.firstNonBlank ?? 0)}`;
            report = makeReport(id, 'blankCheck', ms, `Blank-checked ${words} (${bytesWords(o.bytes)})`, { bytes: o.bytes }, outcome);
            return report;
          },
        );
        this.logReport(report!);
        return { blank: r.nonBlankCount === 0, firstNonBlank: r.firstNonBlank, nonBlankCount: r.nonBlankCount, report: report! };
      },
      writeRam: async ({ address, data }) => {
        const { target, part } = this.connected();
        checkRange(part, 'ram', address, data.length);
        const report = await this.runReported('writeRam', `Wrote ${bytesWords(data.length)} to RAM at ${hex(address)}`, (ctx) => target.writeRam(address, data, ctx));
        return { report };
      },

      readOptionBytes: async () => {
        const { target } = this.connected();
        let report: JobReport | undefined;
        const r = await this.jobs.run(
          'readOptionBytes',
          (ctx) => target.readOptionBytes(ctx),
          (o, ms, id) => (report = makeReport(id, 'readOptionBytes', ms, `Read ${o.bytes.length} option bytes${o.readProtected ? ' (read-out protection is ON)' : ''}`, { bytes: o.raw.data.length })),
        );
        this.logReport(report!);
        return { ...r, report: report! };
      },
      writeOptionBytes: async (a) => {
        const { target } = this.connected();
        let report: JobReport | undefined;
        const r = await this.jobs.run(
          'writeOptionBytes',
          (ctx) => target.writeOptionBytes(a, ctx),
          (o, ms, id) => (report = makeReport(id, 'writeOptionBytes', ms, 'Wrote the option bytes', o)),
        );
        this.logReport(report!);
        const afterReport = { ...report!, kind: 'readOptionBytes' as const };
        return { report: report!, after: { ...r.after, report: afterReport } };
      },
      unlock: async () => {
        const { target } = this.connected();
        const report = await this.runReported('unlock', 'Removed read-out protection (flash and EEPROM erased)', (ctx) => target.unlock(ctx));
        return { report };
      },

      runDiagnostics: async ({ probe, part }) => {
        // Diagnostics opens the probe itself, step by step: it cannot share it with a session.
        this.jobs.assertIdle('diagnostics');
        if (this.target) {
          this.log.add('info', 'Disconnecting so diagnostics can test the probe from the start.');
          await this.dropTarget();
        }
        const s = this.settings.get();
        const sel = probe ?? s.lastProbe ?? undefined;
        const partName = part ?? s.lastPart ?? undefined;
        const p = partName ? this.opts.catalogue.findPart(partName) : undefined;
        let summary = '';
        const report = await this.jobs.run(
          'diagnostics',
          (ctx) => this.opts.engine.runDiagnostics(sel, p, (step) => this.events.emit('diagnosticsStep', step), ctx),
          (r, ms, id) => {
            const worst = r.findings.find((f) => f.severity === 'error') ?? r.findings.find((f) => f.severity === 'warning');
            summary = worst ? `Diagnostics: ${worst.title}` : 'Diagnostics: every check passed';
            return makeReport(id, 'diagnostics', ms, summary, { bytes: 0 });
          },
        );
        this.log.add('info', summary);
        return report;
      },

      openFile: async ({ path, part }) => {
        let file = path;
        if (file === undefined) {
          if (!this.opts.dialogs) {
            throw new AppError('not-supported', 'There is no file dialog here.', 'Use the Open button or drop the file on the window.');
          }
          const picked = await this.opts.dialogs.pickOpenPath();
          if (picked === null) return null;
          file = picked;
        }
        let bytes: Uint8Array;
        try {
          bytes = await this.opts.files.readFile(file);
        } catch (e) {
          // A recent file that was moved or deleted leaves the list.
          if ((e as { code?: unknown }).code === 'file-not-found' && this.settings.get().recentFiles.includes(file)) {
            this.settings.update({ recentFiles: this.settings.get().recentFiles.filter((f) => f !== file) });
            this.events.emit('settingsChanged', this.settings.get());
          }
          throw e;
        }
        const loaded = this.loadBytes(baseName(file), bytes, part);
        this.settings.addRecentFile(file);
        this.events.emit('settingsChanged', this.settings.get());
        return { ...loaded, path: file };
      },
      loadFileBytes: async ({ name, bytes, part }) => this.loadBytes(name, bytes, part),
      saveFile: async (a) => {
        const suggested = a.suggestedName ?? `image.${a.format === 'srec' ? 's19' : a.format}`;
        let file = a.path;
        if (file === undefined && this.opts.dialogs) {
          const picked = await this.opts.dialogs.pickSavePath(suggested, a.format);
          if (picked === null) return null;
          file = picked;
        }
        const bytes = this.opts.files.serialise(a.segments, a.format, file ? baseName(file) : suggested, a.fill);
        if (file === undefined) {
          this.log.add('info', `Prepared ${suggested} (${bytesWords(bytes.length)}) for download.`);
          return { name: suggested, bytes, size: bytes.length };
        }
        await this.opts.files.writeFile(file, bytes);
        this.settings.addRecentFile(file);
        this.events.emit('settingsChanged', this.settings.get());
        this.log.add('info', `Saved ${areasOf(a.segments)} to ${file} (${bytesWords(bytes.length)}).`);
        return { path: file, name: baseName(file), size: bytes.length };
      },

      cancelJob: async ({ jobId }) => {
        const cancelled = this.jobs.cancel(jobId);
        if (cancelled) this.log.add('info', 'Cancelling: the job stops after the current block.');
        return { cancelled };
      },
      getSettings: async () => this.settings.get(),
      setSettings: async (patch) => {
        const s = this.settings.update(patch);
        this.events.emit('settingsChanged', s);
        return s;
      },
      getLog: async ({ afterSeq, level }) => this.log.list(afterSeq, level),
      setDirty: async ({ dirty, title }) => {
        this.opts.onDirty?.(dirty, title);
        return null;
      },
    };
  }

  // -------------------------------------------------------------------------------------

  private connected(): { target: TargetPort; part: Part } {
    if (!this.target || !this.part) {
      throw new AppError('not-connected', 'No target is connected.', 'Pick a probe and a part, then press Connect.');
    }
    return { target: this.target, part: this.part };
  }

  private async connect(a: IpcRequests['connect'][0]): Promise<ConnectionInfo> {
    const part = this.opts.catalogue.findPart(a.part);
    const s = this.settings.get();
    const options = { underReset: a.options?.underReset ?? s.connectUnderReset, highSpeed: a.options?.highSpeed ?? s.highSpeed };
    this.jobs.assertIdle('connect');
    if (this.target) await this.dropTarget();
    let info: ConnectionInfo | undefined;
    const target = await this.jobs.run(
      'connect',
      (ctx) => this.opts.engine.connect(a.probe, part, options, ctx),
      (t, ms, id) => {
        info = t.info;
        return makeReport(id, 'connect', ms, `Connected to ${t.info.part} through ${t.info.probe.label}`, { bytes: 0 });
      },
    );
    this.target = target;
    this.part = part;
    target.onLost((reason) => {
      if (this.target !== target) return;
      this.target = null;
      this.part = null;
      this.log.add('error', `Connection lost: ${reason.message}`, { code: reason.code });
      this.events.emit('connectionChanged', { connection: null, reason: { code: reason.code, message: reason.message, ...(reason.remedy ? { remedy: reason.remedy } : {}) } });
    });
    this.settings.update({ lastProbe: a.probe, lastPart: part.name });
    const c = info!;
    const volts = c.targetVoltage === null ? 'target voltage not measured' : `target at ${c.targetVoltage.toFixed(2)} V`;
    this.log.add('info', `Connected to ${c.part} through ${c.probe.label} (firmware ${c.probeFirmware}, ${volts}, ${c.swimSpeed} speed${c.underReset ? ', under reset' : ''}).`);
    this.events.emit('connectionChanged', { connection: c });
    return c;
  }

  private async dropTarget(): Promise<void> {
    const t = this.target;
    if (!t) return;
    this.target = null;
    this.part = null;
    await t.close();
    this.events.emit('connectionChanged', { connection: null });
  }

  private async readRegion(a: IpcRequests['readRegion'][0]): Promise<{ segments: Segment[]; report: JobReport }> {
    const { target, part } = this.connected();
    const spans: { region: MemoryArea; address: number; length: number }[] = [];
    if (a.region === 'all') {
      for (const area of ['flash', 'eeprom', 'option'] as const) {
        const r = area === 'eeprom' && !part.eeprom ? null : requireRegion(part, area);
        if (r) spans.push({ region: area, address: r.start, length: r.size });
      }
    } else {
      const r = requireRegion(part, a.region);
      const address = a.address ?? r.start;
      const length = a.length ?? r.end - address + 1;
      checkRange(part, a.region, address, length);
      spans.push({ region: a.region, address, length });
    }
    let report: JobReport | undefined;
    const protectedAreas = new Set<string>();
    const segments = await this.jobs.run(
      'read',
      async (ctx) => {
        const out: Segment[] = [];
        for (const s of spans) {
          const r = await target.read(s.region, s.address, s.length, ctx);
          if (r.protected) protectedAreas.add(areaWords(s.region));
          out.push({ region: s.region, address: s.address, data: r.data });
        }
        return out;
      },
      (segs, ms, id) => (report = makeReport(id, 'read', ms, `Read ${bytesWords(totalBytes(segs))} of ${areasOf(segs)}`, { bytes: totalBytes(segs) })),
    );
    this.logReport(report!);
    if (protectedAreas.size) {
      this.log.add('warn', `Read-out protection is active: what was read from ${[...protectedAreas].join(' and ')} is not the chip's content.`, { code: 'read-protected' });
    }
    return { segments, report: report! };
  }

  private async program(a: IpcRequests['program'][0]): Promise<IpcRequests['program'][1]> {
    const { target, part } = this.connected();
    if (a.segments.some((s) => s.region === 'option')) {
      throw new AppError(
        'option-bytes-separate',
        'Option bytes are not written by Program.',
        'Use the Option bytes tab (writeOptionBytes): it fills complements and asks before risky changes.',
      );
    }
    checkSegments(part, a.segments);
    const s = this.settings.get();
    const opts = { verifyAfterWrite: a.options?.verifyAfterWrite ?? s.verifyAfterWrite, skipUnchanged: a.options?.skipUnchanged ?? s.skipUnchanged };
    let report: JobReport | undefined;
    const done = await this.jobs.run(
      'program',
      (ctx) => target.program(a.segments, opts, ctx),
      (d, ms, id) => (report = makeReport(id, 'program', ms, `Programmed ${bytesWords(totalBytes(a.segments))} of ${areasOf(a.segments)}`, d)),
    );
    this.logReport(report!);
    const result: IpcRequests['program'][1] = { report: report! };
    if (done.verify) {
      result.verify = { ok: done.verify.mismatchCount === 0, mismatchCount: done.verify.mismatchCount, mismatches: done.verify.mismatches, report: { ...report!, kind: 'verify' } };
    }
    return result;
  }

  private eraseAreas(part: Part, region: 'flash' | 'eeprom' | 'all'): ('flash' | 'eeprom')[] {
    if (region === 'all') return part.eeprom ? ['flash', 'eeprom'] : ['flash'];
    requireRegion(part, region);
    return [region];
  }

  private async runReported(kind: JobKind, head: string, work: (ctx: JobContext) => Promise<WorkDone>): Promise<JobReport> {
    let report: JobReport | undefined;
    await this.jobs.run(kind, work, (d, ms, id) => (report = makeReport(id, kind, ms, head, d)));
    this.logReport(report!);
    return report!;
  }

  private logReport(r: JobReport, level: LogLevel = 'info'): void {
    this.log.add(level, r.summary, { jobId: r.jobId, kind: r.kind });
  }

  private loadBytes(name: string, bytes: Uint8Array, partName: string | undefined) {
    const wanted = partName ?? this.part?.name ?? this.settings.get().lastPart;
    if (!wanted) {
      throw new AppError('no-part', `Cannot place ${name}: no part is chosen.`, 'Pick the part first, so the file can be split over its memories.');
    }
    const part = this.opts.catalogue.findPart(wanted);
    const loaded = this.opts.files.load(name, bytes, part);
    const where = loaded.segments.length ? areasOf(loaded.segments) : 'no memory';
    this.log.add('info', `Opened ${name} (${loaded.format}, ${bytesWords(loaded.totalBytes)}) into ${where} of ${part.name}.`);
    if (loaded.outside.length) {
      const ranges = loaded.outside.map((r) => `${hex(r.start)}–${hex(r.end)}`).join(', ');
      this.log.add('warn', `${name} has data outside every memory of ${part.name}: ${ranges}. Those bytes are not shown and will not be programmed.`);
    }
    return loaded;
  }
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}
