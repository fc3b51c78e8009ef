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

/**
 * The two meanings of the ROP byte: which value is the factory's (unprotected) and which
 * turns protection on; what the other values mean follows from which one is special (0xAA).
 */
const ROP_MEANINGS = {
  // libstm8 regs.h: "0xAA: Disable readout protection"; PM0054 via stm8flash PR #172.
  stm8l: {
    factory: 0xaa,
    on: 0x00,
    description: 'Read-out protection. On STM8L only 0xAA means unprotected; removal writes 0xAA twice (global erase).',
    otherValues: 'read-out protection ON (any value other than 0xAA)',
  },
  // S003INC "0xAA: Readout protection enabled"; PIC; stm8flash issue #71.
  stm8s: {
    factory: 0x00,
    on: 0xaa,
    description: 'Read-out protection. Only 0xAA turns it on; writing any other value removes it with a mass erase.',
    otherValues: 'not protected (any value other than 0xAA)',
  },
} as const;

/** ROP byte at 0x4800 as an enum field; 0xAA means "protected" or "not protected" by style. */
export function ropField(style: RopStyle): OptionField {
  const m = style === 'stm8l' ? ROP_MEANINGS.stm8l : ROP_MEANINGS.stm8s;
  return choice(
    'ROP',
    0,
    8,
    m.description,
    [
      [m.factory, 'not protected (factory value)'],
      [m.on, 'read-out protection ON'],
    ],
    { otherValues: m.otherValues, dangerous: ROP_DANGER },
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
