/**
 * The unlock wizard: offered when read-out protection is found (on connect, by diagnostics,
 * or when a write fails with WR_PG_DIS), it explains, asks for explicit consent, removes the
 * protection (main's `unlock` job, with progress), then checks with the chip that it is
 * unprotected and blank, and offers to program the loaded image. Failures say what to try.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AppErrorData } from '#shared/errors';
import type { JobProgress } from '#shared/ipc';
import { api, call, errorData } from '../../api/client';
import { useConnectionStore } from '../../stores/connection';
import { useJobsStore } from '../../stores/jobs/store';
import type { ExternalResult } from '../../stores/jobs/outcome';
import { useMemoryStore } from '../../stores/memory';
import { usePartStore } from '../../stores/part';
import { useSettingsStore } from '../../stores/settings';
import { takeOptionReading } from '../option-bytes/option-reading';

export type UnlockReason = 'connect' | 'diagnostics' | 'write-failed' | 'option-bytes' | 'manual';
export type WizardStep = 'explain' | 'consequences' | 'consent' | 'run' | 'verify' | 'done' | 'failed';
export const WIZARD_STEPS: readonly { id: WizardStep; label: string }[] = [
  { id: 'explain', label: 'Protection' },
  { id: 'consequences', label: 'Erases' },
  { id: 'consent', label: 'Consent' },
  { id: 'run', label: 'Remove' },
  { id: 'verify', label: 'Check' },
  { id: 'done', label: 'Done' },
];

export type CheckState = 'waiting' | 'running' | 'passed' | 'failed';
export interface VerifyCheck {
  id: 'rop' | 'blank';
  label: string;
  state: CheckState;
  detail?: string;
}

export const useUnlockStore = defineStore('unlock', () => {
  const isOpen = ref(false);
  const reason = ref<UnlockReason>('manual');
  const step = ref<WizardStep>('explain');
  const consent = ref(false);
  const progress = shallowRef<{ phase: string; done: number; total: number } | null>(null);
  const checks = ref<VerifyCheck[]>([]);
  const error = shallowRef<AppErrorData | null>(null);
  const summary = ref<string | null>(null);
  /** The offer banner was dismissed for this connection (it comes back on the next one). */
  const offerDismissed = ref(false);

  const running = computed(() => step.value === 'run' || step.value === 'verify');

  function open(why: UnlockReason): void {
    reason.value = why;
    step.value = 'explain';
    consent.value = false;
    progress.value = null;
    checks.value = [];
    error.value = null;
    summary.value = null;
    isOpen.value = true;
    offerDismissed.value = true;
  }

  function close(): void {
    if (running.value) return;
    isOpen.value = false;
  }

  function next(): void {
    if (step.value === 'explain') step.value = 'consequences';
    else if (step.value === 'consequences') step.value = 'consent';
  }

  function back(): void {
    if (step.value === 'consequences') step.value = 'explain';
    else if (step.value === 'consent') step.value = 'consequences';
  }

  function setCheck(id: VerifyCheck['id'], state: CheckState, detail?: string): void {
    checks.value = checks.value.map((c) => (c.id === id ? { ...c, state, ...(detail !== undefined ? { detail } : {}) } : c));
  }

  /**
   * Removes the protection, then confirms with the chip that it is unprotected and blank. The
   * whole sequence is the jobs store's running job, so no other job starts in between.
   */
  async function run(): Promise<void> {
    if (!consent.value || running.value) return;
    const conn = useConnectionStore();
    if (!conn.connection) {
      error.value = { code: 'not-connected', message: 'The target is not connected.', remedy: 'Connect to the target, then open the wizard again.' };
      step.value = 'failed';
      return;
    }
    step.value = 'run';
    error.value = null;
    progress.value = { phase: 'starting', done: 0, total: 0 };
    const off = api().on('jobProgress', (p: JobProgress) => {
      if (p.kind === 'unlock' || p.kind === 'blankCheck') progress.value = { phase: p.phase, done: p.done, total: p.total };
    });
    try {
      await useJobsStore().runExternal('Unlock', unlockAndCheck);
    } catch (e) {
      error.value = errorData(e);
      step.value = 'failed';
    } finally {
      off();
      progress.value = null;
    }
  }

  /** The unlock job and the checks after it; says how it ended (the wizard's step follows). */
  async function unlockAndCheck(): Promise<ExternalResult> {
    // The connection's ROP flag follows from the service (connectionChanged), not from here.
    const memory = useMemoryStore();
    const r = await call('unlock', { confirm: 'erase-everything' });
    summary.value = r.report.summary;
    step.value = 'verify';
    checks.value = [
      { id: 'rop', label: 'Read-out protection is off', state: 'running' },
      { id: 'blank', label: 'Flash and data EEPROM are blank', state: 'waiting' },
    ];
    const opt = await call('readOptionBytes', {});
    takeOptionReading(opt);
    setCheck('rop', opt.readProtected ? 'failed' : 'passed', opt.readProtected ? 'The ROP byte still reads as protected.' : 'The ROP byte reads as not protected.');
    setCheck('blank', 'running');
    const blank = await call('blankCheck', { region: 'all' });
    setCheck('blank', blank.blank ? 'passed' : 'failed', blank.blank ? blank.report.summary : `${blank.nonBlankCount} bytes are not blank.`);
    if (blank.blank) {
      for (const area of ['flash', 'eeprom'] as const) {
        const img = memory.buffer(area);
        if (img) {
          img.markErased();
          memory.touch(area);
        }
      }
    }
    if (opt.readProtected || !blank.blank) {
      const failure = {
        code: 'unlock-not-confirmed',
        message: opt.readProtected ? 'The chip still reports read-out protection after the unlock.' : 'The chip is unprotected but not blank.',
        remedy: 'Power-cycle the target, connect again and run the wizard once more.',
      };
      error.value = failure;
      step.value = 'failed';
      return { ok: false, ...failure };
    }
    step.value = 'done';
    return { ok: true, message: 'Read-out protection removed; the chip reads as unprotected and blank.' };
  }

  /** Program what the tabs hold (a file opened before) onto the now blank chip. */
  async function programLoaded(): Promise<void> {
    isOpen.value = false;
    await useJobsStore().run('program', 'all');
  }

  /** Turns on connect under reset, for the next attempt (a remedy offered on failure). */
  async function useConnectUnderReset(): Promise<void> {
    await useSettingsStore().update({ connectUnderReset: true });
  }

  /** What the tabs hold that could be programmed after the unlock, in words; null when nothing. */
  const loadedImage = computed(() => {
    const memory = useMemoryStore();
    void memory.revisions.flash;
    void memory.revisions.eeprom;
    const img = memory.buffer('flash');
    // Worth offering when the tabs hold data (a blank chip reads 0x00 everywhere).
    const has = (['flash', 'eeprom'] as const).some((a) => memory.buffer(a)?.edited.some((b) => b !== 0) ?? false);
    if (!has) return null;
    return memory.fileName ?? img?.fileName ?? 'the edited image';
  });

  const chipName = computed(() => usePartStore().displayName);

  return {
    isOpen,
    reason,
    step,
    consent,
    progress,
    checks,
    error,
    summary,
    offerDismissed,
    running,
    loadedImage,
    chipName,
    open,
    close,
    next,
    back,
    run,
    programLoaded,
    useConnectUnderReset,
  };
});
