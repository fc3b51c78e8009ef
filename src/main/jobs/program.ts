/**
 * Programming flash and EEPROM from an image (stm8flash's rules, made fast):
 * - block aligned; partial blocks merged with what the chip holds;
 * - blocks that already hold the data are skipped (the comparison is their verification);
 * - fast block mode (FPRG, 3 ms) where the chip block reads all 0x00, block erase where the
 *   new content is all 0x00, standard mode (PRG, erase + write, 6 ms) elsewhere;
 * - the CPU was stalled once at connect, not per block;
 * - EOP is polled when t_prog should be over;
 * - the ~3–6 ms the chip spends programming each block is used for USB work that does not
 *   touch that block: reading blocks ahead (to decide skip/mode) and verifying blocks behind.
 *   On real silicon a read during a program cycle at worst waits for the cycle to end, so
 *   this stays correct; it is only faster where the bus is free.
 * Everything written is read back and compared (verify after write) unless asked not to.
 */
import { AppError } from '../../shared/errors';
import { isLinkError, type Stm8Session } from '../stm8/session';
import { swimWireMs } from '../stlink/swim-timing';
import { NO_POWER_VOLTAGE } from '../stlink/constants';
import { JobContext, guarded } from './context';
import { mergeBlock, planImage, sameBytes, type BlockPlan, type ImagePlan } from './plan';
import { hex, isAllZero } from './ranges';
import type { ImageLike, Mismatch, ProgramOptions, ProgramReport, RegionProgramSummary } from './types';

type Mode = 'fast' | 'standard' | 'erase';

interface Slot {
  plan: BlockPlan;
  chip: Uint8Array | null;
  final: Uint8Array | null;
  state: 'unread' | 'read' | 'skipped' | 'written' | 'verified';
  mode?: Mode;
}

/** How far ahead of the block being written the pipeline pre-reads. */
const LOOKAHEAD_BLOCKS = 16;
/** First foreground pre-read, in blocks; grows to a whole READMEM while blocks are unchanged. */
const FIRST_READ_BLOCKS = 16;
/** Largest background read, in blocks (one program cycle is 3–6 ms). */
const MAX_BG_BLOCKS = 4;

/** Report mismatches as the first differing addresses. */
export function mismatchError(mismatches: Mismatch[], total: number): AppError {
  const first = mismatches
    .slice(0, 8)
    .map((m) => `${hex(m.address)} (expected ${hex(m.expected, 2)}, read ${hex(m.actual, 2)})`)
    .join(', ');
  return new AppError(
    'verify-failed',
    `Verification failed: ${total} byte(s) differ; first at ${first}.`,
    'Program again. If the same addresses keep failing the chip may be protected (ROP/UBC) or worn out; if everything from some address on reads 0x00, check the part (a smaller chip than the one chosen).',
    { mismatches: mismatches.slice(0, 64), count: total },
  );
}

export function compare(start: number, expected: Uint8Array, actual: Uint8Array, out: Mismatch[], mask: Uint8Array | null = null): number {
  let n = 0;
  for (let i = 0; i < expected.length; i++) {
    if (mask && !mask[i]) continue;
    if (expected[i] !== actual[i]) {
      n++;
      if (out.length < 64) out.push({ address: start + i, expected: expected[i], actual: actual[i] });
    }
  }
  return n;
}

/**
 * A SWIM failure in the middle of a block: either the target lost power (the probe then
 * measures ≈ 0 V; that block is left undefined) or, most often, the chip is not the part
 * chosen (another block size makes the controller take longer than one block cycle, a
 * smaller chip has no memory there). Say which, keeping the code where it stays true.
 */
async function explainBlockFailure(e: unknown, s: Stm8Session, address: number): Promise<unknown> {
  if (!(e instanceof AppError)) return e;
  if (!isLinkError(e.code) && e.code !== 'flash-timeout') return e;
  const v = await s.probe.targetVoltage().catch(() => ({ volts: null }));
  if (v.volts !== null && v.volts < NO_POWER_VOLTAGE) {
    return new AppError(
      'target-power-lost',
      `The target lost power while the block at ${hex(address)} was being programmed (the probe now measures ${v.volts.toFixed(2)} V); that block's content is undefined.`,
      'Restore the supply and program again: the engine rewrites whatever is not right.',
      { ...(e.details ?? {}), address, cause: e.code },
    );
  }
  return new AppError(
    e.code,
    `${e.message} This happened while programming the block at ${hex(address)}.`,
    `Check that the part is right: ${s.part.name} has ${s.part.blockSize}-byte blocks and flash ${hex(s.part.flash.start)}–${hex(s.part.flash.end)}; a different chip on the board fails this way. ${e.remedy ?? ''}`.trim(),
    e.details,
  );
}

