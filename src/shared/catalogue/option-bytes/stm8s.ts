/**
 * STM8S option bytes (complemented pairs; docs/spec/stm8-target.md §3.1, §3.2).
 * Sources: S003INC (STM8S003 option bit definitions), PIC stm8s208.inc (bit names for the 208),
 * SPL-S stm8s.h/stm8s_flash.h, EVAL readme (WAITSTATE), GGAL BSL_activate (OPTBL 0x55/0xAA),
 * and the option-byte description tables of the STM8S003/103/105/207/208 datasheets for wording.
 */
import type { OptionField } from '../types';
import { bit, choice } from './fields';
import { iwdgHardwareBit, ropByte, ubcByte, type ByteDescription, type LayoutContext } from './common';

const AFR_DEFAULT = 'default alternate function';

/**
 * OPT2 alternate-function remap bits of the STM8S003/103 (S003INC, which lists them per package:
 * some bits only act on the 20-pin F/J packages, others only on the 32-pin K package).
 */
const AFR_LOW_DENSITY: OptionField[] = [
  bit('AFR0', 0, 'Remap option 0 (20-pin packages; reserved on 32-pin)', AFR_DEFAULT, 'PC5 = TIM2_CH1, PC6 = TIM1_CH1, PC7 = TIM1_CH2'),
  bit('AFR1', 1, 'Remap option 1', AFR_DEFAULT, 'PA3 = SPI_NSS, PD2 = TIM2_CH3'),
  bit('AFR2', 2, 'Reserved (keep 0)', 'reserved, 0', 'reserved: do not set'),
  bit('AFR3', 3, 'Remap option 3 (20-pin packages; reserved on 32-pin)', AFR_DEFAULT, 'PC3 = TLI'),
  bit('AFR4', 4, 'Remap option 4 (20-pin packages; reserved on 32-pin)', AFR_DEFAULT, 'PB4 = ADC_ETR, PB5 = TIM1_BKIN'),
  bit('AFR5', 5, 'Remap option 5 (32-pin packages; reserved on 20-pin)', AFR_DEFAULT, 'PD0 = CLK_CCO'),
  bit('AFR6', 6, 'Remap option 6 (32-pin packages; reserved on 20-pin)', AFR_DEFAULT, 'PD7 = TIM1_CH4'),
  bit('AFR7', 7, 'Remap option 7 (20-pin packages; reserved on 32-pin)', AFR_DEFAULT, 'PC3 = TIM1_CH1N, PC4 = TIM1_CH2N'),
];

/**
 * OPT2 of STM8S105/005 and STM8S207/208/007 (datasheet option-byte tables; the bit names agree
 * with PIC stm8s208.inc: AFR7 BEEP, AFR6 I2C, AFR5/4/3 TIM1, AFR2 CCO, AFR1 TIM2, AFR0 ADC, and
 * with the STM8S105C6 "AFR7 = PD4 as BEEP" comment cited in docs/spec/stm8-target.md §3.1).
 */
const AFR_MEDIUM_HIGH: OptionField[] = [
  bit('AFR0', 0, 'Remap option 0', AFR_DEFAULT, 'PD3 = ADC_ETR'),
  bit('AFR1', 1, 'Remap option 1', AFR_DEFAULT, 'PA3 = TIM3_CH1, PD2 = TIM2_CH3'),
  bit('AFR2', 2, 'Remap option 2', AFR_DEFAULT, 'PD0 = CLK_CCO'),
  bit('AFR3', 3, 'Remap option 3', AFR_DEFAULT, 'PD0 = TIM1_BKIN'),
  bit('AFR4', 4, 'Remap option 4', AFR_DEFAULT, 'PD7 = TIM1_CH4'),
  bit('AFR5', 5, 'Remap option 5', AFR_DEFAULT, 'PB3 = TIM1_ETR, PB2 = TIM1_CH3N, PB1 = TIM1_CH2N, PB0 = TIM1_CH1N'),
  bit('AFR6', 6, 'Remap option 6', AFR_DEFAULT, 'PB5 = I2C_SDA, PB4 = I2C_SCL'),
  bit('AFR7', 7, 'Remap option 7', AFR_DEFAULT, 'PD4 = BEEP'),
];

/** AFR bits of a part whose pin table we do not carry (STM8S903, STM8AF): named, not explained. */
export function genericAfr(): OptionField[] {
  const out: OptionField[] = [];
  for (let i = 0; i < 8; i++) {
    out.push(bit(`AFR${i}`, i, `Alternate-function remap option ${i} (pin assignment: see the part's datasheet)`, AFR_DEFAULT, `remap option ${i} active`));
  }
  return out;
}

/**
 * OPT3 watchdog/clock options (S003INC for all five bits; PIC stm8s208.inc confirms bits 3..0 on
 * the 208; HSITRIM at bit 4 is taken to apply to every STM8S/STM8AF as on the 003).
 */
