/**
 * The STM8 part catalogue: every part of stm8-devices.json with memory map, flash registers,
 * ROP rules and option bytes down to bit fields, plus lookup and option-byte helpers.
 * Pure TypeScript (no Node, no DOM): used by the simulator, engine, CLI and renderer alike.
 */
export type * from './types';
export { allParts } from './parts';
export { findPart, tryFindPart, partNames, closestPartNames, matchesPattern } from './lookup';
export { isRopActive, ropInfo, ROP_ADDRESS } from './rop';
export {
  decodeOptionBytes,
  encodeOptionBytes,
  applyFieldChanges,
  factoryOptionImage,
  fillComplements,
  complementMismatches,
  dangerousChanges,
  findOptionField,
  fieldValue,
  fieldMeaning,
  partFieldMeaning,
} from './decode';
export { ubcProtectedBytes } from './ubc';
export type { OptionImage, ReadonlyOptionImage, ComplementMismatch, DangerousChange } from './decode';
export { regionAt, regionOf } from './regions';
