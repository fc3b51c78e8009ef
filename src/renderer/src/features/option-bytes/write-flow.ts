/**
 * Writing the option bytes from the editor: a plan (what changes, which changes are dangerous)
 * made against what the chip holds, a dialog where the user ticks every danger, then
 * writeOptionBytes as the jobs store's running job, and the read-back compared with what was
 * meant.
 */
import { computed, type Ref } from 'vue';
import type { AppErrorData } from '#shared/errors';
import type { OptionBytesResult } from '#shared/ipc';
import { ApiError, call, errorData } from '../../api/client';
import { useJobsStore } from '../../stores/jobs/store';
import { useMemoryStore } from '../../stores/memory';
import { usePartStore } from '../../stores/part';
import { optionReaders } from './option-buffer';
import { hex2 } from '#shared/hex';
import { writePlan, type WritePlan } from './option-model';

export interface OptionOutcome {
  ok: boolean;
  message: string;
  remedy?: string;
  /** Bytes that read back different from what was written (address, wanted, got). */
  mismatches?: { name: string; address: number; wanted: number; got: number }[];
}

export type OptionBusy = null | 'reading' | 'writing' | 'comparing';

export interface WriteFlowContext {
  busy: Ref<OptionBusy>;
  /** The write being confirmed (the dialog is open while set). */
  plan: Ref<WritePlan | null>;
  /** Danger notices the user ticked, by field name. */
  confirmed: Set<string>;
  outcome: Ref<OptionOutcome | null>;
  /** An error inside the write dialog (e.g. main asked for a confirmation we did not send). */
  dialogError: Ref<AppErrorData | null>;
  /** Takes a reading of the chip into the editor (bytes and "last good"). */
  take(r: OptionBytesResult): void;
  /** Remembers a reading's intact pairs as "last good". */
  remember(r: OptionBytesResult): void;
}

type Written = { name: string; address: number; value: number };

/** What the read-back after a write says: every byte as meant, or which ones are not. */
function readBackOutcome(wanted: Written[], plan: WritePlan, back: OptionBytesResult['raw']): OptionOutcome {
  const got = (a: number) => back.data[a - back.address];
  const mismatches = wanted.filter((w) => got(w.address) !== w.value).map((w) => ({ name: w.name, address: w.address, wanted: w.value, got: got(w.address) }));
  const n = wanted.length;
  if (mismatches.length) {
    return {
      ok: false,
      message: `Wrote ${n} option byte${n === 1 ? '' : 's'}, but ${mismatches.map((m) => `${m.name} read back ${hex2(m.got)} instead of ${hex2(m.wanted)}`).join(', ')}.`,
      remedy: 'Check the target supply and connection and write again. A protected chip may refuse option writes until it is unlocked.',
      mismatches,
    };
  }
  return { ok: true, message: `Wrote ${n} option byte${n === 1 ? '' : 's'} (${plan.bytes.map((b) => b.name).join(', ')}) and read them back: the chip holds the new values. They take effect at the next reset.` };
}

export function useWriteFlow(ctx: WriteFlowContext) {
  const { busy, plan, confirmed, outcome, dialogError } = ctx;
  const memory = useMemoryStore();
  const partStore = usePartStore();

  const allConfirmed = computed(() => !!plan.value && plan.value.dangers.every((d) => confirmed.has(d.field)));

  /** Learns what the chip holds without touching the edits. False (outcome set) on failure. */
  async function learnChip(): Promise<boolean> {
    const buf = memory.buffer('option')!;
    busy.value = 'comparing';
    try {
      const r = await call('readOptionBytes', {});
      buf.device = r.raw.data.slice(0, buf.size);
      buf.revision++;
      memory.touch('option');
      memory.optionReading = r;
      ctx.remember(r);
      return true;
    } catch (e) {
      outcome.value = { ok: false, ...errorData(e) };
      return false;
    } finally {
      busy.value = null;
    }
  }

  /**
   * Starts a write: learns what the chip holds (without touching the edits) when it is not
   * known, then opens the summary. Nothing to change → says so and writes nothing.
   */
  async function prepareWrite(): Promise<void> {
    const part = partStore.part;
    const buf = memory.buffer('option');
    if (!part || !buf || busy.value) return;
    outcome.value = null;
    if (!buf.device && !(await learnChip())) return;
    const { edited, chip } = optionReaders();
    const p = writePlan(part, edited, chip);
    if (p.unresolved.length > 0) {
      const names = p.unresolved.join(', ');
      outcome.value = {
        ok: false,
        message: `${names}: the value and its complement disagree on the chip, so ${p.unresolved.length === 1 ? 'its value is' : 'their values are'} unknown.`,
        remedy: `Choose the factory value or the last good value for ${names} first; Write then rewrites the pair whole.`,
      };
      return;
    }
    if (p.bytes.length === 0) {
      outcome.value = { ok: true, message: 'The chip already holds these option bytes: nothing to write.' };
      return;
    }
    confirmed.clear();
    dialogError.value = null;
    plan.value = p;
  }

  function toggleConfirm(field: string, on: boolean): void {
    if (on) confirmed.add(field);
    else confirmed.delete(field);
  }

  function cancelWrite(): void {
    plan.value = null;
    confirmed.clear();
    dialogError.value = null;
  }

  /**
   * Writes the planned bytes (main adds complements), then shows what the chip read back. It
   * runs as the jobs store's running job, so nothing else starts on the chip meanwhile.
   */
  async function confirmWrite(): Promise<void> {
    const p = plan.value;
    if (!p || !partStore.part || busy.value || !allConfirmed.value) return;
    busy.value = 'writing';
    dialogError.value = null;
    const wanted: Written[] = p.bytes.map((b) => ({ name: b.name, address: b.address, value: b.to }));
    try {
      await useJobsStore().runExternal('Write option bytes', async () => {
        const r = await call('writeOptionBytes', {
          raw: wanted.map(({ address, value }) => ({ address, value })),
          confirmations: p.dangers.map((d) => d.field),
        });
        const o = readBackOutcome(wanted, p, r.after.raw);
        ctx.take(r.after);
        plan.value = null;
        confirmed.clear();
        outcome.value = o;
        return { ok: o.ok, message: o.message, ...(o.remedy ? { remedy: o.remedy, code: 'option-readback-mismatch' } : {}) };
      });
    } catch (e) {
      const err = errorData(e);
      if (e instanceof ApiError && e.details) err.details = e.details;
      dialogError.value = err;
    } finally {
      busy.value = null;
    }
  }

  return { allConfirmed, prepareWrite, toggleConfirm, cancelWrite, confirmWrite };
}
