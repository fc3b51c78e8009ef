/**
 * The option tab's bytes by absolute address: read as edited or as on the chip, and set as
 * edited. The editor's rules (option-model.ts) work on these readers, not on the buffer.
 */
import { useMemoryStore } from '../../stores/memory';
import type { ByteReader } from './option-model';

/** Readers of the edited bytes and the chip's bytes; undefined where unknown. */
export function optionReaders(): { edited: ByteReader; chip: ByteReader } {
  const buf = useMemoryStore().buffer('option');
  if (!buf) return { edited: () => undefined, chip: () => undefined };
  const at = (bytes: Uint8Array | null) => (a: number) => (bytes && buf.contains(a) ? bytes[a - buf.start] : undefined);
  return { edited: at(buf.edited), chip: at(buf.device) };
}

/** Sets one option byte in the edited buffer, by absolute address (outside it: nothing). */
export function setOptionByte(address: number, value: number): void {
  const memory = useMemoryStore();
  const buf = memory.buffer('option');
  if (buf && buf.contains(address)) memory.setByte('option', address - buf.start, value);
}
