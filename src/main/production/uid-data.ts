/** Per-chip data derived from the chip's 12-byte unique ID (recipe key "uidData"). */
import { createHash } from 'node:crypto';
import type { UidDerivation } from './recipe-schema';

export interface UidDataRule {
  address: number;
  derive: UidDerivation;
  length?: number;
  key?: string;
}

/** CRC-32 (IEEE 802.3, reflected, as zlib's crc32). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** How many bytes a rule writes. */
export function uidDataSize(rule: Pick<UidDataRule, 'derive' | 'length'>): number {
  if (rule.derive === 'uid') return 12;
  if (rule.derive === 'crc32le') return 4;
  return rule.length ?? 16;
}

export function deriveUidData(rule: UidDataRule, uid: Uint8Array): Uint8Array {
  switch (rule.derive) {
    case 'uid':
      return uid.slice();
    case 'crc32le': {
      const c = crc32(uid);
      return Uint8Array.of(c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24);
    }
    case 'sha256':
      return new Uint8Array(
        createHash('sha256')
          .update(rule.key ?? '')
          .update(uid)
          .digest()
          .subarray(0, uidDataSize(rule)),
      );
  }
}
