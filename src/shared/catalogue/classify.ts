/**
 * Sorting a JSON entry into the coarse groups that decide behaviour: series (which ROP/option
 * rules apply), option-byte layout, UBC page size, option window. Decided from the entry name and
 * family text of stm8-devices.json (docs/spec/stm8-target.md §1.3, §3).
 */
import type { RawDevice } from './raw';
import type { OptionLayout, Part } from './types';

export function seriesOf(raw: RawDevice): Part['series'] {
  const f = raw.family;
  if (f.startsWith('STM8L101')) return 'STM8L101'; // includes STM8L001J3 (same die family, GX)
  if (f.startsWith('STM8TL')) return 'STM8TL';
  if (f.startsWith('STM8AL')) return 'STM8AL';
  if (f.startsWith('STM8L')) return 'STM8L';
  if (f.startsWith('STM8AF')) return 'STM8AF';
  if (f.startsWith('STLUX')) return 'STLUX';
  if (f.startsWith('STNRG')) return 'STNRG';
  if (f.startsWith('STWBC')) return 'STWBC';
  if (f.startsWith('STM8S')) return 'STM8S';
  throw new Error(`stm8-devices.json: unknown family "${f}" for ${raw.name}`);
}

export function optionLayoutOf(raw: RawDevice): OptionLayout {
  const series = seriesOf(raw);
  const addrs = new Set((raw.optionBytes ?? []).map((o) => Number.parseInt(o.addr, 16)));
  switch (series) {
    case 'STM8S': {
      if (/^stm8s(001|003|103|903)/.test(raw.name)) return 'stm8s-low';
      if (/^stm8s(005|105)/.test(raw.name)) return 'stm8s-medium';
      if (/^stm8s(007|207|208)/.test(raw.name)) return 'stm8s-high';
      return 'rop-only'; // stm8splnb1: no option map in any source
    }
    case 'STM8AF':
      // GX gives the TMU key bytes (0x4810..) to every medium/high-density STM8AF and to the
      // STM8AF6126; the 621x/622x parts have the 11-byte STM8S103 map.
      return addrs.has(0x4810) ? 'stm8af' : 'stm8af-low';
    case 'STM8L':
    case 'STM8AL':
      return 'stm8l';
    case 'STM8L101':
      return 'stm8l101';
    case 'STM8TL':
      return 'stm8tl';
    case 'STLUX':
      return 'stlux';
    case 'STNRG':
      return 'stnrg';
    case 'STWBC':
      return 'rop-only';
  }
}

/**
 * UBC page size (bytes per step of the UBC option byte).
 * - STM8S/STM8AF low density: 64 B. RM0016 organises low-density flash in 64-byte pages
 *   (1 block) and the STM8S103 datasheet counts UBC in pages up to 128 for 8 KB (128 × 64 B).
 * - STM8S/STM8AF medium/high density and STLUX/STNRG: 512 B (SPL-S FLASH_GetBootSize: FPR × 512;
 *   RM0016: 4 blocks of 128 B per page). The STM8S207 "OPT1=0x01 → pages 0 to 1" report (STF)
 *   counts pages differently and is the minority reading (docs/spec/stm8-target.md §9 item 3).
 * - STM8L/AL/TL/L101: one page = one block (64 B low density, 128 B otherwise); SPL-L computes
 *   UBC × 128 B on the medium/high-density parts it targets.
 */
export function ubcPageSizeOf(layout: OptionLayout, blockSize: number): number {
  switch (layout) {
    case 'stm8s-low':
    case 'stm8af-low':
      return 64;
    case 'stm8s-medium':
    case 'stm8s-high':
    case 'stm8af':
    case 'stlux':
    case 'stnrg':
    case 'rop-only':
      return blockSize === 64 ? 64 : 512;
    case 'stm8l':
    case 'stm8l101':
    case 'stm8tl':
      return blockSize;
  }
}

/** FLASH_WAIT register address (GX): STLUX/STNRG 0x5067, STWBC 0x5071. */
export function flashWaitOf(series: Part['series']): number | null {
  if (series === 'STLUX' || series === 'STNRG') return 0x5067;
  if (series === 'STWBC') return 0x5071;
  return null;
}