class Programmer {
  readonly slots: Slot[];
  private nextUnread = 0;
  private readonly verifyQueue: number[] = [];
  private fgBlocks = FIRST_READ_BLOCKS;
  private readonly unlocked = new Set<'flash' | 'eeprom'>();
  private lastBg: 'pre' | 'verify' | null = null;
  counts = { written: 0, skipped: 0, fast: 0, standard: 0, erased: 0, bytesWritten: 0, bytesPreRead: 0, bytesVerified: 0 };

  constructor(
    private readonly s: Stm8Session,
    private readonly ctx: JobContext,
    plan: ImagePlan,
    private readonly verify: boolean,
    private readonly skipUnchanged: boolean,
  ) {
    this.slots = plan.blocks.map((p) => ({ plan: p, chip: null, final: null, state: 'unread' }));
  }

  private get bs(): number {
    return this.s.part.blockSize;
  }

  /** Blocks from `from` on that are unread and address-contiguous, at most `max`. */
  private runFrom(from: number, max: number): number {
    let n = 0;
    while (from + n < this.slots.length && n < max && this.slots[from + n].state === 'unread') {
      if (n > 0 && this.slots[from + n].plan.address !== this.slots[from + n - 1].plan.address + this.bs) break;
      n++;
    }
    return n;
  }

  private async preRead(from: number, n: number, checked: boolean): Promise<void> {
    const addr = this.slots[from].plan.address;
    const data = await this.s.probe.swimReadMemChunk(addr, n * this.bs, checked);
    this.counts.bytesPreRead += n * this.bs;
    for (let k = 0; k < n; k++) {
      const sl = this.slots[from + k];
      sl.chip = data.subarray(k * this.bs, (k + 1) * this.bs);
      sl.state = 'read';
    }
    this.nextUnread = Math.max(this.nextUnread, from + n);
  }

  /**
   * Pre-read in the foreground (nothing is programming). The first read takes the remainder
   * of the contiguous run modulo a full READMEM, so that if everything is unchanged the rest
   * goes in full 6144-byte reads (the re-flash case is bound by read time).
   */
  private async foregroundRead(i: number): Promise<void> {
    const maxBlocks = Math.max(1, Math.floor(this.s.probe.readBufSize / this.bs));
    const run = this.runFrom(i, Number.MAX_SAFE_INTEGER);
    let take: number;
    if (this.fgBlocks >= maxBlocks) take = Math.min(run, maxBlocks);
    else if (this.counts.written === 0 && this.counts.skipped === 0) {
      const rem = run % maxBlocks;
      take = Math.min(run, rem > 0 ? rem : this.fgBlocks);
    } else take = Math.min(run, this.fgBlocks);
    await this.preRead(i, take, true);
  }

  private decide(sl: Slot): void {
    const chip = sl.chip as Uint8Array;
    const final = mergeBlock(sl.plan, chip);
    sl.final = final;
    if (this.skipUnchanged && sameBytes(final, chip)) {
      sl.state = 'skipped';
      return;
    }
    if (isAllZero(final)) sl.mode = 'erase';
    else sl.mode = isAllZero(chip) ? 'fast' : 'standard';
  }

  async run(): Promise<void> {
    const n = this.slots.length;
    for (let i = 0; i < n; i++) {
      this.ctx.checkAbort();
      const sl = this.slots[i];
      if (sl.state === 'unread') await this.foregroundRead(i);
      this.decide(sl);
      if (sl.state === 'skipped') {
        this.counts.skipped++;
        // A run of unchanged blocks: read bigger chunks (the re-flash case is read-bound).
        this.fgBlocks = Math.max(this.fgBlocks, Math.floor(this.s.probe.readBufSize / this.bs));
        this.ctx.progress('program', i + 1, n, sl.plan.address, 'blocks');
        continue;
      }
      this.fgBlocks = 2;
      await this.ensureUnlocked(sl.plan.region);
      try {
        await this.writeOne(i, sl);
      } catch (e) {
        throw await explainBlockFailure(e, this.s, sl.plan.address);
      }
      if (this.verify) this.verifyQueue.push(i);
      this.ctx.progress('program', i + 1, n, sl.plan.address, 'blocks');
    }
    if (this.verify) await this.verifyRest();
  }

