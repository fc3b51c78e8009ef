/**
 * Read-out protection rules per style (docs/spec/stm8-target.md §3.5, §1.4):
 * - "stm8s" (STM8S/AF/STLUX/STNRG/STWBC): 0xAA at 0x4800 = protected, anything else = not
 *   (S003INC, PIC, stm8flash issue #71). Factory 0x00.
 * - "stm8l" (STM8L15x/16x/05x/AL/TL5x): 0xAA = NOT protected, anything else = protected
 *   (libstm8 regs.h comment, stm8flash issue/PR #172 quoting PM0054). Factory 0xAA. SPL-L V1.3.0
 *   treats 0xAA as "enabled" (docs/spec/stm8-target.md §9.2); we follow the datasheet wording and PM0054 because the
 *   factory value of an unprotected STM8L is 0xAA (GX) — the SPL polarity would make every new
 *   chip read as protected.
 * - "stm8s-polarity-no-complements" (STM8L101/001): STM8S polarity (factory 0x00, GX; stm8flash
 *   ROP_STM8S), no complement bytes.
 */
import type { Part, RopInfo, RopStyle } from './types';

export const ROP_ADDRESS = 0x4800;
export const ROP_MAGIC = 0xaa;

export function ropInfo(style: RopStyle): RopInfo {
  if (style === 'stm8l') {
    return { style, address: ROP_ADDRESS, protectValue: 0x00, unprotectedValue: ROP_MAGIC };
  }
  return { style, address: ROP_ADDRESS, protectValue: ROP_MAGIC, unprotectedValue: 0x00 };
}

/** True when this ROP byte value means the flash and data memory are read-out protected. */
export function isRopActive(part: Pick<Part, 'rop'>, ropByte: number): boolean {
  const v = ropByte & 0xff;
  return part.rop.style === 'stm8l' ? v !== ROP_MAGIC : v === ROP_MAGIC;
}
