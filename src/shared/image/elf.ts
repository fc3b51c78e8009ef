/**
 * ELF32 executables for STM8, as SDCC's linker writes them with --out-fmt-elf (SDCC
 * sdas/linksrc/lkelf.c elfGenerate: ELFCLASS32, ELFDATA2MSB for STM8, ET_EXEC,
 * e_machine EM_STM8 = 186, one PT_LOAD per area with p_paddr = p_vaddr, program headers
 * after the data) and as the GNU stm8-binutils port links them (elf32-stm8, also
 * big-endian). The byte order is read from EI_DATA, so little-endian files load too.
 *
 * What gets programmed: PT_LOAD segments, p_filesz bytes at p_paddr (the load address).
 * p_memsz beyond p_filesz is .bss, zeroed by the start-up code in RAM, never programmed.
 * ELF layout facts: System V ABI "ELF header" and "Program header" chapters.
 */
import { AppError } from '../errors';
import { MAX_ADDRESS, formatAddress, formatRange } from './address';
import { badFile } from './file-error';
import { DataBudget } from './parse-steps';
import { MemoryImage, type Segment } from './memory-image';

/** e_machine of STM8 (System V ABI machine list; SDCC lkelf.c EM_STM8). */
export const EM_STM8 = 186;

const ELF_HEADER_SIZE = 52; // Elf32_Ehdr
const PROGRAM_HEADER_SIZE = 32; // Elf32_Phdr
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const ET_REL = 1;
const ET_EXEC = 2;
const PT_LOAD = 1;
const PF_X = 1;
const PF_R = 4;

/** Names for machines people are likely to hand us by mistake (System V ABI e_machine list). */
const MACHINE_NAMES: Record<number, string> = {
  0: 'no machine',
  2: 'SPARC',
  3: 'x86',
  8: 'MIPS',
  20: 'PowerPC',
  40: 'ARM',
  53: '68HC12',
  62: 'x86-64',
  70: '68HC11',
  71: '68HC08',
  83: 'AVR',
  94: 'Xtensa',
  105: 'MSP430',
  183: 'AArch64',
  220: 'Z80',
  243: 'RISC-V',
};

const NOT_STM8_REMEDY = 'Choose the file built for the STM8 (SDCC -mstm8, or PlatformIO\'s firmware.elf for an STM8 board).';

