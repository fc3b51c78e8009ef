/**
 * The option-byte editor's state and actions. The edited values live in the memory store's
 * option image (the same bytes the hex view and files show), so a field change, a hex edit
 * and an opened option file are one thing; the chip's values are that image's device side.
 * Writing goes through a plan (what changes, which changes are dangerous) that the user
 * confirms, then writeOptionBytes, whose read-back becomes "as on the chip".
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import { factoryOptionImage } from '../../../../shared/catalogue/index';
import type { AppErrorData } from '../../../../shared/errors';
import type { OptionBytesResult } from '../../../../shared/ipc';
import { ApiError, call, errorData } from '../../api/client';
import { useConnectionStore } from '../../stores/connection';
import { useJobsStore } from '../../stores/jobs';
import { useMemoryStore } from '../../stores/memory';
import { usePartStore } from '../../stores/part';
import { hex2, optionRows, withField, writePlan, type ByteReader, type ByteView, type WritePlan } from './option-model';

export interface OptionOutcome {
  ok: boolean;
  message: string;
  remedy?: string;
  /** Bytes that read back different from what was written (address, wanted, got). */
  mismatches?: { name: string; address: number; wanted: number; got: number }[];
}

export const useOptionEditorStore = defineStore('option-editor', () => {
  const busy = ref<null | 'reading' | 'writing' | 'comparing'>(null);
  /** The write being confirmed (the dialog is open while set). */
  const plan = shallowRef<WritePlan | null>(null);
  /** Danger notices the user ticked, by field name. */
  const confirmed = reactive(new Set<string>());
  const outcome = shallowRef<OptionOutcome | null>(null);
  /** An error inside the write dialog (e.g. main asked for a confirmation we did not send). */
  const dialogError = shallowRef<AppErrorData | null>(null);

  const memory = useMemoryStore();
  const partStore = usePartStore();
  /**
   * The last value of each option byte read from this chip with an intact pair: what the
   * editor offers as "last good" when a write cut short leaves the pair broken.
   */
  const lastGood = reactive(new Map<number, number>());

  // Another part or another target: what was said about the previous one no longer applies.
  watch(
    () => [partStore.part, useConnectionStore().connection?.probe.id] as const,
    () => {
      outcome.value = null;
      lastGood.clear();
      cancelWrite();
    },
  );

  /** Remembers the bytes of a reading whose pairs are intact. */
  function rememberIntact(raw: OptionBytesResult['raw']): void {
    const part = partStore.part;
    if (!part) return;
    const at = (a: number) => (a >= raw.address && a < raw.address + raw.data.length ? raw.data[a - raw.address] : undefined);
    for (const ob of part.optionBytes) {
      const v = at(ob.address);
      const c = ob.complementAddress === null ? null : at(ob.complementAddress);
      if (v !== undefined && c !== undefined && (c === null || c === (~v & 0xff))) lastGood.set(ob.address, v);
    }
  }

  function readers(): { edited: ByteReader; chip: ByteReader } {
    const img = memory.buffer('option');
    if (!img) return { edited: () => undefined, chip: () => undefined };
    const at = (bytes: Uint8Array | null) => (a: number) => (bytes && img.contains(a) ? bytes[a - img.start] : undefined);
    return { edited: at(img.edited), chip: at(img.device) };
  }

  /** The rows the editor renders; recomputed when the option image changes. */
  const rows = computed<ByteView[]>(() => {
    void memory.revisions.option;
    const part = partStore.part;
    if (!part || !memory.buffer('option')) return [];
    const { edited, chip } = readers();
    return optionRows(part, edited, chip, (a) => lastGood.get(a));
  });

  /** Whether the image holds anything worth editing yet (read, loaded or edited). */
  const hasValues = computed(() => {
    void memory.revisions.option;
    const img = memory.buffer('option');
    return !!img && img.state !== 'empty';
  });
  const chipKnown = computed(() => {
    void memory.revisions.option;
    return !!memory.buffer('option')?.device;
  });
  const changedFields = computed(() => rows.value.reduce((n, r) => n + r.fields.filter((f) => f.changed).length, 0));
  const readProtected = computed(() => memory.optionReading?.readProtected ?? useConnectionStore().connection?.readProtected ?? false);

  function setByte(address: number, value: number): void {
    const img = memory.buffer('option');
    if (img && img.contains(address)) memory.setByte('option', address - img.start, value);
  }

  /** Sets one field in the edited image; the complement follows, so the pair stays intact. */
  function setField(byteName: string, fieldName: string, value: number): void {
    const part = partStore.part;
    const ob = part?.optionBytes.find((o) => o.name === byteName);
    const field = ob?.fields.find((f) => f.name === fieldName);
    if (!ob || !field) return;
    // A broken pair gets a whole value first (setWholeByte): its bits are not worth keeping.
    if (rows.value.find((r) => r.name === byteName)?.repair) return;
    const max = (1 << field.width) - 1;
    const v = Math.max(0, Math.min(max, Math.trunc(Number.isFinite(value) ? value : 0)));
    const current = readers().edited(ob.address) ?? ob.factory;
    const next = withField(current, field, v);
    setByte(ob.address, next);
    if (ob.complementAddress !== null) setByte(ob.complementAddress, ~next & 0xff);
    outcome.value = null;
  }

  /** One whole byte (and its complement): how a broken pair gets a value again. */
  function setWholeByte(byteName: string, value: number): void {
    const ob = partStore.part?.optionBytes.find((o) => o.name === byteName);
    if (!ob) return;
    setByte(ob.address, value & 0xff);
    if (ob.complementAddress !== null) setByte(ob.complementAddress, ~value & 0xff);
    outcome.value = null;
  }

  /** Every option byte (and complement) to the part's factory value. */
  function factoryDefaults(): void {
    const part = partStore.part;
    if (!part) return;
    for (const [address, value] of factoryOptionImage(part)) setByte(address, value);
    outcome.value = { ok: true, message: 'Factory defaults set in the editor. Write them to apply them to the chip.' };
  }

  /** The edited values back to what the chip holds. */
  function revert(): void {
    const img = memory.buffer('option');
    const part = partStore.part;
    if (!img?.device || !part) return;
    for (const ob of part.optionBytes) {
      setByte(ob.address, img.device[ob.address - img.start]);
      if (ob.complementAddress !== null) setByte(ob.complementAddress, img.device[ob.complementAddress - img.start]);
    }
    outcome.value = null;
  }

  function take(r: OptionBytesResult): void {
    memory.applyRead([r.raw]);
    memory.optionReading = r;
    rememberIntact(r.raw);
  }

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

  /**
   * Starts a write: learns what the chip holds (without touching the edits) when it is not
   * known, then opens the summary. Nothing to change → says so and writes nothing.
   */
  async function prepareWrite(): Promise<void> {
    const part = partStore.part;
    const img = memory.buffer('option');
    if (!part || !img || busy.value) return;
    outcome.value = null;
    if (!img.device) {
      busy.value = 'comparing';
      try {
        const r = await call('readOptionBytes', {});
        img.device = r.raw.data.slice(0, img.size);
        img.revision++;
        memory.touch('option');
        memory.optionReading = r;
        rememberIntact(r.raw);
      } catch (e) {
        outcome.value = { ok: false, ...errorData(e) };
        return;
      } finally {
        busy.value = null;
      }
    }
    const { edited, chip } = readers();
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

  const allConfirmed = computed(() => !!plan.value && plan.value.dangers.every((d) => confirmed.has(d.field)));

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
    const part = partStore.part;
    if (!p || !part || busy.value || !allConfirmed.value) return;
    busy.value = 'writing';
    dialogError.value = null;
    const wanted = p.bytes.map((b) => ({ name: b.name, address: b.address, value: b.to }));
    try {
      await useJobsStore().runExternal('Write option bytes', async () => {
        const r = await call('writeOptionBytes', {
          raw: wanted.map(({ address, value }) => ({ address, value })),
          confirmations: p.dangers.map((d) => d.field),
        });
        const back = r.after.raw;
        const got = (a: number) => back.data[a - back.address];
        const mismatches = wanted.filter((w) => got(w.address) !== w.value).map((w) => ({ name: w.name, address: w.address, wanted: w.value, got: got(w.address) }));
        take(r.after);
        plan.value = null;
        confirmed.clear();
        const n = wanted.length;
        const o: OptionOutcome = mismatches.length
          ? {
              ok: false,
              message: `Wrote ${n} option byte${n === 1 ? '' : 's'}, but ${mismatches.map((m) => `${m.name} read back ${hex2(m.got)} instead of ${hex2(m.wanted)}`).join(', ')}.`,
              remedy: 'Check the target supply and connection and write again. A protected chip may refuse option writes until it is unlocked.',
              mismatches,
            }
          : { ok: true, message: `Wrote ${n} option byte${n === 1 ? '' : 's'} (${p.bytes.map((b) => b.name).join(', ')}) and read them back: the chip holds the new values. They take effect at the next reset.` };
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
    allConfirmed,
    setField,
    setWholeByte,
    factoryDefaults,
    revert,
    read,
    prepareWrite,
    toggleConfirm,
    cancelWrite,
    confirmWrite,
  };
});
