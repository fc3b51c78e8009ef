/**
 * STM8L15x/16x/05x and STM8AL option bytes: no complements, ROP 0xAA = unprotected
 * (docs/spec/stm8-target.md §3.3). Bit positions: libstm8 include/libstm8/l/regs.h and GX; BOR and
 * stabilisation codes: STM8L15x datasheet option-byte table as summarised in docs/spec/stm8-target.md §3.3.
 */
import { bit, choice, count } from './fields';
import { iwdgHardwareBit, ropByte, ubcByte, type ByteDescription, type LayoutContext } from './common';

export const WDG_FIELDS = [
  iwdgHardwareBit(0),
  bit('IWDG_HALT', 1, 'Independent watchdog in Halt/Active-halt', 'IWDG keeps running in Halt/Active-halt', 'IWDG stopped in Halt/Active-halt'),
  bit('WWDG_HW', 2, 'Window watchdog activation', 'WWDG started by software', 'WWDG started by hardware at reset', 'A hardware-started window watchdog resets the chip unless the firmware refreshes it in its window.'),
  // libstm8 regs.h: "window watchdog reset on Halt/Active-halt".
  bit('WWDG_HALT', 3, 'Window watchdog reset on Halt/Active-halt', 'no reset when entering Halt/Active-halt', 'reset when entering Halt/Active-halt with WWDG active'),
];

const STAB: Array<[number, string]> = [
  [0, '1 cycle'],
  [1, '16 cycles'],
  [2, '512 cycles'],
  [3, '4096 cycles'],
];

/**
 * BOR thresholds: codes 0..4 select VBOR0..VBOR4 (STM8L15x datasheet "BOR_TH"); the volts are the
 * nominal falling-edge levels for display — the datasheet electrical table is the authority.
 */
const BOR_TH: Array<[number, string]> = [
  [0, 'BOR threshold 0 (about 1.8 V)'],
  [1, 'BOR threshold 1 (about 2.0 V)'],
  [2, 'BOR threshold 2 (about 2.4 V)'],
  [3, 'BOR threshold 3 (about 2.7 V)'],
  [4, 'BOR threshold 4 (about 3.0 V)'],
];

export function stm8l(ctx: LayoutContext): Record<string, ByteDescription> {
  return {
    OPT0: ropByte(ctx.ropStyle),
    OPT1: ubcByte(ctx),
    OPT2: {
      description: 'Proprietary code area size (PCODESIZE)',
      fields: [
        count('PCODESIZE', 0, 8, `Pages of ${ctx.ubcPageSize} bytes from the start of flash kept as proprietary code (PCODE); 0 = none.`, {
          unitBytes: ctx.ubcPageSize,
          dangerous: 'PCODE pages can only be executed, not read or written; getting rid of them takes a read-out protection removal (mass erase).',
        }),
      ],
    },
    OPT3: { description: 'Watchdog options', fields: WDG_FIELDS },
    OPT4: {
      description: 'Crystal oscillator stabilisation',
      fields: [choice('HSECNT', 0, 2, 'HSE stabilisation time', STAB), choice('LSECNT', 2, 2, 'LSE stabilisation time', STAB)],
    },
    OPT5: {
      description: 'Brownout reset (BOR)',
      fields: [
        bit('BOR_ON', 0, 'Brownout reset', 'BOR off', 'BOR on'),
        choice('BOR_TH', 1, 3, 'Brownout reset threshold', BOR_TH, { otherValues: 'reserved code' }),
      ],
    },
    // libstm8: "checked by the boot ROM ... depending on 0x480B, 0x480C and 0x8000"; the 0x55/0xAA
    // enabling pair is the STM8S one (GGAL) and is unverified for STM8L (docs/spec/stm8-target.md §9 item 8).
    OPTBL_H: {
      description: 'Bootloader option, high byte',
      fields: [choice('OPTBL_H', 0, 8, 'Bootloader enable, high byte (0x55 with OPTBL_L 0xAA enables the ROM bootloader check)', [[0x55, 'bootloader enable pattern (with OPTBL_L = 0xAA)']], { otherValues: 'bootloader not enabled' })],
    },
    OPTBL_L: {
      description: 'Bootloader option, low byte',
      fields: [choice('OPTBL_L', 0, 8, 'Bootloader enable, low byte (0xAA with OPTBL_H 0x55 enables the ROM bootloader check)', [[0xaa, 'bootloader enable pattern (with OPTBL_H = 0x55)']], { otherValues: 'bootloader not enabled' })],
    },
  };
}
