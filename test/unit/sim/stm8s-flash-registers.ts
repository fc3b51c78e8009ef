/**
 * STM8S flash registers and IAPSR bits (docs/spec/stm8-target.md §2.1), written out from the
 * datasheet for the simulator tests: the simulator takes its own from the catalogue, so the
 * tests must not.
 */
export const CR2 = 0x505b;
export const NCR2 = 0x505c;
export const IAPSR = 0x505f;
export const PUKR = 0x5062;
export const DUKR = 0x5064;

// IAPSR bits.
export const WR_PG_DIS = 0x01;
export const PUL = 0x02;
export const EOP = 0x04;
export const DUL = 0x08;
export const HVOFF = 0x40;
