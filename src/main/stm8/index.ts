/** Layer 3, the STM8 target over SWIM: public surface. */
export { Stm8Session, isLinkError } from './session';
export type { SwimConnectOptions, ConnectReport, CpuRegisters, ChipSignature } from './session';
export { FlashController } from './flash';
export type { BlockMode, FlashArea, FlashStats } from './flash';
export * as stm8Registers from './registers';
