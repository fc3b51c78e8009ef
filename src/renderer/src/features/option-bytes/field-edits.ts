/**
 * The editor's changes to the edited option bytes: one field, one whole byte (how a broken pair
 * gets a value again), the factory defaults, back to the chip. Every change writes the byte's
 * complement with it, so the pair stays intact.
 */
import type { Ref } from 'vue';
import { factoryOptionImage } from '#shared/catalogue/index';
import { useMemoryStore } from '../../stores/memory';
import { usePartStore } from '../../stores/part';
import { optionReaders, setOptionByte } from './option-buffer';
import { withField, type ByteView } from './option-model';
import type { OptionOutcome } from './write-flow';

export interface FieldEditContext {
  outcome: Ref<OptionOutcome | null>;
  rows: Readonly<Ref<ByteView[]>>;
}

export function useFieldEdits({ outcome, rows }: FieldEditContext) {
  const partStore = usePartStore();
  const memory = useMemoryStore();

  /** Sets one field in the edited buffer; the complement follows, so the pair stays intact. */
  function setField(byteName: string, fieldName: string, value: number): void {
    const ob = partStore.part?.optionBytes.find((o) => o.name === byteName);
    const field = ob?.fields.find((f) => f.name === fieldName);
    if (!ob || !field) return;
    // A broken pair gets a whole value first (setWholeByte): its bits are not worth keeping.
    if (rows.value.find((r) => r.name === byteName)?.repair) return;
    const max = (1 << field.width) - 1;
    const v = Math.max(0, Math.min(max, Math.trunc(Number.isFinite(value) ? value : 0)));
    const current = optionReaders().edited(ob.address) ?? ob.factory;
    const next = withField(current, field, v);
    setOptionByte(ob.address, next);
    if (ob.complementAddress !== null) setOptionByte(ob.complementAddress, ~next & 0xff);
    outcome.value = null;
  }

  /** One whole byte (and its complement): how a broken pair gets a value again. */
  function setWholeByte(byteName: string, value: number): void {
    const ob = partStore.part?.optionBytes.find((o) => o.name === byteName);
    if (!ob) return;
    setOptionByte(ob.address, value & 0xff);
    if (ob.complementAddress !== null) setOptionByte(ob.complementAddress, ~value & 0xff);
    outcome.value = null;
  }

  /** Every option byte (and complement) to the part's factory value. */
  function factoryDefaults(): void {
    const part = partStore.part;
    if (!part) return;
    for (const [address, value] of factoryOptionImage(part)) setOptionByte(address, value);
    outcome.value = { ok: true, message: 'Factory defaults set in the editor. Write them to apply them to the chip.' };
  }

  /** The edited values back to what the chip holds. */
  function revert(): void {
    const buf = memory.buffer('option');
    const part = partStore.part;
    if (!buf?.device || !part) return;
    for (const ob of part.optionBytes) {
      setOptionByte(ob.address, buf.device[ob.address - buf.start]);
      if (ob.complementAddress !== null) setOptionByte(ob.complementAddress, buf.device[ob.complementAddress - buf.start]);
    }
    outcome.value = null;
  }

  return { setField, setWholeByte, factoryDefaults, revert };
}