/** Loads the PT_LOAD segments of an STM8 ELF32 executable. Errors name the file and the byte offset. */
export function parseElf(fileName: string, bytes: Uint8Array, maxDataBytes = Infinity): MemoryImage {
  const budget = new DataBudget(fileName, maxDataBytes);
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw badFile(fileName, { offset: 0 }, 'not-elf', 'not an ELF file (it does not start with 0x7F "ELF")');
  }
  if (bytes.length < ELF_HEADER_SIZE) {
    throw badFile(fileName, { offset: bytes.length }, 'truncated', `truncated: the file ends after ${bytes.length} bytes, inside the ${ELF_HEADER_SIZE}-byte ELF header`);
  }
  const elfClass = bytes[4];
  if (elfClass !== ELFCLASS32) {
    const what = elfClass === ELFCLASS64 ? 'a 64-bit ELF (ELFCLASS64)' : `an ELF of unknown class ${elfClass}`;
    throw badFile(fileName, { offset: 4 }, 'elf-class', `${what}; STM8 executables are 32-bit ELF`, NOT_STM8_REMEDY);
  }
  const encoding = bytes[5];
  if (encoding !== ELFDATA2LSB && encoding !== ELFDATA2MSB) {
    throw badFile(fileName, { offset: 5 }, 'elf-class', `unknown ELF byte order ${encoding} (1 = little-endian, 2 = big-endian)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = encoding === ELFDATA2LSB;
  const half = (at: number): number => view.getUint16(at, little);
  const word = (at: number): number => view.getUint32(at, little);

  const type = half(16);
  if (type !== ET_EXEC) {
    const what = type === ET_REL ? 'a relocatable object file, not a linked executable' : `ELF type ${type}, not an executable (ET_EXEC)`;
    throw badFile(fileName, { offset: 16 }, 'elf-type', what, 'Program the linked firmware (.elf/.ihx), not an object file.');
  }
  const machine = half(18);
  if (machine !== EM_STM8) {
    const name = MACHINE_NAMES[machine] ?? 'another processor';
    throw badFile(fileName, { offset: 18 }, 'wrong-machine', `an ELF for ${name} (machine ${machine}), not for STM8 (machine ${EM_STM8})`, NOT_STM8_REMEDY);
  }
  const phoff = word(28);
  const phentsize = half(42);
  const phnum = half(44);
  if (phnum === 0) {
    throw badFile(fileName, { offset: 44 }, 'no-data', 'the ELF has no program headers, so nothing to load');
  }
  if (phentsize < PROGRAM_HEADER_SIZE) {
    throw badFile(fileName, { offset: 42 }, 'bad-record', `program headers of ${phentsize} bytes; ELF32 needs ${PROGRAM_HEADER_SIZE}`);
  }

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + PROGRAM_HEADER_SIZE > bytes.length) {
      throw badFile(fileName, { offset: Math.min(at, bytes.length) }, 'truncated', `truncated: program header ${i} of ${phnum} lies past the end of the file (${bytes.length} bytes)`);
    }
    if (word(at) !== PT_LOAD) continue;
    const offset = word(at + 4);
    const paddr = word(at + 12);
    const filesz = word(at + 16);
    if (filesz === 0) continue; // .bss-only segment: nothing stored, nothing to program
    if (offset + filesz > bytes.length) {
      throw badFile(
        fileName,
        { offset: bytes.length },
        'truncated',
        `truncated: segment ${i} (${filesz} bytes for ${formatAddress(paddr)}) needs file bytes 0x${offset.toString(16).toUpperCase()}–0x${(offset + filesz - 1).toString(16).toUpperCase()}, the file ends at 0x${bytes.length.toString(16).toUpperCase()}`,
      );
    }
    if (paddr + filesz - 1 > MAX_ADDRESS) {
      throw badFile(
        fileName,
        { offset: at + 12 },
        'beyond-24-bit',
        `segment ${i} loads at ${formatRange({ start: paddr, end: paddr + filesz - 1 })}, beyond the 24-bit STM8 address space (highest address ${formatAddress(MAX_ADDRESS)})`,
        NOT_STM8_REMEDY,
      );
    }
    budget.spend(filesz, `program header ${i}`);
    segments.push({ address: paddr, data: bytes.subarray(offset, offset + filesz), index: i, headerAt: at });
  }
  if (segments.length === 0) {
    throw badFile(fileName, { offset: phoff }, 'no-data', 'the ELF has no loadable data (no PT_LOAD segment with file bytes)');
  }
  checkSegmentOverlaps(fileName, segments);
  return MemoryImage.fromSegments(fileName, segments);
}

interface ElfSegment extends Segment {
  /** Program header number, and where that header is in the file (for errors). */
  readonly index: number;
  readonly headerAt: number;
}

/**
 * Refuses two PT_LOAD segments that load the same address, naming both program headers,
 * as the HEX and S-record readers refuse overlapping records: a linker never writes them,
 * and guessing which one wins would program the wrong byte. Sorting first keeps this
 * O(n log n) even for 65,535 headers.
 */
function checkSegmentOverlaps(fileName: string, segments: readonly ElfSegment[]): void {
  const sorted = [...segments].sort((a, b) => a.address - b.address || a.index - b.index);
  let reach: ElfSegment | undefined; // the segment reaching furthest so far
  for (const s of sorted) {
    const reachEnd = reach ? reach.address + reach.data.length : -1;
    if (reach && s.address < reachEnd) {
      const [first, second] = reach.index < s.index ? [reach, s] : [s, reach];
      throw badFile(
        fileName,
        { offset: second.headerAt },
        'overlap',
        `segment ${second.index} (${formatRange(rangeOf(second))}) overlaps segment ${first.index} (${formatRange(rangeOf(first))})`,
        'Each address may be loaded once. Relink the firmware; a linker never writes overlapping segments.',
      );
    }
    if (!reach || s.address + s.data.length > reachEnd) reach = s;
  }
}

function rangeOf(s: Segment): { start: number; end: number } {
  return { start: s.address, end: s.address + s.data.length - 1 };
}

export interface ElfWriteOptions {
  /** e_entry (default 0, as SDCC writes for STM8). */
  entry?: number;
  /** Byte order (default big-endian, as SDCC and stm8-binutils write for STM8). */
  littleEndian?: boolean;
}

/**
 * Writes an image as a minimal STM8 ELF32 executable: header, one PT_LOAD per contiguous
 * segment (p_paddr = p_vaddr = address, p_filesz = p_memsz), then the data. No section
 * headers: programmers and debuggers load by program header.
 */
export function writeElf(image: MemoryImage, options: ElfWriteOptions = {}): Uint8Array {
  const segs = image.segments;
  if (segs.length === 0) {
    // An ELF without a loadable segment is unreadable by every loader, ours included.
    throw new AppError('empty-image', 'Nothing to save: the image holds no data', 'Read the chip or load a file first.');
  }
  if (segs.length > 0xfffe) throw new AppError('invalid-argument', `Too many segments (${segs.length}) for one ELF file`);
  const little = options.littleEndian ?? false;
  const dataStart = ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE * segs.length;
  const total = dataStart + image.byteCount;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const half = (at: number, v: number): void => view.setUint16(at, v, little);
  const word = (at: number, v: number): void => view.setUint32(at, v, little);

  out.set([0x7f, 0x45, 0x4c, 0x46, ELFCLASS32, little ? ELFDATA2LSB : ELFDATA2MSB, 1], 0); // EV_CURRENT
  half(16, ET_EXEC);
  half(18, EM_STM8);
  word(20, 1); // e_version
  word(24, options.entry ?? 0);
  word(28, ELF_HEADER_SIZE); // e_phoff: program headers right after the ELF header
  word(32, 0); // e_shoff: no section headers
  word(36, 0); // e_flags
  half(40, ELF_HEADER_SIZE);
  half(42, PROGRAM_HEADER_SIZE);
  half(44, segs.length);
  half(46, 0); // e_shentsize
  half(48, 0); // e_shnum
  half(50, 0); // e_shstrndx

  let dataAt = dataStart;
  segs.forEach((s, i) => {
    const ph = ELF_HEADER_SIZE + i * PROGRAM_HEADER_SIZE;
    word(ph, PT_LOAD);
    word(ph + 4, dataAt);
    word(ph + 8, s.address); // p_vaddr
    word(ph + 12, s.address); // p_paddr
    word(ph + 16, s.data.length);
    word(ph + 20, s.data.length);
    word(ph + 24, PF_R | PF_X);
    word(ph + 28, 1); // p_align
    out.set(s.data, dataAt);
    dataAt += s.data.length;
  });
  return out;
}
