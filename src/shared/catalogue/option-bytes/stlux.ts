/**
 * STLUX/STNRG option bytes: their own names from GX (ROP, UCB, GENCFG, MISCUOPT, CLKCTL,
 * HSESTAB, ENHFEAT on STNRG, WAITSTATE, AFR_IOMXP0..2, MSC_OPT0, OPTBL; complemented pairs,
 * STM8S ROP polarity per the stm8flash maintainer, docs/spec/stm8-target.md §3.1/§3.5). Only ROP, UCB and
 * OPTBL have a documented meaning in our sources; the rest are shown as whole bytes with GX's
 * description (their bit tables live in the STLUX/STNRG reference manuals, not retrieved).
 */
import { ropByte, ubcByte, type ByteDescription, type LayoutContext } from './common';
import { OPTBL_FIELDS } from './stm8s';

export function stluxFamily(ctx: LayoutContext): Record<string, ByteDescription> {
  return {
    ROP: ropByte(ctx.ropStyle),
    UCB: ubcByte(ctx, 'UCB'),
    OPTBL: { description: 'Bootloader', fields: OPTBL_FIELDS },
  };
}
