/**
 * STM8AF (automotive) option bytes. GX names them OPT0..OPT17; the map is the STM8S one plus
 * OPT6 TMU, OPT8..OPT15 TMU_KEY1..8 and OPT16 TMU_MAXATT (factory 0xC7) for temporary memory
 * unprotection, and OPT17 = bootloader (docs/spec/stm8-target.md §3.1; GX; GGAL: "rather don't touch").
 * The 621x/622x low-density parts only have OPT0..OPT5 (GX).
 * AFR bits are named but not explained: the pin tables differ per package and were not retrieved.
 * The TMU code (0101 = TMU disabled, anything else = enabled) is the STM8AF datasheet table as
 * remembered, not confirmed from a retrieved source; the bytes are all marked dangerous anyway.
 */
import { count, choice } from './fields';
import { ropByte, ubcByte, type ByteDescription, type LayoutContext } from './common';
import { OPT3_FIELDS, OPT5_FIELDS, OPT7_FIELDS, OPTBL_FIELDS, genericAfr, opt4Fields } from './stm8s';

const TMU_DANGER =
  'Temporary memory unprotection (TMU) decides whether and how read-out protection can be lifted with a key; ' +
  'wrong key or counter values can make protection permanent or erase the chip. stm8gal advises not to touch these bytes.';

function lowDensity(ctx: LayoutContext): Record<string, ByteDescription> {
  return {
    OPT0: ropByte(ctx.ropStyle),
    OPT1: ubcByte(ctx),
    OPT2: { description: 'Alternate function remapping (AFR)', fields: genericAfr() },
    OPT3: { description: 'Watchdog, LSI and HSI trimming options', fields: OPT3_FIELDS },
    // STM8AF low density runs at up to 16 MHz like the STM8S103 it shares its die line with.
    OPT4: { description: 'Clock options', fields: opt4Fields(16) },
    OPT5: { description: 'HSE clock start-up', fields: OPT5_FIELDS },
  };
}

export function stm8afLow(ctx: LayoutContext): Record<string, ByteDescription> {
  return lowDensity(ctx);
}

export function stm8af(ctx: LayoutContext): Record<string, ByteDescription> {
  const out: Record<string, ByteDescription> = {
    ...lowDensity(ctx),
    // STM8AF medium/high density are 24 MHz parts (hence OPT7): AWU prescaler codes as STM8S207/208.
    OPT4: { description: 'Clock options', fields: opt4Fields(24) },
    OPT6: {
      description: 'Temporary memory unprotection (TMU) enable',
      fields: [
        choice('TMU', 0, 4, 'TMU enable code', [[0x5, 'TMU disabled']], {
          otherValues: 'TMU enabled',
          dangerous: TMU_DANGER,
        }),
      ],
    },
    OPT7: { description: 'Flash wait states', fields: OPT7_FIELDS },
    OPT16: {
      description: 'TMU maximum number of attempts (TMU_MAXATT)',
      fields: [count('TMU_MAXATT', 0, 8, 'Counter of failed TMU key attempts', { dangerous: TMU_DANGER })],
    },
    OPT17: { description: 'Bootloader', fields: OPTBL_FIELDS },
  };
  for (let k = 1; k <= 8; k++) {
    out[`OPT${7 + k}`] = {
      description: `TMU key byte ${k}`,
      fields: [count(`TMU_KEY${k}`, 0, 8, `Temporary memory unprotection key byte ${k}`, { dangerous: TMU_DANGER })],
    };
  }
  return out;
}
