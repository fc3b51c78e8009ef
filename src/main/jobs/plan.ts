/**
 * Turning an image into work: which flash/EEPROM blocks it touches (with a mask of the bytes
 * it defines, so partial blocks are merged with what the chip holds) and which RAM bytes it
 * writes. Everything is checked against the part before the chip is touched.
 */
import type { MemoryRegion, Part, RegionKind } from '#shared/catalogue/types';
import { regionAt } from '#shared/catalogue/regions';
import { checkPlacement } from '#shared/image/placement';
import type { ImageLike } from './types';

export interface BlockPlan {
  address: number;
  region: 'flash' | 'eeprom';
  /** The image's bytes in this block (0 where the image has none). */
  want: Uint8Array;
  /** 1 where the image defines the byte; null when it defines all of them. */
  mask: Uint8Array | null;
  /** Bytes of the image in this block. */
  imageBytes: number;
}

export interface RamWrite {
  address: number;
  data: Uint8Array;
}

export interface ImagePlan {
  blocks: BlockPlan[];
  ram: RamWrite[];
  imageBytes: number;
  byRegion: Map<RegionKind, number>;
}

/** Split the image over the part's regions; refuse anything outside flash, EEPROM and RAM. */
export function planImage(part: Part, image: ImageLike): ImagePlan {
  checkPlacement(part, image.segments, ['flash', 'eeprom', 'ram']);
  const bs = part.blockSize;
  const blocks = new Map<number, BlockPlan>();
  const ram: RamWrite[] = [];
  const byRegion = new Map<RegionKind, number>();
  let imageBytes = 0;
  for (const seg of image.segments) {
    let off = 0;
    while (off < seg.data.length) {
      const addr = seg.address + off;
      const r = regionAt(part, addr) as MemoryRegion; // checked above
      const n = Math.min(seg.data.length - off, r.end - addr + 1);
      byRegion.set(r.kind, (byRegion.get(r.kind) ?? 0) + n);
      imageBytes += n;
      if (r.kind === 'ram') {
        ram.push({ address: addr, data: seg.data.subarray(off, off + n) });
      } else {
        for (let i = 0; i < n; i++) {
          const a = addr + i;
          const b = a - (a % bs);
          let bp = blocks.get(b);
          if (!bp) {
            bp = { address: b, region: r.kind as 'flash' | 'eeprom', want: new Uint8Array(bs), mask: new Uint8Array(bs), imageBytes: 0 };
            blocks.set(b, bp);
          }
          bp.want[a - b] = seg.data[off + i];
          if (bp.mask) bp.mask[a - b] = 1;
          bp.imageBytes++;
        }
      }
      off += n;
    }
  }
  const list = [...blocks.values()].sort((x, y) => x.address - y.address);
  for (const b of list) if (b.imageBytes === bs) b.mask = null;
  return { blocks: list, ram, imageBytes, byRegion };
}

/** The block as it should end up: the chip's bytes where the image has none. */
export function mergeBlock(b: BlockPlan, chip: Uint8Array): Uint8Array {
  if (!b.mask) return b.want;
  const out = chip.slice();
  for (let i = 0; i < out.length; i++) if (b.mask[i]) out[i] = b.want[i];
  return out;
}
