/**
 * Which chip is it, asked of the chip itself (docs/spec/stm8-target.md §4.4; docs/spec/anchors.md §6 T7): there
 * is no device-id register on STM8, so the family and density are put together from places
 * that differ between parts:
 * - flash-controller position: STM8S has FLASH_NCR2 at 0x505C and FLASH_NFPR at 0x505E, both
 *   reading 0xFF after reset (NFPR = ~FPR); STM8L has its controller at 0x5050..0x5054 and
 *   nothing of the kind there (GX);
 * - option-area pattern: STM8S stores option bytes with complements (00 00 FF 00 FF …),
 *   STM8L does not (GX);
 * - unique ID: 12 bytes at 0x4865 (S103/903), 0x48CD (S105/207/208), 0x4925/0x4926 (L101 /
 *   L15x) or none documented (GX, libstm8);
 * - RAM size: the last byte of each possible RAM size is written with its inverse and read
 *   back (then restored) — the stack pointer's reset value is not reliable across families
 *   (docs/spec/stm8-target.md §4.3), so it is only reported;
 * - boot ROM: 2 KB at 0x6000 on most parts, none on low-density S, L101 and TL5x (GX).
 * The EEPROM base (0x4000 vs 0x1000) follows from the family; an erased EEPROM reads like an
 * unmapped address, so it is not probed on its own.
 *
 * Reading is in `readChipEvidence` (layer 3 reads, CPU stalled); deciding is pure
 * (`identifyChip`), so it can be tested on every catalogue part.
 */
import { allParts } from '#shared/catalogue/index';
import type { Part } from '#shared/catalogue/types';
import { CPU_REGS, CPU_REGS_LEN } from '../stm8/registers';

/** The reads identification needs; Stm8Session provides them. */
export interface ChipReader {
  readMemory(address: number, length: number): Promise<Uint8Array>;
  readByte(address: number): Promise<number>;
  writeByte(address: number, value: number): Promise<void>;
}

/** STM8S FLASH_NCR2, FLASH_FPR, FLASH_NFPR (GX, SPL-S). */
const S_NCR2 = 0x505c;
/** Option window start, same on every family (docs/spec/stm8-target.md §1.1). */
const OPTION_START = 0x4800;
const OPTION_HEAD = 16;
const UID_LEN = 12;
const UID_S_LOW = 0x4865;
const UID_S_HIGH = 0x48cd;
/** STM8L101/TL5x 0x4925, STM8L15x 0x4926: read 13 bytes from 0x4925 to see both. */
const UID_L = 0x4925;
const BOOT_ROM = 0x6000;

export type UidPlace = 'stm8s-low' | 'stm8s-high' | 'stm8l' | 'none';

export interface ChipEvidence {
  /** FLASH_NCR2/FPR/NFPR as read at 0x505C..0x505E. */
  ncr2: number;
  fpr: number;
  nfpr: number;
  /** Which flash controller answered. */
  regsStyle: 'stm8s' | 'stm8l';
  /** First 16 bytes of the option area. */
  optionHead: number[];
  /** Complement pairs (1,2) (3,4) … (9,10) that hold exact complements, of 5. */
  complementPairs: number;
  /** Where a non-blank unique ID was found. */
  uidPlace: UidPlace;
  uid: number[] | null;
  /** Largest RAM size whose last byte is writable, null if not even 1 KB tested writable. */
  ramSize: number | null;
  /** The RAM candidates tried, with the result. */
  ramProbe: { address: number; writable: boolean }[];
  bootRom: boolean;
  bootRomHead: number[];
  /** Stack pointer as read (reported only). */
  sp: number | null;
  /** ROP seemed active from the option head (then a missing UID proves nothing). */
  ropSeen: boolean;
}

function blank(bytes: ArrayLike<number>): boolean {
  let zero = true;
  let ff = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x00) zero = false;
    if (bytes[i] !== 0xff) ff = false;
  }
  return zero || ff;
}

/** Every RAM size the catalogue knows, ascending. */
function ramSizes(parts: readonly Part[] = allParts()): number[] {
  return [...new Set(parts.map((p) => p.ram.size))].sort((a, b) => a - b);
}

