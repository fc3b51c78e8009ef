/**
 * The actions users start — Read, Program, Verify, Erase, Blank check, on one tab or all —
 * and the one job running at a time: its phase, progress and time left, Cancel, and the
 * outcome in words. Jobs other features start (the option-byte write, the unlock) register here
 * through runExternal, so the action bar locks and the job bar shows them too: main runs one
 * job at a time and answers 'busy'. The rules of each operation are in operations.ts, its
 * requests in perform.ts, main's job events in main-jobs.ts.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { ApiError, call, errorData } from '../../api/client';
import { useConnectionStore } from '../connection';
import { followMainJobs } from './main-jobs';
import { areasOf, blockerOf, jobTitle, type Operation, type Scope } from './operations';
import { errorWords, logOutcome, startingJob, type ExternalResult, type Outcome, type CurrentJob } from './outcome';
import { perform } from './perform';
import { forgetDevice, VerifyFailed } from './verify-marks';

export const useJobsStore = defineStore('jobs', () => {
  const running = shallowRef<CurrentJob | null>(null);
  const outcome = shallowRef<Outcome | null>(null);
  const busy = computed(() => running.value !== null);

  /** Why an operation cannot run on a scope now, or null when it can. */
  function blocker(op: Operation, scope: Scope): string | null {
    if (running.value) return 'A job is running.';
    return blockerOf(op, scope);
  }

  /** Why a job on the connected chip that is not an action-bar operation (an option-byte write, an unlock) cannot start now, or null. */
  const chipBlocker = computed(() => (!useConnectionStore().connection ? 'Connect to a target first.' : running.value ? 'A job is running.' : null));

  function start(title: string, op: Operation | null, scope: Scope | null): void {
    running.value = startingJob(title, op, scope, null, Date.now());
    outcome.value = null;
  }

  /** Records the outcome; `logIt` for what the renderer found out itself (see logOutcome). */
  function finish(o: Outcome, logIt = false): Outcome {
    outcome.value = o;
    if (logIt) logOutcome(o);
    return o;
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
      const err = errorData(e);
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
        ...errorWords(err),
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
      finish({ ok: false, cancelled: err.code === 'cancelled', title, op: null, scope: null, ...errorWords(err), at: Date.now() });
      throw e;
    } finally {
      running.value = null;
    }
  }

  const { onProgress, onState, adopt } = followMainJobs(running, finish);

  async function cancel(): Promise<void> {
    const r = running.value;
    if (!r || r.cancelling) return;
    running.value = { ...r, cancelling: true };
    await call('cancelJob', r.jobId ? { jobId: r.jobId } : {});
  }

  function dismiss(): void {
    outcome.value = null;
  }

  return { running, outcome, busy, blocker, chipBlocker, run, runExternal, cancel, dismiss, onProgress, onState, adopt };
});
