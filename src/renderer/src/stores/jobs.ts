/**
 * The actions users start — Read, Program, Verify, Erase, Blank check, on one tab or all —
 * and the one job running at a time: its phase, progress and time left (from jobProgress
 * events), Cancel, and the outcome in words, which also goes to the log. Jobs other features
 * start (the option-byte write, the unlock) register here through runExternal, so the action
 * bar locks and the job bar shows them too: main runs one job at a time and answers 'busy'.
 * A job main was already running when the page loaded (a reload mid-program) is taken over
 * the same way: the job bar follows its events to the end.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { AppErrorData } from '../../../shared/errors';
import type { JobInfo, JobKind, JobProgress, JobStateEvent, MemoryArea, Segment, VerifyResult } from '../../../shared/ipc';
import { hex } from '../../../shared/hex';
import { ApiError, call, errorData } from '../api/client';
import { estimateRemaining } from '../lib/duration';
import { formatAddress } from '../lib/hex-text';
import { AREA_LABEL, useMemoryStore } from './memory';
import { useConnectionStore } from './connection';
import { useLogStore } from './log';
import { useSettingsStore } from './settings';
import { usePartStore } from './part';

export type Operation = 'read' | 'program' | 'verify' | 'erase' | 'blankCheck';
export type Scope = MemoryArea | 'all';

export const OPERATION_LABEL: Record<Operation, string> = {
  read: 'Read',
  program: 'Program',
  verify: 'Verify',
  erase: 'Erase',
  blankCheck: 'Blank check',
};

export interface RunningJob {
  /** What the job bar calls it, e.g. "Program all tabs" or "Write option bytes". */
  title: string;
  /** The action-bar operation and scope; null for a job another feature started (runExternal). */
  op: Operation | null;
  scope: Scope | null;
  jobId: string | null;
  phase: string;
  done: number;
  total: number;
  etaMs: number | null;
  startedAt: number;
  phaseStartedAt: number;
  cancelling: boolean;
}

export interface Outcome {
  ok: boolean;
  cancelled: boolean;
  title: string;
  op: Operation | null;
  scope: Scope | null;
  message: string;
  remedy?: string;
  code?: string;
  at: number;
}

/** Areas "all tabs" covers for each operation (RAM is volatile; option bytes have their own tab). */
const ALL_AREAS: Record<Operation, MemoryArea[]> = {
  read: ['flash', 'eeprom', 'option'],
  program: ['flash', 'eeprom'],
  verify: ['flash', 'eeprom'],
  erase: ['flash', 'eeprom'],
  blankCheck: ['flash', 'eeprom'],
};

/** What the job bar calls a job this page did not start. */
const KIND_TITLE: Record<JobKind, string> = {
  connect: 'Connect',
  read: 'Read',
  program: 'Program',
  verify: 'Verify',
  erase: 'Erase',
  blankCheck: 'Blank check',
  writeRam: 'Write RAM',
  readOptionBytes: 'Read option bytes',
  writeOptionBytes: 'Write option bytes',
  unlock: 'Remove read-out protection',
  diagnostics: 'Diagnostics',
};

export function scopeLabel(scope: Scope): string {
  return scope === 'all' ? 'all tabs' : AREA_LABEL[scope];
}

export function jobTitle(op: Operation, scope: Scope): string {
  return `${OPERATION_LABEL[op]} ${scopeLabel(scope)}`;
}

/** How a job another feature ran ended, in words (what main reported, or what the feature found). */
export interface ExternalResult {
  ok: boolean;
  message: string;
  remedy?: string;
  code?: string;
}