export const OPT3_FIELDS: OptionField[] = [
  bit('WWDG_HALT', 0, 'Window watchdog behaviour on HALT', 'no reset when entering Halt with WWDG active', 'reset when entering Halt with WWDG active'),
  bit('WWDG_HW', 1, 'Window watchdog activation', 'WWDG started by software', 'WWDG started by hardware at reset', 'A hardware-started window watchdog resets the chip unless the firmware refreshes it in its window.'),
  iwdgHardwareBit(2),
  bit('LSI_EN', 3, 'Low-speed internal clock as CPU clock', 'LSI not available as CPU clock', 'LSI available as CPU clock source'),
  bit('HSITRIM', 4, 'HSI trimming register size', '3-bit trimming in CLK_HSITRIMR', '4-bit trimming in CLK_HSITRIMR'),
];

/**
 * OPT4 clock options (bit positions: S003INC, PIC). AWU prescaler codes: S003INC gives 00 = 16 MHz,
 * 10 = 8 MHz, 11 = 4 MHz for the 16 MHz parts (the STM8S103 datasheet writes "0x" for 16 MHz, so
 * 01 is 16 MHz too); the 24 MHz STM8S207/208 datasheet table shifts them to 00 = 24 MHz,
 * 01 = 16 MHz (recollection of that table: not retrieved, marked so in the field text).
 */
export function opt4Fields(maxMHz: 16 | 24): OptionField[] {
  const prsc: Array<[number, string]> =
    maxMHz === 24
      ? [
          [0, '24 MHz to 128 kHz (24 MHz parts; code table not confirmed from a retrieved source)'],
          [1, '16 MHz to 128 kHz'],
          [2, '8 MHz to 128 kHz'],
          [3, '4 MHz to 128 kHz'],
        ]
      : [
          [0, '16 MHz to 128 kHz'],
          [1, '16 MHz to 128 kHz'],
          [2, '8 MHz to 128 kHz'],
          [3, '4 MHz to 128 kHz'],
        ];
  return [
    choice('PRSC', 0, 2, 'AWU clock prescaler for an HSE clock source', prsc),
    bit('CKAWUSEL', 2, 'Auto-wakeup unit clock', 'LSI clock for AWU', 'HSE clock with prescaler for AWU'),
    bit('EXTCLK', 3, 'External clock type', 'crystal or resonator on OSCIN/OSCOUT', 'external clock signal on OSCIN'),
  ];
}

/** OPT5 HSE stabilisation count (S003INC codes). */
export const OPT5_FIELDS: OptionField[] = [
  choice(
    'HSECNT',
    0,
    8,
    'HSE crystal stabilisation time',
    [
      [0x00, '2048 HSE cycles'],
      [0xb4, '128 HSE cycles'],
      [0xd2, '8 HSE cycles'],
      [0xe1, '0.5 HSE cycles'],
    ],
    { otherValues: 'reserved code' },
  ),
];

/** OPT7 flash wait state (SPL-S OPT7; EVAL "WAITSTATE 1 wait state"; GGAL BSL_activate). */
export const OPT7_FIELDS: OptionField[] = [
  bit(
    'WAITSTATE',
    0,
    'Flash wait state',
    'no wait state (CPU up to 16 MHz)',
    'one wait state (required above 16 MHz)',
    'Firmware that clocks the CPU above 16 MHz needs this set; clearing it makes such firmware crash.',
  ),
];

/** OPTBL at 0x487E (GX; GGAL BSL_activate writes 0x55 / complement 0xAA). */
export const OPTBL_FIELDS: OptionField[] = [
  choice(
    'BL',
    0,
    8,
    'ROM bootloader enable: the boot ROM checks this byte (and the reset vector) after reset',
    [
      [0x00, 'bootloader disabled (factory value)'],
      [0x55, 'bootloader enabled'],
    ],
    { otherValues: 'bootloader disabled' },
  ),
];

function common(ctx: LayoutContext, afr: OptionField[], maxMHz: 16 | 24): Record<string, ByteDescription> {
  return {
    OPT0: ropByte(ctx.ropStyle),
    OPT1: ubcByte(ctx),
    OPT2: { description: 'Alternate function remapping (AFR)', fields: afr },
    OPT3: { description: 'Watchdog, LSI and HSI trimming options', fields: OPT3_FIELDS },
    OPT4: { description: 'Clock options', fields: opt4Fields(maxMHz) },
    OPT5: { description: 'HSE clock start-up', fields: OPT5_FIELDS },
  };
}

/** STM8S001/003/103 (detailed AFR) and STM8S903 (AFR named only). 0x4800-0x480A. */
export function stm8sLow(ctx: LayoutContext, detailedAfr: boolean): Record<string, ByteDescription> {
  return common(ctx, detailedAfr ? AFR_LOW_DENSITY : genericAfr(), 16);
}

/** STM8S005/105: low-density map + OPTBL. */
export function stm8sMedium(ctx: LayoutContext): Record<string, ByteDescription> {
  return { ...common(ctx, AFR_MEDIUM_HIGH, 16), OPTBL: { description: 'Bootloader', fields: OPTBL_FIELDS } };
}

/** STM8S007/207/208 (24 MHz parts): + OPT7 wait state + OPTBL. OPT6 is reserved (SPL-S RESERVED1/2). */
export function stm8sHigh(ctx: LayoutContext): Record<string, ByteDescription> {
  return {
    ...common(ctx, AFR_MEDIUM_HIGH, 24),
    OPT7: { description: 'Flash wait states', fields: OPT7_FIELDS },
    OPTBL: { description: 'Bootloader', fields: OPTBL_FIELDS },
  };
}
