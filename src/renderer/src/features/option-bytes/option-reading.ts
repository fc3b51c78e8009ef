/**
 * A reading of the option bytes from the chip (readOptionBytes, or the read-back after a write
 * or an unlock) taken into the app: the option tab's bytes become what the chip holds, and
 * main's decoding of them is kept for the tab's summary.
 */
import type { OptionBytesResult } from '#shared/ipc';
import { useMemoryStore } from '../../stores/memory';

export function takeOptionReading(r: OptionBytesResult): void {
  const memory = useMemoryStore();
  memory.applyRead([r.raw]);
  memory.optionReading = r;
}
