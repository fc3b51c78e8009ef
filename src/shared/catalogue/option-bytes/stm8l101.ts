/**
 * STM8L101/STM8L001 and STM8TL5x option bytes (docs/spec/stm8-target.md §3.4; GX option maps): no
 * complements; the data EEPROM is carved out of program flash and sized by DATASIZE.
 * The STM8L101 ROP uses the STM8S polarity (factory 0x00, stm8flash ROP_STM8S); the TL5x uses
 * the STM8L polarity (factory 0xAA, GX). Watchdog bit layout: not retrieved for either family
 * (docs/spec/stm8-target.md §9.8); the positions below are the STM8L15x ones (libstm8), marked as assumed.
 */
import { bit, count } from './fields';
import { ropByte, ubcByte, type ByteDescription, type LayoutContext } from './common';
import { WDG_FIELDS } from './stm8l';

function dataSize(ctx: LayoutContext): ByteDescription {
  return {
    description: 'Data EEPROM area size (DATASIZE)',
    fields: [
      count('DATASIZE', 0, 8, `Pages of ${ctx.ubcPageSize} bytes of program flash used as data EEPROM; 0 = no data area.`, {
        unitBytes: ctx.ubcPageSize,
      }),
    ],
  };
}

const ASSUMED = ' (bit position assumed from STM8L15x; not confirmed for this family)';

export function stm8l101(ctx: LayoutContext): Record<string, ByteDescription> {
  return {
    OPT1: ropByte(ctx.ropStyle),
    OPT2: ubcByte(ctx),
    OPT3: dataSize(ctx),
    OPT4: {
      description: 'Independent watchdog options',
      fields: [
        bit('IWDG_HW', 0, `Independent watchdog activation${ASSUMED}`, 'IWDG started by software', 'IWDG started by hardware at reset', WDG_FIELDS[0].dangerous),
        bit('IWDG_HALT', 1, `Independent watchdog in Halt/Active-halt${ASSUMED}`, 'IWDG keeps running in Halt/Active-halt', 'IWDG stopped in Halt/Active-halt'),
      ],
    },
  };
}

export function stm8tl(ctx: LayoutContext): Record<string, ByteDescription> {
  return {
    OPT0: ropByte(ctx.ropStyle),
    OPT1: ubcByte(ctx),
    OPT2: dataSize(ctx),
    OPT3: {
      description: 'Proprietary code area size (PCODESIZE)',
      fields: [
        count('PCODESIZE', 0, 8, `Pages of ${ctx.ubcPageSize} bytes from the start of flash kept as proprietary code; 0 = none.`, {
          unitBytes: ctx.ubcPageSize,
          dangerous: 'PCODE pages can only be executed, not read or written; getting rid of them takes a read-out protection removal (mass erase).',
        }),
      ],
    },
    OPT4: {
      description: 'Watchdog options',
      fields: WDG_FIELDS.map((f) => ({ ...f, description: f.description + ASSUMED })),
    },
  };
}
