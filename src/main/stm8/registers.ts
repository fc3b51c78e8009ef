/**
 * STM8 addresses and bits the SWIM engine touches, with their sources (tags of
 * docs/spec/stm8-target.md and docs/spec/stlink-swim.md). Flash-controller addresses
 * per family come from the catalogue (Part.flashRegs); only the bits are here.
 */

/** SWIM_CSR (docs/spec/stlink-swim.md §5.1, OO-stm8 #defines). */
export const SWIM_CSR = 0x7f80;
export const CSR = {
  SAFE_MASK: 0x80,
  NO_ACCESS: 0x40,
  SWIM_DM: 0x20,
  HS: 0x10,
  OSCOFF: 0x08,
  SWIM_RST: 0x04,
  HSIT: 0x02,
  PRI: 0x01,
} as const;

/**
 * Value written during entry with NRST low: SAFE_MASK|SWIM_DM|PRI = 0xA1 (SF `stlink2_open`:
 * masks internal reset sources, opens the whole memory, gives SWIM priority).
 */
export const CSR_ENTRY = CSR.SAFE_MASK | CSR.SWIM_DM | CSR.PRI;

/** Debug module (OO-stm8, GX). */
export const DM_CSR1 = 0x7f98;
export const DM_CSR2 = 0x7f99;
export const DM_CSR2_BITS = {
  SWBRK: 0x20,
  SWBKF: 0x10,
  STALL: 0x08,
  FLUSH: 0x01,
} as const;

/** CPU registers, 11 bytes from 0x7F00 (OO-stm8): A, PC(3, BE), X, Y, SP, CC. */
export const CPU_REGS = 0x7f00;
export const CPU_REGS_LEN = 11;

/** FLASH_CR2 mode bits (OO, GX, SPL-S). */
export const CR2 = {
  OPT: 0x80,
  WPRG: 0x40,
  ERASE: 0x20,
  FPRG: 0x10,
  PRG: 0x01,
} as const;

/** FLASH_IAPSR bits (OO, GX, SPL-S). Reading IAPSR clears EOP and WR_PG_DIS (SPL-S). */
export const IAPSR = {
  HVOFF: 0x40,
  DUL: 0x08,
  EOP: 0x04,
  PUL: 0x02,
  WR_PG_DIS: 0x01,
} as const;

/** Unlock keys: PUKR ← 0x56, 0xAE; DUKR ← 0xAE, 0x56 (OO `stm8_unlock_flash`/`_eeprom`, SF, SPL). */
export const PUKR_KEYS = [0x56, 0xae] as const;
export const DUKR_KEYS = [0xae, 0x56] as const;

/**
 * Program-cycle times (docs/spec/stm8-target.md §2.4; SF waits 6 ms / 3 ms; "6 ms typ, 6.6 ms max";
 * GFT "fast block programming and erase each ~3 ms"). The engine first polls EOP when the
 * typical time is over, then a little later, bounded by EOP_EXTRA_MS.
 */
export const T_PROG_MS = {
  standard: 6,
  fast: 3,
  erase: 3,
  option: 6,
} as const;

/**
 * Datasheet maximum of a program cycle relative to its typical time: STM8S datasheets give
 * t_prog 6 ms typical, 6.6 ms maximum (e.g. DS6120 for the STM8S103); STM8L datasheets give
 * typical values only, so the same factor is assumed there and EOP_EXTRA_MS covers the rest.
 */
export const T_PROG_MAX_FACTOR = 1.1;

/** How long past the maximum t_prog the engine keeps polling EOP before calling it a failure (SF: 5 × 10 ms). */
export const EOP_EXTRA_MS = 50;

/** SWIM_CSR.HSIT wait after reset release: SF reads up to 11 times, 500 µs apart. */
export const HSIT_POLLS = 11;
export const HSIT_POLL_INTERVAL_MS = 0.5;

/** SF sleeps 1 ms after DEASSERT_RESET and after GEN_RST. */
export const AFTER_RESET_MS = 1;
