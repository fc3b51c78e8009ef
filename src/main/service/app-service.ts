/**
 * The app service: every request of the IPC contract (src/shared/ipc.ts), implemented once
 * on top of the engine, without Electron. The Electron IPC handlers (src/main/app) and the
 * browser bridge (src/main/bridge) are thin transports around `handle()` and `events`, so
 * the whole main-process behaviour is testable under plain Node on virtual probes.
 *
 * Rules it keeps: every argument is validated before use (schemas.ts); one job at a time
 * (job-runner.ts, 'busy' otherwise); every result or error crosses as data (IpcResult);
 * everything that happens is in the log. This file holds the connection and the small
 * requests; the chip's jobs are in target-requests.ts, files in file-requests.ts.
 */
import { AppError, toErrorData } from '#shared/errors';
import type { Part } from '#shared/catalogue/types';
import type { AppInfo, ConnectionInfo, IpcRequests, IpcResult, LogLevel, RequestName } from '#shared/ipc';
import { IPC_CONTRACT_VERSION } from '#shared/ipc';
import { findPart } from '#shared/catalogue/index';
import { connectApp, type AppConnection } from './app-connection';
import { AppProbes } from './app-probes';
import type { DialogsPort } from './dialogs-port';
import { runAppDiagnostics } from './diagnostics-run';
import { EventHub } from './event-hub';
import { fileRequests, PathGuard } from './file-requests';
import { JobRunner } from './job-runner';
import { LogBuffer } from './log-buffer';
import { partSummaries } from './part-summaries';
import { makeReport } from './report-words';
import { validateArg } from './schemas';
import type { Handlers, ServiceContext } from './service-context';
import { notConnected, runReported } from './service-context';
import { SettingsStore } from './settings-store';
import { targetRequests } from './target-requests';
import { productionRequests } from './production-requests';

export interface AppServiceOptions {
  host: AppInfo['host'];
  version: string;
  /** The probes offered (default: USB ones and a fresh pool of virtual ones). */
  probes?: AppProbes;
  /** Native file dialogs (Electron); absent in the bridge. */
  dialogs?: DialogsPort;
  settings?: SettingsStore;
  log?: LogBuffer;
  userDataPath?: string | null;
  /** Unsaved-edits marker from the renderer (Electron: title and close prompt). */
  onDirty?: (dirty: boolean, title: string | undefined) => void;
}

export class AppService {
  readonly events = new EventHub();
  readonly log: LogBuffer;
  readonly settings: SettingsStore;
  private readonly jobs: JobRunner;
  private readonly paths: PathGuard;
  readonly probes: AppProbes;
  private target: AppConnection | null = null;
  private part: Part | null = null;
  /** The connection as it is now: what connect found, updated when a job learns more (ROP). */
  private info: ConnectionInfo | null = null;
  private readonly unsubscribers: (() => void)[] = [];
  private readonly handlers: Handlers;

  constructor(private readonly opts: AppServiceOptions) {
    this.log = opts.log ?? new LogBuffer();
    this.probes = opts.probes ?? new AppProbes();
    this.settings = opts.settings ?? new SettingsStore(null);
    this.paths = new PathGuard(() => this.settings.get().recentFiles);
    this.jobs = new JobRunner({
      progress: (p) => this.events.emit('jobProgress', p),
      state: (s) => this.events.emit('jobState', s),
    });
    this.unsubscribers.push(this.log.subscribe((e) => this.events.emit('log', e)));
    const context: ServiceContext = {
      jobs: this.jobs,
      log: this.log,
      events: this.events,
      settings: this.settings,
      dialogs: opts.dialogs,
      connected: () => {
        if (!this.target || !this.part) throw notConnected();
        return { connection: this.target, part: this.part };
      },
      connectedPart: () => this.part,
      noteReadProtection: (active) => this.noteReadProtection(active),
    };
    this.handlers = { ...this.ownHandlers(context), ...targetRequests(context), ...fileRequests(context, this.paths), ...productionRequests(context, this.paths) };
  }

  /** Starts hot-plug watching (probesChanged events). */
  start(): void {
    this.unsubscribers.push(this.probes.watch((probes) => this.events.emit('probesChanged', { probes })));
    // A page asks for the catalogue first thing: build it now, while the window or browser
    // starts, rather than while the page waits.
    const warm = setTimeout(() => partSummaries(), 0);
    this.unsubscribers.push(() => clearTimeout(warm));
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

  /** Lets the page open or save `path` by name (a file the host got from the user: command line, the OS). */
  allowPath(path: string): void {
    this.paths.allow(path);
  }

  /**
   * Cancels any job and waits (at most `waitMs`) for it to stop between blocks, so the
   * engine can lock the flash controller and reset the target; then leaves the target
   * running and stops watching probes.
   */
  async dispose(waitMs = 5000): Promise<void> {
    if (this.jobs.cancel()) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.jobs.idle(), new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
    }
    for (const u of this.unsubscribers.splice(0)) u();
    // A production run stops between boards' steps, its stations reset their chips and release their probes.
    await this.handlers.productionStop({}).catch(() => undefined);
    await this.dropTarget();
  }

