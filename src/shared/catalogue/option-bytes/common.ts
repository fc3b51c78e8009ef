/**
 * Field descriptions shared by several families: the ROP byte (meaning depends on the ROP style,
 * docs/spec/stm8-target.md §3.5), the UBC size byte and the IWDG_HW bit.
 */
import type { OptionField, RopStyle } from '../types';
import { bit, choice, count } from './fields';

/** What one option byte is, bit by bit; keyed by the GX byte name (OPT0, OPT1, UCB...). */
export interface ByteDescription {
  description: string;
  fields: OptionField[];
}

/** Numbers a layout needs from the part it describes. */
export interface LayoutContext {
  /** Bytes per UBC step (classify.ts ubcPageSizeOf). */
  ubcPageSize: number;
  ropStyle: RopStyle;
}

/**
 * IWDG_HW, the same bit on STM8S (OPT3 bit 2) and STM8L (OPT3 bit 0): a watchdog started by
 * hardware at reset (S003INC and libstm8 l/regs.h bit names; STM8S and STM8L15x datasheet option-byte tables).
 */
export function iwdgHardwareBit(position: number): OptionField {
  return bit(
    'IWDG_HW',
    position,
    'Independent watchdog activation',
    'IWDG started by software',
    'IWDG started by hardware at reset',
    'A hardware-started watchdog cannot be stopped: firmware that does not refresh it will reset in a loop.',
  );
}

const ROP_DANGER =
  'Turning read-out protection on blocks reading and writing flash and data EEPROM through SWIM; ' +
  'turning it off again erases the whole chip (program, data EEPROM, UBC).';

/** ROP byte at 0x4800 as an enum field; 0xAA means "protected" or "not protected" by style. */
export function ropField(style: RopStyle): OptionField {
  if (style === 'stm8l') {
    // libstm8 regs.h: "0xAA: Disable readout protection"; PM0054 via stm8flash PR #172.
    return choice(
      'ROP',
      0,
      8,
      'Read-out protection. On STM8L only 0xAA means unprotected; removal writes 0xAA twice (global erase).',
      [
        [0xaa, 'not protected (factory value)'],
        [0x00, 'read-out protection ON'],
      ],
      { otherValues: 'read-out protection ON (any value other than 0xAA)', dangerous: ROP_DANGER },
    );
  }
  // S003INC "0xAA: Readout protection enabled"; PIC; stm8flash issue #71.
  return choice(
    'ROP',
    0,
    8,
    'Read-out protection. Only 0xAA turns it on; writing any other value removes it with a mass erase.',
    [
      [0x00, 'not protected (factory value)'],
      [0xaa, 'read-out protection ON'],
    ],
    { otherValues: 'not protected (any value other than 0xAA)', dangerous: ROP_DANGER },
  );
}

export function ropByte(style: RopStyle): ByteDescription {
  return { description: 'Read-out protection (ROP)', fields: [ropField(style)] };
}

/** UBC: size of the write-protected user boot code area at the start of flash, in pages. */
export function ubcByte(ctx: LayoutContext, name = 'UBC'): ByteDescription {
  return {
    description: 'User boot code (UBC) area size',
    fields: [
      count(name, 0, 8, `Size of the write-protected user boot code area at the start of flash, in ${ctx.ubcPageSize}-byte pages; 0 = none.`, {
        unitBytes: ctx.ubcPageSize,
        dangerous:
          'UBC pages cannot be programmed or erased (not even through SWIM) until UBC is set back to 0; ' +
          'an image that overlaps them will fail to program.',
      }),
    ],
  };
}
