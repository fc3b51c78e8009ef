/**
 * Firmware images and their file formats: a sparse MemoryImage, readers and writers for
 * Intel HEX, S-records, raw binary and ELF, format detection, and the split of an image by
 * the memories of a part. Pure TypeScript: no Node, no DOM (file access: src/main/files).
 */
export { MAX_ADDRESS, formatAddress, formatByte, formatRange, rangeLength, rangesOverlap, subtractRanges } from './address';
export type { AddressRange } from './address';
export { MemoryImage } from './memory-image';
export type { MemoryImageData, Segment, SourcedRange } from './memory-image';
export { badFile } from './file-error';
export type { BadFileReason, FilePlace } from './file-error';
export { parseIntelHex, writeIntelHex } from './intel-hex';
export type { IntelHexWriteOptions } from './intel-hex';
export { parseSrec, writeSrec } from './srec';
export type { SrecWriteOptions } from './srec';
export { DEFAULT_BINARY_BASE, parseBinary, writeBinary } from './binary';
export type { BinaryWriteOptions } from './binary';
export { EM_STM8, parseElf, writeElf } from './elf';
export type { ElfWriteOptions } from './elf';
export {
  FORMAT_EXTENSIONS,
  FORMAT_NAMES,
  IMAGE_FORMATS,
  detectFormat,
  formatFromFileName,
  parseFormatName,
  readImage,
  readImagePausing,
  sniffFormat,
  writeImage,
} from './format';
export type { ImageFormat, ReadImageOptions, WriteImageOptions } from './format';
export { describeMemoryMap, mapImageToPart, mapImageToPartStrict } from './part-map';
export type { PartImageMap } from './part-map';
export { checkPlacement } from './placement';