  // -------------------------------------------------------------------------------------

  private ownHandlers(c: ServiceContext): Omit<Handlers, keyof ReturnType<typeof targetRequests> | keyof ReturnType<typeof fileRequests> | keyof ReturnType<typeof productionRequests>> {
    return {
      appInfo: async () => ({
        version: this.opts.version,
        host: this.opts.host,
        platform: process.platform,
        userDataPath: this.opts.userDataPath ?? null,
        contractVersion: IPC_CONTRACT_VERSION,
      }),
      listProbes: () => this.probes.list(),
      listVirtualFaults: async () => this.probes.faults(),
      listParts: async () => partSummaries(),
      partInfo: async ({ name }) => findPart(name),

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
      status: async () => ({ connection: this.info, job: this.jobs.running }),

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
        const p = partName ? findPart(partName) : undefined;
        const source = this.probes.diagnosticsSource(sel, p?.name);
        const { result } = await runReported(
          c,
          'diagnostics',
          (job) => runAppDiagnostics(source, p, (step) => this.events.emit('diagnosticsStep', step), job),
          (r) => ({
            head: 'Ran the diagnostics',
            done: { bytes: 0 },
            outcome: r.verdict.title,
            level: r.verdict.severity === 'error' ? 'error' : r.verdict.severity === 'warning' ? 'warn' : 'info',
          }),
        );
        return result;
      },

      cancelJob: async ({ jobId }) => {
        const cancelled = this.jobs.cancel(jobId);
        if (cancelled) this.log.add('info', 'Cancelling: the job stops after the current block.');
        return { cancelled };
      },
      getSettings: async () => this.settings.get(),
      setSettings: async (patch) => {
        // The page may reorder or remove recent files, never add one: only files the user
        // opened or saved become recent (file-requests.ts), and recent files may be opened by path.
        const known = this.settings.get().recentFiles;
        const added = patch.recentFiles?.filter((f) => !known.includes(f)) ?? [];
        if (added.length > 0) {
          throw new AppError('invalid-argument', 'Recent files can only be removed here, not added.', 'Open or save the file instead; it then joins the list.', {
            issues: [{ path: 'recentFiles', message: `not a recent file: ${added[0]}` }],
          });
        }
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

  private async connect(a: IpcRequests['connect'][0]): Promise<ConnectionInfo> {
    const part = findPart(a.part);
    const s = this.settings.get();
    const options = { underReset: a.options?.underReset ?? s.connectUnderReset, highSpeed: a.options?.highSpeed ?? s.highSpeed };
    this.jobs.assertIdle('connect');
    if (this.target) await this.dropTarget();
    const target = await this.jobs.run(
      'connect',
      (job) => connectApp(this.probes, a.probe, part, options, job),
      (t, ms, id) => makeReport(id, 'connect', ms, `Connected to ${t.info.part} through ${t.info.probe.label}`, { bytes: 0 }),
    );
    this.target = target;
    this.part = part;
    target.onLost((reason) => {
      if (this.target !== target) return;
      this.target = null;
      this.part = null;
      this.info = null;
      this.log.add('error', `Connection lost: ${reason.message}`, { code: reason.code });
      this.events.emit('connectionChanged', { connection: null, reason: { code: reason.code, message: reason.message, ...(reason.remedy ? { remedy: reason.remedy } : {}) } });
    });
    this.settings.update({ lastProbe: a.probe, lastPart: part.name });
    const c = target.info;
    this.info = c;
    const volts = c.targetVoltage === null ? 'target voltage not measured' : `target at ${c.targetVoltage.toFixed(2)} V`;
    this.log.add('info', `Connected to ${c.part} through ${c.probe.label} (firmware ${c.probeFirmware}, ${volts}, ${c.swimSpeed} speed${c.underReset ? ', under reset' : ''}).`);
    if (c.readProtected) this.log.add('warn', 'The chip is read-out protected: reads return garbage until protection is removed (Unlock erases it).');
    this.events.emit('connectionChanged', { connection: c });
    return c;
  }

  /**
   * A job read the ROP byte (option bytes read or written, unlock): the connection says so
   * from now on, to every page, including one loaded later.
   */
  private noteReadProtection(active: boolean): void {
    const info = this.info;
    if (!info || info.readProtected === active) return;
    this.info = { ...info, readProtected: active };
    this.events.emit('connectionChanged', { connection: this.info });
  }

  private async dropTarget(): Promise<void> {
    const t = this.target;
    if (!t) return;
    this.target = null;
    this.part = null;
    this.info = null;
    await t.close();
    this.events.emit('connectionChanged', { connection: null });
  }
}