  /** One block: mode + data, background reads during its cycle, then the EOP poll. */
  private async writeOne(i: number, sl: Slot): Promise<void> {
    const flash = this.s.flash;
    const final = sl.final as Uint8Array;
    const due =
      sl.mode === 'erase' ? await flash.startErase(sl.plan.address, false) : await flash.startBlock(sl.plan.address, final, sl.mode === 'fast' ? 'fast' : 'standard', false);
    sl.state = 'written';
    this.counts.written++;
    this.counts.bytesWritten += sl.mode === 'erase' ? 4 : this.bs;
    if (sl.mode === 'fast') this.counts.fast++;
    else if (sl.mode === 'standard') this.counts.standard++;
    else this.counts.erased++;
    await this.background(due, i);
    await flash.waitEop(due, `block at ${hex(sl.plan.address)}`, this.s.probe.fullSpeedUsb);
  }

  private async ensureUnlocked(region: 'flash' | 'eeprom'): Promise<void> {
    if (this.unlocked.has(region)) return;
    await this.s.flash.unlock(region);
    this.unlocked.add(region);
  }

  /**
   * Use the program cycle of block `cur` (ending at `due`) for reads of other blocks: keep at
   * least two blocks pre-read ahead, and verify written blocks behind. An operation is started
   * only when it should end by `due` plus a little (one command round trip).
   */
  private async background(due: number, cur: number): Promise<void> {
    const p = this.s.probe;
    // An operation may end a little after the cycle (one command round trip): a short
    // overrun costs less than leaving the slot unused.
    const allowance = 2 * p.usbCostMs;
    // Bulk IN cost per byte: full speed ≈ 0.8 µs, high speed ≈ 0.025 µs (simulator.md §4,
    // from USB 2.0 bulk throughput).
    const perByteIn = p.fullSpeedUsb ? 0.0008 : 0.000025;
    for (;;) {
      const arrival = Math.max(this.s.clock.now() + p.usbCostMs, p.swimIdleTime + p.usbCostMs - p.sendLeadMs);
      const finish = (bytes: number, checked: boolean) => arrival + swimWireMs(bytes, p.swimSpeed) + (checked ? 4 : 2) * p.usbCostMs + bytes * perByteIn;
      const ahead = this.nextUnread - cur - 1;
      const preStart = this.nextUnread;
      const canPre = preStart < this.slots.length && ahead < LOOKAHEAD_BLOCKS && this.slots[preStart].state === 'unread';
      const vRun = this.verifyRunLength(MAX_BG_BLOCKS);
      let kind: 'pre' | 'verify' | null = null;
      if (canPre && ahead < 2 && !(this.lastBg === 'pre' && vRun > 0 && ahead >= 1)) kind = 'pre';
      else if (vRun > 0) kind = 'verify';
      else if (canPre) kind = 'pre';
      if (!kind) return;
      const maxN = kind === 'pre' ? this.runFrom(preStart, MAX_BG_BLOCKS) : vRun;
      // Pre-reads decide skip/fast, so they are status-checked; verify reads are re-read
      // checked on a mismatch, so on full-speed probes they skip the status round trip.
      const checked = kind === 'pre' || !p.fullSpeedUsb;
      let take = 0;
      for (let k = maxN; k >= 1; k--) {
        if (finish(k * this.bs, checked) <= due + allowance) {
          take = k;
          break;
        }
      }
      if (take === 0) return;
      if (kind === 'pre') await this.preRead(preStart, take, true);
      else await this.verifyFront(take, checked);
      this.lastBg = kind;
    }
  }

  /** Length of the address-contiguous run at the front of the verify queue. */
  private verifyRunLength(max: number): number {
    const q = this.verifyQueue;
    let n = 0;
    while (n < q.length && n < max) {
      if (n > 0 && this.slots[q[n]].plan.address !== this.slots[q[n - 1]].plan.address + this.bs) break;
      n++;
    }
    return n;
  }

