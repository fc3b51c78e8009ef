/**
 * Where a job's time goes, from its USB trace: every interval between two transfers is
 * charged to the SWIM command being carried out at its end (its status polls and READBUF
 * included), grouped by role. The wait before an EOP read is the program cycle itself, so
 * "eop" holds t_prog plus the round trips that read IAPSR.
 */
import type { TraceLine } from '../src/main/diagnostics/types';
import type { Part } from '#shared/catalogue/types';

export type Phase = 'mode-write' | 'data-write' | 'eop' | 'read' | 'other';

const ADDR = /@0x([0-9A-F]+)/;

function phaseOf(decoded: string, part: Part): Phase | null {
  if (decoded.includes('READSTATUS') || decoded.includes('READBUF')) return null;
  const m = ADDR.exec(decoded);
  const addr = m ? Number.parseInt(m[1], 16) : -1;
  const r = part.flashRegs;
  if (decoded.includes('WRITEMEM')) {
    if (addr === r.CR2 || addr === r.NCR2) return 'mode-write';
    return addr >= 0x8000 || (addr >= 0x4000 && addr < 0x5000) ? 'data-write' : 'other';
  }
  if (decoded.includes('READMEM')) return addr === r.IAPSR ? 'eop' : addr >= 0x4000 && addr !== r.IAPSR && (addr < 0x5000 || addr >= 0x8000) ? 'read' : 'other';
  return 'other';
}

/** Milliseconds per phase over `lines` (oldest first). */
export function phaseBreakdown(lines: readonly TraceLine[], part: Part): Record<Phase, number> {
  const out: Record<Phase, number> = { 'mode-write': 0, 'data-write': 0, eop: 0, read: 0, other: 0 };
  let current: Phase = 'other';
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.op === 'out' && l.decoded) current = phaseOf(l.decoded, part) ?? current;
    out[current] += l.t - lines[i - 1].t;
  }
  return out;
}

export function formatPhases(p: Record<Phase, number>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${v.toFixed(1)}`)
    .join(' ');
}