export const useJobsStore = defineStore('jobs', () => {
  const running = shallowRef<RunningJob | null>(null);
  const outcome = shallowRef<Outcome | null>(null);
  const busy = computed(() => running.value !== null);
  /** The job taken over at start-up, whose end only its jobState event tells. */
  let adoptedId: string | null = null;
  /** Jobs whose end was seen, so one that ends before it is taken over is not shown as running. */
  const ended = new Set<string>();

  /** Why an operation cannot run on a scope now, or null when it can. */
  function blocker(op: Operation, scope: Scope): string | null {
    const conn = useConnectionStore();
    const memory = useMemoryStore();
    if (running.value) return 'A job is running.';
    if (!conn.connection) return 'Connect to a target first.';
    if ((op === 'erase' || op === 'blankCheck') && (scope === 'ram' || scope === 'option')) {
      return `${OPERATION_LABEL[op]} applies to flash and EEPROM.`;
    }
    if (scope !== 'all' && !memory.buffer(scope)) return `This part has no ${AREA_LABEL[scope]}.`;
    if (op === 'program' && scope === 'option' && memory.buffer('option')?.state === 'empty') {
      return 'Read the option bytes or load a file with them first.';
    }
    if (scope === 'all' && areasOf(op, scope).length === 0) return 'No tab holds anything yet: open a file, read the chip or edit a tab.';
    return null;
  }

  /**
   * The areas an operation covers. "All tabs" programs and verifies only tabs that hold
   * something (read, loaded or edited): a tab nobody filled is a blank image, and writing it
   * would silently erase, e.g., calibration data in EEPROM.
   */
  function areasOf(op: Operation, scope: Scope): MemoryArea[] {
    const memory = useMemoryStore();
    const list = (scope === 'all' ? ALL_AREAS[op] : [scope]).filter((a) => memory.buffer(a));
    if (scope === 'all' && (op === 'program' || op === 'verify')) return list.filter((a) => memory.buffer(a)!.state !== 'empty');
    return list;
  }

  function start(title: string, op: Operation | null, scope: Scope | null): void {
    const now = Date.now();
    running.value = { title, op, scope, jobId: null, phase: 'starting', done: 0, total: 0, etaMs: null, startedAt: now, phaseStartedAt: now, cancelling: false };
    outcome.value = null;
  }

  async function run(op: Operation, scope: Scope): Promise<Outcome> {
    const title = jobTitle(op, scope);
    const why = blocker(op, scope);
    if (why) return finish({ ok: false, cancelled: false, title, op, scope, message: why, at: Date.now() });
    start(title, op, scope);
    try {
      const message = await perform(op, scope);
      return finish({ ok: true, cancelled: false, title, op, scope, message, at: Date.now() });
    } catch (e) {
      const err: AppErrorData = errorData(e);
      const verifyFail = e instanceof VerifyFailed;
      // A write or erase that stopped part-way leaves the chip's bytes unknown: stop claiming
      // to know them (a verify failure has just told us exactly, so keep that). A job refused
      // as busy never started.
      if (!verifyFail && err.code !== 'busy' && (op === 'program' || op === 'erase')) forgetDevice(areasOf(op, scope));
      const failed: Outcome = {
        ok: false,
        cancelled: err.code === 'cancelled',
        title,
        op,
        scope,
        message: err.message,
        ...(err.remedy ? { remedy: err.remedy } : {}),
        code: verifyFail ? 'verify-failed' : err.code,
        at: Date.now(),
      };
      // Main logged its own errors; a verify failure found inside a program result is ours to log.
      return finish(failed, verifyFail && op === 'program');
    } finally {
      running.value = null;
    }
  }

  /**
   * Runs a job another feature starts — the option-byte write, the unlock — as the one running
   * job: the action bar and Connect lock, the job bar shows its title and main's phase and
   * progress (jobProgress events) with Cancel, and its outcome is recorded like the action
   * bar's. `work` makes the requests and says how it ended; a result it returns goes to the log
   * (it holds what the feature checked itself, e.g. the read-back), an error it throws is
   * recorded and rethrown for the feature to show (main has logged it). Refused with 'busy',
   * and `work` not called, while another job runs.
   */
  async function runExternal(title: string, work: () => Promise<ExternalResult>): Promise<Outcome> {
    if (running.value) {
      throw new ApiError({ code: 'busy', message: `${running.value.title} is running.`, remedy: 'Wait for it to finish, or cancel it first.' });
    }
    start(title, null, null);
    try {
      const r = await work();
      return finish({ ...r, cancelled: false, title, op: null, scope: null, at: Date.now() }, true);
    } catch (e) {
      const err = errorData(e);
      finish({ ok: false, cancelled: err.code === 'cancelled', title, op: null, scope: null, message: err.message, ...(err.remedy ? { remedy: err.remedy } : {}), code: err.code, at: Date.now() });
      throw e;
    } finally {
      running.value = null;
    }
  }

  /**
   * Records the outcome. Main already logs every request's result and error, so the log only
   * gets what the renderer found out by itself (a verify failure inside a program result, an
   * external job's checked result).
   */
  function finish(o: Outcome, logIt = false): Outcome {
    outcome.value = o;
    if (logIt) {
      const what = o.op && o.scope ? `${OPERATION_LABEL[o.op]} (${scopeLabel(o.scope)})` : o.title;
      useLogStore().add(o.ok ? 'info' : 'error', `${what}: ${o.message}${o.remedy ? ' — ' + o.remedy : ''}`, o.code ? { code: o.code } : undefined);
    }
    return o;
  }

  async function perform(op: Operation, scope: Scope): Promise<string> {
    const memory = useMemoryStore();
    const settings = useSettingsStore().settings;
    const areas = areasOf(op, scope);
    switch (op) {
      case 'read': {
        if (scope === 'option') {
          const r = await call('readOptionBytes', {});
          memory.applyRead([r.raw]);
          memory.optionReading = r;
          return r.report.summary;
        }
        const r = await call('readRegion', { region: scope });
        memory.applyRead(r.segments);
        if (scope === 'all') memory.optionReading = null;
        return r.report.summary;
      }
      case 'program': {
        if (scope === 'ram') {
          const seg = memory.segmentOf('ram')!;
          const r = await call('writeRam', { address: seg.address, data: seg.data });
          memory.buffer('ram')!.markProgrammed(false);
          memory.touch('ram');
          return r.report.summary;
        }
        if (scope === 'option') return programOptionBytes();
        const segments = areas.map((a) => memory.segmentOf(a)).filter((s): s is Segment => s !== null);
        const r = await call('program', {
          segments,
          options: { verifyAfterWrite: settings.verifyAfterWrite, skipUnchanged: settings.skipUnchanged },
        });
        if (r.verify && !r.verify.ok) {
          applyVerify(areas, r.verify);
          throw new VerifyFailed(r.verify);
        }
        for (const a of areas) {
          memory.buffer(a)!.markProgrammed(r.verify?.ok === true);
          memory.touch(a);
        }
        return r.report.summary;
      }
      case 'verify': {
        const segments = areas.map((a) => memory.segmentOf(a)).filter((s): s is Segment => s !== null);
        const r = await call('verify', { segments });
        applyVerify(areas, r);
        if (!r.ok) throw new VerifyFailed(r);
        return r.report.summary;
      }
      case 'erase': {
        const region = scope === 'all' ? 'all' : (scope as 'flash' | 'eeprom');
        const r = await call('erase', { region });
        for (const a of areas) {
          memory.buffer(a)!.markErased();
          memory.touch(a);
        }
        return r.report.summary;
      }
      case 'blankCheck': {
        const region = scope === 'all' ? 'all' : (scope as 'flash' | 'eeprom');
        const r = await call('blankCheck', { region });
        if (!r.blank) {
          throw new ApiError({
            code: 'not-blank',
            message: `Not blank: ${r.nonBlankCount} byte${r.nonBlankCount === 1 ? '' : 's'} differ from the erased value 0x00${
              r.firstNonBlank !== null ? `, the first at ${formatAddress(r.firstNonBlank)}` : ''
            }.`,
            remedy: 'Erase the memory first if you need it blank.',
          });
        }
        return r.report.summary;
      }
    }
  }

  function forgetDevice(areas: MemoryArea[]): void {
    const memory = useMemoryStore();
    for (const a of areas) {
      memory.buffer(a)?.forgetDevice();
      memory.touch(a);
    }
  }

  /** Marks what a verify found: the chip's bytes at the mismatches become "as on device". */
  function applyVerify(areas: MemoryArea[], r: VerifyResult): void {
    const memory = useMemoryStore();
    for (const a of areas) {
      const img = memory.buffer(a)!;
      const device = img.edited.slice();
      let bad = false;
      for (const m of r.mismatches) {
        if (img.contains(m.address)) {
          device[m.address - img.start] = m.actual;
          bad = true;
        }
      }
      img.markVerified(!bad && r.ok, device);
      if (!r.ok && !bad && r.mismatchCount > 0) img.state = 'verify-failed';
      memory.touch(a);
    }
  }

  /** Option bytes: the primary bytes that change are written by address; main adds complements. */
  async function programOptionBytes(): Promise<string> {
    const memory = useMemoryStore();
    const part = usePartStore().part;
    const img = memory.buffer('option')!;
    if (!part) throw new ApiError({ code: 'no-part', message: 'Choose a part first.' });
    const raw = part.optionBytes
      .map((ob) => ({ address: ob.address, value: img.edited[ob.address - img.start] }))
      .filter((b) => img.device === null || img.device[b.address - img.start] !== b.value);
    if (raw.length === 0) return 'The option bytes on the chip already hold these values; nothing written.';
    let confirmations: string[] = [];
    for (;;) {
      try {
        const r = await call('writeOptionBytes', { raw, confirmations });
        memory.applyRead([r.after.raw]);
        memory.optionReading = r.after;
        img.state = 'programmed';
        memory.touch('option');
        return r.report.summary;
      } catch (e) {
        const needed = e instanceof ApiError && e.code === 'confirmation-required' ? requiredConfirmations(e) : null;
        if (!needed || confirmations.length) throw e;
        const ok = window.confirm(`${(e as ApiError).message}\n\n${(e as ApiError).remedy ?? ''}\n\nWrite these option bytes anyway?`);
        if (!ok) throw new ApiError({ code: 'cancelled', message: 'Option bytes were not written.' });
        confirmations = needed;
      }
    }
  }

  function onProgress(p: JobProgress): void {
    const r = running.value;
    if (!r) return;
    const now = Date.now();
    const phaseChanged = p.phase !== r.phase;
    const phaseStartedAt = phaseChanged ? now : r.phaseStartedAt;
    const etaMs = p.etaMs ?? estimateRemaining(p.done, p.total, now - phaseStartedAt);
    running.value = { ...r, jobId: p.jobId, phase: p.phase, done: p.done, total: p.total, etaMs, phaseStartedAt };
  }

  function onState(e: JobStateEvent): void {
    const r = running.value;
    if (r && e.state === 'running' && !r.jobId) running.value = { ...r, jobId: e.jobId };
    if (e.state === 'running') return;
    ended.add(e.jobId);
    if (r && e.jobId === adoptedId) {
      adoptedId = null;
      running.value = null;
      const error = e.error;
      finish({
        ok: e.state === 'done',
        cancelled: e.state === 'cancelled',
        title: r.title,
        op: null,
        scope: null,
        message: e.report?.summary ?? error?.message ?? `${r.title} ended.`,
        ...(error?.remedy ? { remedy: error.remedy } : {}),
        ...(error ? { code: error.code } : {}),
        at: Date.now(),
      });
    }
  }

  /** A job main is running that this page did not start (it was loaded while the job ran). */
  function adopt(job: JobInfo): void {
    if (running.value || ended.has(job.jobId)) return;
    adoptedId = job.jobId;
    const now = Date.now();
    running.value = { title: KIND_TITLE[job.kind], op: null, scope: null, jobId: job.jobId, phase: 'starting', done: 0, total: 0, etaMs: null, startedAt: job.startedAt, phaseStartedAt: now, cancelling: false };
  }

  async function cancel(): Promise<void> {
    const r = running.value;
    if (!r || r.cancelling) return;
    running.value = { ...r, cancelling: true };
    await call('cancelJob', r.jobId ? { jobId: r.jobId } : {});
  }

  function dismiss(): void {
    outcome.value = null;
  }

  return { running, outcome, busy, blocker, run, runExternal, cancel, dismiss, onProgress, onState, adopt };
});

class VerifyFailed extends ApiError {
  constructor(r: VerifyResult) {
    const first = r.mismatches[0];
    super({
      code: 'verify-failed',
      message: `Verify failed: ${r.mismatchCount} byte${r.mismatchCount === 1 ? '' : 's'} differ${r.mismatchCount === 1 ? 's' : ''}${
        first ? `, the first at ${formatAddress(first.address)} (expected ${hex(first.expected, 2)}, chip has ${hex(first.actual, 2)})` : ''
      }.`,
      remedy: 'The differing bytes are marked in the hex view. Program again; if it keeps failing, check write protection (UBC) and the wiring.',
    });
  }
}

/** The dangerous field names main asks to confirm (details.fields or details.confirmations). */
function requiredConfirmations(e: ApiError): string[] | null {
  const d = e.details ?? {};
  for (const key of ['confirmations', 'fields', 'required']) {
    const v = d[key];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  }
  return null;
}
