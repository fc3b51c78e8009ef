/**
 * The two flash-controller register sets (docs/spec/stm8-target.md §2.1). Addresses: OpenOCD
 * src/target/stm8.c, stm8flash stlinkv2.c / stm8.h, gicking STM8_headers XML (GX).
 */
import type { FlashRegisters, FlashRegsStyle } from './types';

/** STM8S/STM8AF/STLUX/STNRG/STWBC: FLASH block at 0x505A with NCR2/FPR/NFPR; CLK_CKDIVR 0x50C6. */
const STM8S_REGS: FlashRegisters = {
  style: 'stm8s',
  CR1: 0x505a,
  CR2: 0x505b,
  NCR2: 0x505c,
  FPR: 0x505d,
  NFPR: 0x505e,
  IAPSR: 0x505f,
  PUKR: 0x5062,
  DUKR: 0x5064,
  CLK_CKDIVR: 0x50c6,
  WAIT: null,
};

/** STM8L/STM8AL/STM8L101/STM8TL: FLASH block at 0x5050, no complement register; CLK_CKDIVR 0x50C0. */
const STM8L_REGS: FlashRegisters = {
  style: 'stm8l',
  CR1: 0x5050,
  CR2: 0x5051,
  NCR2: null,
  FPR: null,
  NFPR: null,
  IAPSR: 0x5054,
  PUKR: 0x5052,
  DUKR: 0x5053,
  CLK_CKDIVR: 0x50c0,
  WAIT: null,
};

/**
 * @param flashWait FLASH_WAIT address where the part has one (GX: STLUX/STNRG 0x5067, STWBC 0x5071).
 */
export function flashRegisters(style: FlashRegsStyle, flashWait: number | null = null): FlashRegisters {
  return { ...(style === 'stm8s' ? STM8S_REGS : STM8L_REGS), WAIT: flashWait };
}
