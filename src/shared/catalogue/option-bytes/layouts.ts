/** Picks the per-family option-byte descriptions for a layout (classify.ts optionLayoutOf). */
import type { OptionLayout } from '../types';
import { ropByte, type ByteDescription, type LayoutContext } from './common';
import { stm8sHigh, stm8sLow, stm8sMedium } from './stm8s';
import { stm8af, stm8afLow } from './stm8af';
import { stm8l } from './stm8l';
import { stm8l101, stm8tl } from './stm8l101';
import { stluxFamily } from './stlux';

export type { ByteDescription, LayoutContext } from './common';

/**
 * @param detailedAfr false for parts whose AFR pin table we do not carry (STM8S903).
 */
export function layoutDescriptions(layout: OptionLayout, ctx: LayoutContext, detailedAfr = true): Record<string, ByteDescription> {
  switch (layout) {
    case 'stm8s-low':
      return stm8sLow(ctx, detailedAfr);
    case 'stm8s-medium':
      return stm8sMedium(ctx);
    case 'stm8s-high':
      return stm8sHigh(ctx);
    case 'stm8af-low':
      return stm8afLow(ctx);
    case 'stm8af':
      return stm8af(ctx);
    case 'stm8l':
      return stm8l(ctx);
    case 'stm8l101':
      return stm8l101(ctx);
    case 'stm8tl':
      return stm8tl(ctx);
    case 'stlux':
    case 'stnrg':
      return stluxFamily(ctx);
    case 'rop-only':
      return { ROP: ropByte(ctx.ropStyle), OPT0: ropByte(ctx.ropStyle) };
  }
}