/** Complement pairs in the option head: bytes 1/2, 3/4 … 9/10 (docs/spec/stm8-target.md §3.1). */
export function countComplementPairs(head: ArrayLike<number>): number {
  let n = 0;
  for (let i = 1; i + 1 < Math.min(head.length, 11); i += 2) if ((head[i] ^ head[i + 1]) === 0xff) n++;
  return n;
}

/**
 * Which flash controller answers, from one read of 0x505C..0x505E: STM8S FLASH_NCR2 reads
 * 0xFF and FLASH_NFPR = ~FLASH_FPR there; STM8L has nothing of the kind (GX, SPL-S).
 */
export async function readFlashControllerStyle(r: ChipReader): Promise<Pick<ChipEvidence, 'ncr2' | 'fpr' | 'nfpr' | 'regsStyle'>> {
  const regs = await r.readMemory(S_NCR2, 3);
  const [ncr2, fpr, nfpr] = regs;
  return { ncr2, fpr, nfpr, regsStyle: ncr2 === 0xff && (fpr ^ nfpr) === 0xff ? 'stm8s' : 'stm8l' };
}

/**
 * Read what identification needs. The CPU must be stalled (a connected Stm8Session is).
 * The RAM probe writes one byte per candidate size and restores it at once.
 */
export async function readChipEvidence(r: ChipReader): Promise<ChipEvidence> {
  const { ncr2, fpr, nfpr, regsStyle } = await readFlashControllerStyle(r);
  const optionHead = Array.from(await r.readMemory(OPTION_START, OPTION_HEAD));
  const complementPairs = countComplementPairs(optionHead);
  // ROP as either family would read it: S protects with 0xAA, L is unprotected only at 0xAA.
  const ropSeen = regsStyle === 'stm8s' ? optionHead[0] === 0xaa : optionHead[0] !== 0xaa;

  const uidLow = await r.readMemory(UID_S_LOW, UID_LEN);
  const uidHigh = await r.readMemory(UID_S_HIGH, UID_LEN);
  const uidL = await r.readMemory(UID_L, UID_LEN + 1);
  let uidPlace: UidPlace = 'none';
  let uid: number[] | null = null;
  if (regsStyle === 'stm8s') {
    if (!blank(uidLow)) [uidPlace, uid] = ['stm8s-low', Array.from(uidLow)];
    else if (!blank(uidHigh)) [uidPlace, uid] = ['stm8s-high', Array.from(uidHigh)];
  } else if (!blank(uidL.subarray(1)) || !blank(uidL.subarray(0, UID_LEN))) {
    uidPlace = 'stm8l';
    uid = Array.from(uidL[0] === 0 ? uidL.subarray(1) : uidL.subarray(0, UID_LEN));
  }

  // RAM: contiguous from 0; stop at the first size whose last byte does not hold a write.
  // STM8L data EEPROM starts at 0x1000, so L candidates stay below it (never touch EEPROM).
  const limit = regsStyle === 'stm8l' ? 0x1000 : 0x4000;
  const ramProbe: { address: number; writable: boolean }[] = [];
  let ramSize: number | null = null;
  for (const size of ramSizes()) {
    const a = size - 1;
    if (a >= limit) break;
    const v = await r.readByte(a);
    await r.writeByte(a, v ^ 0xff);
    const back = await r.readByte(a);
    const writable = back === (v ^ 0xff);
    if (back !== v) await r.writeByte(a, v);
    ramProbe.push({ address: a, writable });
    if (!writable) break;
    ramSize = size;
  }

  const rom = await r.readMemory(BOOT_ROM, 16);
  const cpu = await r.readMemory(CPU_REGS, CPU_REGS_LEN);
  return {
    ncr2,
    fpr,
    nfpr,
    regsStyle,
    optionHead,
    complementPairs,
    uidPlace,
    uid,
    ramSize,
    ramProbe,
    bootRom: !blank(rom),
    bootRomHead: Array.from(rom),
    sp: (cpu[8] << 8) | cpu[9],
    ropSeen,
  };
}

