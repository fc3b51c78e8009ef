/**
 * Checking user ranges against the part's memory map before anything touches the chip.
 * Bad input is refused here with an AppError saying what would be valid.
 */
import { AppError } from '#shared/errors';
import { regionAt, regionOf } from '#shared/catalogue/regions';
import type { MemoryRegion, Part, RegionKind } from '#shared/catalogue/types';
import { hex } from '#shared/hex';
import type { MemoryRequest } from './types';

export function describeMap(part: Part): string {
  return part.regions.map((r) => `${r.kind} ${hex(r.start)}–${hex(r.end)}`).join(', ');
}

/** Register blocks that may be read (peripherals 0x5000–0x57FF, CPU/SWIM/DM 0x7F00–0x7FFF; docs/spec/stm8-target.md §1.1). */
const REGISTER_SPACES: readonly { start: number; end: number }[] = [
  { start: 0x5000, end: 0x57ff },
  { start: 0x7f00, end: 0x7fff },
];

/** The part's region of that kind, or AppError 'no-such-region' naming the regions it has. */
export function requireRegion(part: Part, kind: RegionKind): MemoryRegion {
  const r = regionOf(part, kind);
  if (!r) {
    const hint = kind === 'eeprom' && part.dataInFlash ? ` (${part.name} keeps its data area inside program flash)` : '';
    throw new AppError('no-such-region', `${part.name} has no ${kind} region${hint}.`, `Regions of ${part.name}: ${describeMap(part)}.`, { part: part.name, kind });
  }
  return r;
}

/** Resolve a request to a concrete range; every byte must lie in a region (or register space for reads). */
export function resolveRange(part: Part, req: MemoryRequest, opts: { allowRegisters?: boolean } = {}): { start: number; length: number; region: RegionKind | null } {
  if ('region' in req) {
    const r = requireRegion(part, req.region);
    return { start: r.start, length: r.size, region: r.kind };
  }
  const { start, length } = req;
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length <= 0 || start + length - 1 > 0xffffff) {
    throw new AppError('bad-range', `Not a valid address range: start ${start}, length ${length}.`, 'Give a start address ≥ 0 and a length ≥ 1 within 24-bit space.');
  }
  const end = start + length - 1;
  const first = regionAt(part, start);
  if (first && end <= first.end) return { start, length, region: first.kind };
  // Several adjacent regions, or registers.
  for (let a = start; a <= end; ) {
    const r = regionAt(part, a);
    if (r) {
      a = r.end + 1;
      continue;
    }
    const sp = opts.allowRegisters ? REGISTER_SPACES.find((s) => a >= s.start && a <= s.end) : undefined;
    if (sp) {
      a = sp.end + 1;
      continue;
    }
    throw new AppError(
      'outside-memory',
      `Address ${hex(a)} is outside the memory of ${part.name}.`,
      `Memory of ${part.name}: ${describeMap(part)}.`,
      { part: part.name, address: a, start, length },
    );
  }
  return { start, length, region: null };
}

/** Does [start, start+len) touch flash or EEPROM (what ROP hides)? */
export function touchesProtected(part: Part, start: number, length: number): boolean {
  const end = start + length - 1;
  return part.regions.some((r) => (r.kind === 'flash' || r.kind === 'eeprom') && r.start <= end && r.end >= start);
}
