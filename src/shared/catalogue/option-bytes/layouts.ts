/** Picks the per-family option-byte descriptions for a layout (classify.ts optionLayoutOf). */
import type { OptionLayout } from '../types';
import { ropByte, type ByteDescription, type LayoutContext } from './common';
import { stm8sHigh, stm8sLow, stm8sMedium } from './stm8s';
import { stm8af, stm8afLow } from './stm8af';
import { stm8l } from './stm8l';
import { stm8l101, stm8tl } from './stm8l101';
import { stluxFamily } from './stlux';

export type { ByteDescription, LayoutContext } from './common';

type LayoutDescriber = (ctx: LayoutContext, detailedAfr: boolean) => Record<string, ByteDescription>;

/** Each layout's describer; only STM8S low density uses `detailedAfr`. */
const DESCRIBERS: Readonly<Record<OptionLayout, LayoutDescriber>> = {
  'stm8s-low': stm8sLow,
  'stm8s-medium': stm8sMedium,
  'stm8s-high': stm8sHigh,
  'stm8af-low': stm8afLow,
  stm8af,
  stm8l,
  stm8l101,
  stm8tl,
  stlux: stluxFamily,
  stnrg: stluxFamily,
  'rop-only': (ctx) => ({ ROP: ropByte(ctx.ropStyle), OPT0: ropByte(ctx.ropStyle) }),
};

/**
 * @param detailedAfr false for parts whose AFR pin table we do not carry (STM8S903).
 */
export function layoutDescriptions(layout: OptionLayout, ctx: LayoutContext, detailedAfr = true): Record<string, ByteDescription> {
  return DESCRIBERS[layout](ctx, detailedAfr);
}