function uidPlaceOf(p: Part): UidPlace {
  switch (p.uidAddress) {
    case UID_S_LOW:
      return 'stm8s-low';
    case UID_S_HIGH:
      return 'stm8s-high';
    case 0x4925:
    case 0x4926:
      return 'stm8l';
    default:
      return 'none';
  }
}

const UID_WORDS: Record<UidPlace, string> = {
  'stm8s-low': 'unique ID at 0x4865',
  'stm8s-high': 'unique ID at 0x48CD',
  stm8l: 'unique ID at 0x4925/0x4926',
  none: 'no unique ID found',
};

function kb(n: number): string {
  return n % 1024 === 0 ? `${n / 1024} KB` : `${(n / 1024).toFixed(1)} KB`;
}

/** How `part` differs from what the chip answered, in words; empty when it fits. */
export function partDifferences(part: Part, e: ChipEvidence): string[] {
  const d: string[] = [];
  if (part.flashRegs.style !== e.regsStyle) {
    d.push(`the flash controller answers at the ${e.regsStyle === 'stm8s' ? 'STM8S' : 'STM8L'} place, ${part.name} has the ${part.flashRegs.style === 'stm8s' ? 'STM8S' : 'STM8L'} one`);
  }
  if (e.ramSize !== null && Math.abs(part.ram.size - e.ramSize) > 1) d.push(`RAM is ${kb(e.ramSize)}, ${part.name} has ${kb(part.ram.size)}`);
  if (part.romBootloader !== e.bootRom) d.push(e.bootRom ? `the chip has a boot ROM, ${part.name} has none` : `the chip has no boot ROM, ${part.name} has one`);
  const want = uidPlaceOf(part);
  // A part without a documented UID may still carry one (STM8S003 is sold as a lower grade
  // of the STM8S103 die, HAD): only a documented UID that is missing or elsewhere counts.
  if (want !== 'none' && want !== e.uidPlace && !(e.uidPlace === 'none' && e.ropSeen)) {
    d.push(`${UID_WORDS[e.uidPlace]}, ${part.name} has it at 0x${(part.uidAddress ?? 0).toString(16).toUpperCase()}`);
  }
  return d;
}

export interface ChipIdentity {
  /** One line for people. */
  description: string;
  /** Every catalogue entry consistent with the evidence. */
  candidates: Part[];
  /** The candidates the evidence fits best (a documented UID found where they have it). */
  best: Part[];
  /** A part the later checks can use: the best group's first entry when they share option layout, flash registers and ROP style. */
  usable: Part | null;
}

/** Decide from the evidence (pure). */
export function identifyChip(e: ChipEvidence, parts: readonly Part[] = allParts()): ChipIdentity {
  const candidates = parts.filter((p) => partDifferences(p, e).length === 0);
  const exact = candidates.filter((p) => uidPlaceOf(p) !== 'none' && uidPlaceOf(p) === e.uidPlace);
  // Largest flash first: the later checks then never read past a smaller sibling's end.
  const best = (exact.length > 0 ? exact : candidates).slice().sort((a, b) => b.flash.size - a.flash.size);
  const first = best[0];
  const usable =
    first && best.every((p) => p.optionLayout === first.optionLayout && p.flashRegs.style === first.flashRegs.style && p.rop.style === first.rop.style)
      ? first
      : null;
  const family = e.regsStyle === 'stm8s' ? 'STM8S-type flash controller (IAPSR at 0x505F)' : 'STM8L-type flash controller (IAPSR at 0x5054)';
  const bits = [
    family,
    `option bytes ${e.complementPairs >= 3 ? 'with' : 'without'} complements (${e.complementPairs}/5 pairs)`,
    UID_WORDS[e.uidPlace],
    e.ramSize === null ? 'RAM size unknown' : `${kb(e.ramSize)} RAM`,
    e.bootRom ? 'boot ROM at 0x6000' : 'no boot ROM',
  ];
  const families = [...new Set(best.map((p) => p.family))];
  const head = families.length > 0 && families.length <= 2 ? `${families.join(' or ')}: ` : '';
  return { description: head + bits.join(', '), candidates, best, usable };
}

/** Is `part` one of the identified candidates? */
export function partFits(part: Part, id: ChipIdentity): boolean {
  return id.candidates.some((c) => c.pattern === part.pattern);
}
