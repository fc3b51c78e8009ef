/**
 * The one check of an image against a part, before anything reaches the chip: every byte
 * lies in a memory of the part (else 'outside-memory', naming the data and the memory map:
 * nothing is dropped in silence), and only in the memories the caller writes (option bytes
 * are written separately, with their complements: 'image-has-options'; the boot ROM never:
 * 'image-wrong-region'). The CLI, the app service and the engine's program job all call it;
 * a face may add a remedy that names its own command.
 */
import { regionAt } from '../catalogue/regions';
import type { Part, RegionKind } from '../catalogue/types';
import { AppError } from '../errors';
import { formatRange } from './address';
import { describeMemoryMap } from './part-map';

const KIND_WORDS: Record<RegionKind, string> = { flash: 'flash', eeprom: 'EEPROM', ram: 'RAM', option: 'option-byte', bootrom: 'boot ROM' };

export function checkPlacement(
  part: Part,
  segments: readonly { readonly address: number; readonly data: Uint8Array }[],
  allowed: readonly RegionKind[],
  /** Where the bytes come from, for the messages (a file name). */
  source = 'image',
): void {
  for (const seg of segments) {
    let off = 0;
    while (off < seg.data.length) {
      const addr = seg.address + off;
      const r = regionAt(part, addr);
      const whole = { start: seg.address, end: seg.address + seg.data.length - 1 };
      if (!r) {
        throw new AppError(
          'outside-memory',
          `${source}: data at ${formatRange(whole)}; ${formatRange({ start: addr, end: outsideEnd(part, addr, whole.end) })} is outside every memory of ${part.name}`,
          `Check that the ${source === 'image' ? 'image' : 'file'} was built for ${part.name} (memory: ${describeMemoryMap(part)}), or choose the part it was built for.`,
          { part: part.name, address: addr },
        );
      }
      const n = Math.min(seg.data.length - off, r.end - addr + 1);
      if (!allowed.includes(r.kind)) {
        const where = formatRange({ start: addr, end: addr + n - 1 });
        throw new AppError(
          r.kind === 'option' ? 'image-has-options' : 'image-wrong-region',
          `${source}: data in the ${KIND_WORDS[r.kind]} area of ${part.name} (${where}), which is not written here`,
          r.kind === 'option' ? 'Write option bytes on their own (their complements are filled in and protection is guarded), or remove them.' : 'The boot ROM cannot be written; remove that data.',
          { part: part.name, address: addr },
        );
      }
      off += n;
    }
  }
}

/** The last address of the run of bytes outside every memory that starts at `addr`. */
function outsideEnd(part: Part, addr: number, last: number): number {
  const next = Math.min(...part.regions.filter((r) => r.start > addr).map((r) => r.start));
  return Math.min(last, next - 1);
}