  private async verifyFront(n: number, checked: boolean): Promise<void> {
    const idx = this.verifyQueue.splice(0, n);
    const addr = this.slots[idx[0]].plan.address;
    let data = await this.s.probe.swimReadMemChunk(addr, n * this.bs, checked);
    if (!this.matches(idx, data) && !checked) data = await this.s.probe.swimReadMemChunk(addr, n * this.bs, true);
    this.counts.bytesVerified += n * this.bs;
    this.check(idx, data);
  }

  private matches(idx: number[], data: Uint8Array): boolean {
    return idx.every((k, j) => sameBytes(this.slots[k].final as Uint8Array, data.subarray(j * this.bs, (j + 1) * this.bs)));
  }

  private check(idx: number[], data: Uint8Array): void {
    const mism: Mismatch[] = [];
    let total = 0;
    idx.forEach((k, j) => {
      const sl = this.slots[k];
      total += compare(sl.plan.address, sl.final as Uint8Array, data.subarray(j * this.bs, (j + 1) * this.bs), mism);
      sl.state = 'verified';
    });
    if (total > 0) throw mismatchError(mism, total);
  }

  /** Verify what the background did not: big checked reads. */
  private async verifyRest(): Promise<void> {
    const total = this.verifyQueue.length;
    const maxBlocks = Math.max(1, Math.floor(this.s.probe.readBufSize / this.bs));
    let done = 0;
    while (this.verifyQueue.length > 0) {
      this.ctx.checkAbort();
      const n = this.verifyRunLength(maxBlocks);
      const idx = this.verifyQueue.splice(0, n);
      const addr = this.slots[idx[0]].plan.address;
      const data = await this.s.probe.swimReadMemChunk(addr, n * this.bs, true);
      this.counts.bytesVerified += n * this.bs;
      this.check(idx, data);
      done += n;
      this.ctx.progress('verify', done, total, addr, 'blocks');
    }
  }
}

/**
 * Program an image into flash, EEPROM and RAM. Throws before touching the chip for data
 * outside the part ('address-out-of-range', 'image-has-option-bytes'). WR_PG_DIS →
 * 'write-protected'; a difference after writing → 'verify-failed' (details.mismatches);
 * abort → 'cancelled'. On any failure the flash is locked and the target reset.
 */
export async function programImage(session: Stm8Session, image: ImageLike, opts: ProgramOptions = {}): Promise<ProgramReport> {
  const ctx = new JobContext(session, opts);
  const plan = planImage(session.part, image);
  const verify = opts.verify !== false;
  const prog = new Programmer(session, ctx, plan, verify, opts.skipUnchanged !== false);
  let ramVerified = 0;
  await guarded(ctx, async () => {
    ctx.checkAbort();
    if (plan.blocks.length > 0) {
      await prog.run();
      if (prog.counts.written > 0) await session.flash.lock();
    }
    for (const w of plan.ram) {
      ctx.checkAbort();
      await session.writeMemory(w.address, w.data);
      if (verify) {
        const back = await session.readMemory(w.address, w.data.length);
        const mism: Mismatch[] = [];
        const n = compare(w.address, w.data, back, mism);
        if (n > 0) throw mismatchError(mism, n);
        ramVerified += w.data.length;
      }
      ctx.progress('ram', w.data.length, w.data.length, w.address);
    }
  });
  const c = prog.counts;
  const regions: RegionProgramSummary[] = [];
  for (const [region, bytes] of plan.byRegion) {
    const sl = prog.slots.filter((x) => x.plan.region === region);
    regions.push({
      region,
      imageBytes: bytes,
      blocksTouched: sl.length,
      blocksWritten: sl.filter((x) => x.state === 'written' || x.state === 'verified').length,
      blocksSkipped: sl.filter((x) => x.state === 'skipped').length,
    });
  }
  const ramBytes = plan.ram.reduce((a, w) => a + w.data.length, 0);
  return {
    regions,
    blocksTotal: prog.slots.length,
    blocksWritten: c.written,
    blocksSkipped: c.skipped,
    blocksFast: c.fast,
    blocksStandard: c.standard,
    blocksErased: c.erased,
    imageBytes: plan.imageBytes,
    bytesWritten: c.bytesWritten + ramBytes,
    bytesPreRead: c.bytesPreRead,
    bytesVerified: c.bytesVerified + ramVerified,
    ramBytesWritten: ramBytes,
    verified: verify,
    durationMs: ctx.elapsedMs,
    transfers: ctx.transfers,
  };
}
