/**
 * Builds ELF32 files for the tests the way SDCC's linker lays them out (header, segment
 * data, then program headers at the end: SDCC lkelf.c elfGenerate), with every field
 * under the test's control so that odd and broken files can be made too.
 */
export interface TestProgramHeader {
  type?: number; // default PT_LOAD
  paddr: number;
  vaddr?: number; // default = paddr
  data: Uint8Array;
  memsz?: number; // default = data length
}

export interface TestElf {
  machine?: number; // default 186 (EM_STM8)
  littleEndian?: boolean; // default big-endian like SDCC for STM8
  elfClass?: number; // default 1 (ELFCLASS32)
  type?: number; // default 2 (ET_EXEC)
  segments: TestProgramHeader[];
}

export function buildElf(spec: TestElf): Uint8Array {
  const le = spec.littleEndian ?? false;
  const dataSize = spec.segments.reduce((n, s) => n + s.data.length, 0);
  const phoff = 52 + dataSize;
  const out = new Uint8Array(phoff + 32 * spec.segments.length);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, spec.elfClass ?? 1, le ? 1 : 2, 1]);
  v.setUint16(16, spec.type ?? 2, le);
  v.setUint16(18, spec.machine ?? 186, le);
  v.setUint32(20, 1, le);
  v.setUint32(28, phoff, le);
  v.setUint16(40, 52, le);
  v.setUint16(42, 32, le);
  v.setUint16(44, spec.segments.length, le);
  let at = 52;
  spec.segments.forEach((s, i) => {
    const ph = phoff + 32 * i;
    v.setUint32(ph, s.type ?? 1, le);
    v.setUint32(ph + 4, at, le);
    v.setUint32(ph + 8, s.vaddr ?? s.paddr, le);
    v.setUint32(ph + 12, s.paddr, le);
    v.setUint32(ph + 16, s.data.length, le);
    v.setUint32(ph + 20, s.memsz ?? s.data.length, le);
    v.setUint32(ph + 24, 5, le);
    v.setUint32(ph + 28, 1, le);
    out.set(s.data, at);
    at += s.data.length;
  });
  return out;
}
