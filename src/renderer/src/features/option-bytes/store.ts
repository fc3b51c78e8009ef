/**
 * The option-byte editor's state. The edited values live in the memory store's option buffer
 * (the same bytes the hex view and files show), so a field change, a hex edit and an opened
 * option file are one thing; the chip's values are that buffer's device side. The changes are
 * in field-edits.ts, the write (plan, confirmation, read-back) in write-flow.ts.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import type { AppErrorData } from '#shared/errors';
import type { OptionBytesResult } from '#shared/ipc';
import { call, errorData } from '../../api/client';
import { useConnectionStore } from '../../stores/connection';
import { useMemoryStore } from '../../stores/memory';
import { usePartStore } from '../../stores/part';
import { useFieldEdits } from './field-edits';
import { rememberIntact } from './last-good';
import { optionReaders } from './option-buffer';
import { optionRows, type ByteView, type WritePlan } from './option-model';
import { takeOptionReading } from './option-reading';
import { useWriteFlow, type OptionBusy, type OptionOutcome } from './write-flow';

export const useOptionEditorStore = defineStore('option-editor', () => {
  const busy = ref<OptionBusy>(null);
  /** The write being confirmed (the dialog is open while set). */
  const plan = shallowRef<WritePlan | null>(null);
  /** Danger notices the user ticked, by field name. */
  const confirmed = reactive(new Set<string>());
  const outcome = shallowRef<OptionOutcome | null>(null);
  /** An error inside the write dialog (e.g. main asked for a confirmation we did not send). */
  const dialogError = shallowRef<AppErrorData | null>(null);
  /** The last good value of each option byte (last-good.ts), by address. */
  const lastGood = reactive(new Map<number, number>());

  const memory = useMemoryStore();
  const partStore = usePartStore();

  function remember(r: OptionBytesResult): void {
    if (partStore.part) rememberIntact(partStore.part, r.raw, lastGood);
  }

  function take(r: OptionBytesResult): void {
    takeOptionReading(r);
    remember(r);
  }

  /** The rows the editor renders; recomputed when the option buffer changes. */
  const rows = computed<ByteView[]>(() => {
    void memory.revisions.option;
    const part = partStore.part;
    if (!part || !memory.buffer('option')) return [];
    const { edited, chip } = optionReaders();
    return optionRows(part, edited, chip, (a) => lastGood.get(a));
  });

  /** Whether the buffer holds anything worth editing yet (read, loaded or edited). */
  const hasValues = computed(() => {
    void memory.revisions.option;
    const buf = memory.buffer('option');
    return !!buf && buf.state !== 'empty';
  });
  const chipKnown = computed(() => {
    void memory.revisions.option;
    return !!memory.buffer('option')?.device;
  });
  const changedFields = computed(() => rows.value.reduce((n, r) => n + r.fields.filter((f) => f.changed).length, 0));
  const readProtected = computed(() => memory.optionReading?.readProtected ?? useConnectionStore().connection?.readProtected ?? false);

  const edits = useFieldEdits({ outcome, rows });
  const write = useWriteFlow({ busy, plan, confirmed, outcome, dialogError, take, remember });

  // Another part or another target: what was said about the previous one no longer applies.
  watch(
    () => [partStore.part, useConnectionStore().connection?.probe.id] as const,
    () => {
      outcome.value = null;
      lastGood.clear();
      write.cancelWrite();
    },
  );

  async function read(): Promise<void> {
    if (busy.value) return;
    busy.value = 'reading';
    outcome.value = null;
    try {
      const r = await call('readOptionBytes', {});
      take(r);
      outcome.value = { ok: true, message: r.report.summary };
    } catch (e) {
      outcome.value = { ok: false, ...errorData(e) };
    } finally {
      busy.value = null;
    }
  }

  return {
    busy,
    plan,
    confirmed,
    outcome,
    dialogError,
    rows,
    hasValues,
    chipKnown,
    changedFields,
    readProtected,
    allConfirmed: write.allConfirmed,
    ...edits,
    read,
    prepareWrite: write.prepareWrite,
    toggleConfirm: write.toggleConfirm,
    cancelWrite: write.cancelWrite,
    confirmWrite: write.confirmWrite,
  };
});
