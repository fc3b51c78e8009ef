/**
 * Where the two sources of stm8-devices.json disagree (stm8flash's table "SF" vs gicking's
 * STM8_headers XML "GX"; docs/spec/stm8-target.md §1.3 and §9 item 9), the catalogue picks one value here.
 * Every pick carries the reason, which also ends up in Part.notes so a user sees it.
 */
import type { RawDevice } from './raw';

export interface Correction {
  ramSize?: number;
  eepromSize?: number;
  flashSize?: number;
  blockSize?: number;
  /** Option window size in bytes from 0x4800. */
  optionSize?: number;
  note: string;
}

/** Corrections keyed by the JSON entry name (pattern or GX part name). */
const byEntry: Record<string, Correction[]> = {
  // SF 1535 is an off-by-one typo: GX memory map says 0x0000-0x05FF (1536 B = "1.5 Kbyte").
  'stm8l101f1': [{ ramSize: 1536, note: 'RAM 1536 B (GX 0x0000-0x05FF); stm8flash says 1535, an off-by-one typo.' }],
  'stm8l101?2': [{ ramSize: 1536, note: 'RAM 1536 B (GX 0x0000-0x05FF); stm8flash says 1535, an off-by-one typo.' }],
  'stm8l101?3': [{ ramSize: 1536, note: 'RAM 1536 B (GX 0x0000-0x05FF); stm8flash says 1535, an off-by-one typo.' }],
  // GX memory map and GX feature text ("Up to 4 KB of RAM") agree on 4 KB, like every other
  // 64 KB STM8L15x/16x (L151x8, L152x8); SF's 2 KB is the odd one out.
  'stm8l162?8': [{ ramSize: 4096, note: 'RAM 4096 B (GX map + feature text, same as STM8L152x8); stm8flash says 2048.' }],
  // GX map and GX feature text ("RAM: 1 Kbyte") agree, and every other 8 KB low-density
  // STM8S/STM8AF has 1 KB; SF's 2 KB would let a tool write RAM that is not there.
  'stm8af6226': [{ ramSize: 1024, note: 'RAM 1024 B (GX map + feature text "RAM: 1 Kbyte"); stm8flash says 2048.' }],
  // Only GX's memory block says 4 KB; GX's own feature text and SF say 16 KB, and the
  // STM8TL5x line is sold as 16 KB parts.
  'stm8tl5??4': [{ note: 'Flash 16 KB (stm8flash + GX feature text); the GX memory block alone says 4 KB.' }],
  // PM0054 organises medium+/high-density STM8L flash in 128-byte blocks and every other
  // 64 KB STM8L entry uses 128; SF's 64 for this one part looks like a copy slip.
  'stm8l052r8': [{ blockSize: 128, note: 'Block 128 B like every other 64 KB STM8L (PM0054 high density); stm8flash says 64.' }],
  // GX's OPTION window for the 903 runs to 0x4870 and swallows the UID (0x4865); its option
  // bytes end at 0x480A like the STM8S103 (OOCD stm8s103.cfg OPTIONEND 0x480A).
  'stm8s903?3': [{ optionSize: 11, note: 'Option window 0x4800-0x480A like STM8S103; GX says 0x4800-0x4870, which overlaps the UID.' }],
};

/**
 * STM8AF option windows: GX says 256 bytes, but every described option byte (TMU keys, OPTBL at
 * 0x487E/F) lies below 0x4880 and ST's SPL (stm8s_flash.h OPTION_BYTE_END_PHYSICAL_ADDRESS) and
 * OOCD stm8s.cfg both stop at 0x487F, so medium/high density gets 128 bytes. Low-density STM8AF
 * (621x/622x) has the STM8S103 option map (11 bytes in GX's own byte list), so it gets 11 bytes
 * like the STM8S103 (OOCD OPTIONEND 0x480A).
 */
function stm8afOptionWindow(raw: RawDevice): Correction | null {
  if (!raw.name.startsWith('stm8af')) return null;
  const hasOptBl = (raw.optionBytes ?? []).some((o) => o.addr.toLowerCase() === '0x487e');
  const size = hasOptBl ? 128 : 11;
  return {
    optionSize: size,
    note:
      size === 128
        ? 'Option window 0x4800-0x487F (ST SPL, OpenOCD); GX says 256 bytes but describes nothing above 0x487F.'
        : 'Option window 0x4800-0x480A (same option map as STM8S103); GX says 256 bytes.',
  };
}

export function correctionsFor(raw: RawDevice): Correction[] {
  const list = [...(byEntry[raw.name] ?? [])];
  const af = stm8afOptionWindow(raw);
  if (af) list.push(af);
  return list;
}

/**
 * Corrections that apply to one concrete chip inside a pattern entry: the 44-pin STM8S208S8 and
 * STM8S208SB have 1.5 KB data EEPROM (GX), as stm8flash itself records for stm8s207s8/sb and
 * stm8s208s6; the pattern entries stm8s208?8/?b carry SF's 2 KB, right for the C/M/R packages.
 */
const byChip: Record<string, Correction> = {
  stm8s208s8: { eepromSize: 1536, note: 'EEPROM 1536 B for the 44-pin S package (GX; stm8flash uses 1536 for stm8s207s8/sb too).' },
  stm8s208sb: { eepromSize: 1536, note: 'EEPROM 1536 B for the 44-pin S package (GX; stm8flash uses 1536 for stm8s207s8/sb too).' },
};

export function chipCorrection(concreteName: string): Correction | null {
  return byChip[concreteName.toLowerCase()] ?? null;
}
