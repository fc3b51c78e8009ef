/**
 * A rule-based check of a recorded USB trace against what the reference tools do on real
 * probes. The engine's tests run it on every job against the virtual probe, and the hardware
 * suite runs it on the trace of a real ST-LINK, so a rule broken on either is seen without
 * trusting the simulator's own bookkeeping. Each rule names the reference function it
 * comes from.
 */
import type { FlashRegisters, Part } from '#shared/catalogue/types';
import { hexDigits } from '#shared/hex';
import { CMD, SWIM, SWIM_STATUS, WRITEMEM_INLINE } from './constants';

/** One transfer as a trace records it: direction, length and (at least the first 16) bytes. */
export interface TraceExchange {
  op: string;
  length: number;
  bytes: Uint8Array;
  t?: number;
}

export type TraceRuleId = 'swim-command-while-busy' | 'readbuf-before-ok' | 'block-write-before-eop' | 'program-before-ckdivr';

export const TRACE_RULES: Record<TraceRuleId, string> = {
  'swim-command-while-busy':
    'No SWIM command but READSTATUS until READSTATUS reports the last asynchronous one done (OO `stlink_cmd_allow_retry` / `stlink_swim_status`, stm8flash `swim_cmd_internal`).',
  'readbuf-before-ok': 'READBUF only after READSTATUS reported its READMEM done (OO `stlink_swim_readbytes`, stm8flash `stlink2_swim_read_range`).',
  'block-write-before-eop':
    'After a write into flash, EEPROM or option bytes, FLASH_IAPSR.EOP is read set before the next FLASH_CR2/NCR2 or memory write (OO `stm8_write_flash`, stm8flash `stlink2_swim_write_range`).',
  'program-before-ckdivr': 'CLK_CKDIVR is written 0x00 after each SWIM entry or reset before flash, EEPROM or option programming (stm8flash `stlink2_swim_write_range`).',
};

export interface TraceBreach {
  rule: TraceRuleId;
  /** Index of the offending transfer in the trace. */
  index: number;
  command: string;
  detail: string;
}

const ASYNC_SWIM = new Set<number>([SWIM.ENTER_SEQ, SWIM.GEN_RST, SWIM.RESET, SWIM.ASSERT_RESET, SWIM.DEASSERT_RESET, SWIM.SPEED, SWIM.WRITEMEM, SWIM.READMEM]);

/** Commands whose reply the next IN transfer carries. */
type Awaiting = { kind: 'status' } | { kind: 'readbuf'; address: number; length: number } | { kind: 'other' } | null;

function name(op: number): string {
  const e = Object.entries(SWIM).find(([, v]) => v === op);
  return e ? e[0] : `0x${hexDigits(op, 2)}`;
}

/** Is `address` in program memory, data EEPROM or the option bytes of `part`? */
function isNvm(part: Part, address: number): boolean {
  if (address >= part.option.start && address < part.option.start + part.option.size) return true;
  return part.regions.some((r) => (r.kind === 'flash' || r.kind === 'eeprom') && address >= r.start && address < r.start + r.size);
}

function touchesModeRegister(regs: FlashRegisters, address: number, length: number): boolean {
  const hit = (a: number) => a >= address && a < address + length;
  return hit(regs.CR2) || (regs.NCR2 !== null && hit(regs.NCR2));
}

/** Check a trace (oldest first) for `part`; returns every breach found, empty when clean. */
export function checkTrace(trace: readonly TraceExchange[], part: Part): TraceBreach[] {
  const out: TraceBreach[] = [];
  const regs = part.flashRegs;
  let busy: string | null = null;
  let lastAsync: { op: number; address: number; length: number; done: boolean } | null = null;
  let awaiting: Awaiting = null;
  let dataOutPending = 0;
  let cycleOpen: string | null = null;
  let clockSet = false;
  const breach = (rule: TraceRuleId, index: number, command: string, detail: string) => out.push({ rule, index, command, detail });

  trace.forEach((x, i) => {
    const b = x.bytes;
    if (x.op === 'in') {
      const a = awaiting;
      awaiting = null;
      if (!a || b.length === 0) return;
      if (a.kind === 'status') {
        if (b[0] !== SWIM_STATUS.BUSY) {
          busy = null;
          if (lastAsync) lastAsync.done = b[0] === SWIM_STATUS.OK;
        }
      } else if (a.kind === 'readbuf' && cycleOpen && regs.IAPSR >= a.address && regs.IAPSR < a.address + a.length) {
        const off = regs.IAPSR - a.address;
        if (off < b.length && b[off] & 0x04) cycleOpen = null;
      }
      return;
    }
    if (x.op !== 'out') return;
    if (dataOutPending > 0) {
      dataOutPending = 0;
      return;
    }
    if (b.length < 2) return;
    if (b[0] !== CMD.SWIM) {
      awaiting = { kind: 'other' };
      return;
    }
    const op = b[1];
    const cmd = `SWIM ${name(op)}`;
    if (op === SWIM.READSTATUS) {
      awaiting = { kind: 'status' };
      return;
    }
    if (busy !== null) breach('swim-command-while-busy', i, cmd, `sent while "${busy}" had not been reported done`);
    const length = b.length >= 4 ? (b[2] << 8) | b[3] : 0;
    const address = b.length >= 8 ? ((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) >>> 0 : 0;
    if (op === SWIM.READBUF) {
      if (!lastAsync || lastAsync.op !== SWIM.READMEM || !lastAsync.done) {
        breach('readbuf-before-ok', i, cmd, lastAsync?.op === SWIM.READMEM ? `READMEM 0x${hexDigits(lastAsync.address, 4)} not reported OK` : 'no READMEM before it');
        awaiting = { kind: 'other' };
      } else {
        awaiting = { kind: 'readbuf', address: lastAsync.address, length: lastAsync.length };
      }
      if (lastAsync) lastAsync.done = false;
      return;
    }
    awaiting = op === SWIM.READBUFSIZE || op === SWIM.READ_CAP ? { kind: 'other' } : null;
    if (!ASYNC_SWIM.has(op)) {
      if (op === SWIM.ENTER || op === SWIM.EXIT) clockSet = false;
      return;
    }
    const what = op === SWIM.WRITEMEM || op === SWIM.READMEM ? `${cmd} ${length} @0x${hexDigits(address, 4)}` : cmd;
    busy = what;
    lastAsync = { op, address, length, done: false };
    if (op === SWIM.ENTER_SEQ || op === SWIM.GEN_RST || op === SWIM.ASSERT_RESET) {
      clockSet = false;
      cycleOpen = null;
    }
    if (op !== SWIM.WRITEMEM) return;
    if (length > WRITEMEM_INLINE) dataOutPending = length - WRITEMEM_INLINE;
    if (address === regs.CLK_CKDIVR && length === 1 && b[8] === 0x00) clockSet = true;
    const mode = touchesModeRegister(regs, address, length);
    const nvm = isNvm(part, address);
    if ((mode || nvm) && cycleOpen) breach('block-write-before-eop', i, what, `the cycle started by "${cycleOpen}" was not seen ending (EOP)`);
    if (nvm) {
      if (!clockSet) breach('program-before-ckdivr', i, what, 'CLK_CKDIVR was not set to 0x00 since the last entry or reset');
      cycleOpen = what;
    }
  });
  return out;
}
