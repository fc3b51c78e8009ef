/**
 * Firmware files for the app: parse a file and split it over the part's memories, serialise
 * the page's tabs into .hex/.s19/.bin (src/shared/image does the formats).
 */
import type { Part } from '#shared/catalogue/types';
import type { AddressRange, ImageFormat, LoadedFile, MemoryArea, AreaSegment } from '#shared/ipc';
import { MemoryImage } from '#shared/image/memory-image';
import { readImagePausing, writeImage } from '#shared/image/format';
import { mapImageToPart } from '#shared/image/part-map';

/**
 * Parses a file and splits it over the part. The parse pauses every few hundred KB for a
 * turn of the event loop, so the main process keeps answering (window, bridge, jobs) while
 * it reads a large or hostile file.
 */
export async function loadImage(name: string, bytes: Uint8Array, part: Part): Promise<Omit<LoadedFile, 'path'>> {
  const { image, format } = await readImagePausing(name, bytes, {}, () => new Promise((r) => setImmediate(r)));
  const map = mapImageToPart(image, part);
  const segments: AreaSegment[] = [];
  const areas: [MemoryArea, MemoryImage][] = [
    ['flash', map.flash],
    ['eeprom', map.eeprom],
    ['option', map.option],
    ['ram', map.ram],
  ];
  for (const [region, img] of areas) {
    for (const s of img.segments) segments.push({ region, address: s.address, data: s.data });
  }
  // The boot ROM cannot be programmed: bytes there are reported with the outside ones.
  const outside: AddressRange[] = [...map.outside, ...map.bootRom.ranges].sort((a, b) => a.start - b.start);
  return { name, format, segments, outside, totalBytes: image.byteCount, part: part.name };
}

export function serialiseSegments(segments: AreaSegment[], format: Exclude<ImageFormat, 'elf'>, name: string, fill: number | undefined): Uint8Array {
  const image = MemoryImage.fromSegments(name, segments.map((s) => ({ address: s.address, data: s.data })));
  // A .bin is one contiguous run: gaps between tabs are filled with the STM8's erased value.
  const options = format === 'bin' ? { fill: fill ?? 0x00 } : { header: name };
  return writeImage(image, format, options);
}
