/**
 * Layer 4, jobs: what users ask for. Most faces need only connectTarget → TargetConnection;
 * the single functions take an Stm8Session for callers that manage sessions themselves.
 */
export { connectTarget, TargetConnection } from './target-connection';
export type { ConnectTargetOptions } from './target-connection';
export { programImage } from './program';
export { verifyImage } from './verify';
export { readMemory, readRopActive } from './read';
export { eraseMemory, blankCheck } from './erase';
export { writeRam } from './ram';
export { readOptionBytes, writeOptionBytes, targetOptionImage } from './option-bytes';
export { unlockChip } from './unlock';
export { requireRegion } from './ranges';
export type * from './types';
