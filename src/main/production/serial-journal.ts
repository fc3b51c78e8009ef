/**
 * The serial-number journal: a number is reserved (and fsync'd) BEFORE it is written to a
 * chip, and settled after the board is logged. A number once reserved is never issued to
 * another chip, whatever happened — so a crash, a power cut or a failed board can waste a
 * number but never give two boards the same one. On start, reservations without an outcome
 * are settled: from the board log when the board was logged just before the crash, else as
 * "orphaned" (the chip with that UID may carry the number; it gets it back if it returns).
 */
import { AppError } from '#shared/errors';
import { DurableLines } from './durable-file';
import { lockJournal } from './journal-lock';
import type { SerialValue } from './serial-encoding';
import type { SerialPlan } from './recipe';

export type JournalEntry =
  | { t: 'reserve'; index: number; serial: SerialValue; uid: string; station: string; time: string }
  | { t: 'settle'; index: number; serial: SerialValue; outcome: 'pass' | 'fail'; code: string | null; time: string }
  | { t: 'orphan'; index: number; serial: SerialValue; uid: string; reason: string; time: string };

export interface Reservation {
  index: number;
  serial: SerialValue;
  /** True when this chip had the number already (repeated UID); nothing new was reserved. */
  repeated: boolean;
}

/** What the board log says about a serial (to settle reservations a crash left open). */
export type LoggedOutcome = (serial: SerialValue) => { result: 'pass' | 'fail'; code: string | null } | undefined;

/** The index the next reservation takes, given a journal's records. */
export function nextSerialIndex(records: readonly JournalEntry[]): number {
  return records.reduce((n, e) => (e.t === 'reserve' ? Math.max(n, e.index + 1) : n), 0);
}

/** The serial number of the n-th reservation; undefined past the end of a list. */
export function serialAt(plan: SerialPlan, index: number): SerialValue | undefined {
  const s = plan.source;
  if (s.kind === 'list') return index < s.values.length ? s.values[index] : undefined;
  return s.start + index * s.step;
}

export class SerialJournal {
  private readonly file: DurableLines;
  private readonly unlock: () => void;
  private next = 0;
  private readonly open = new Map<number, Extract<JournalEntry, { t: 'reserve' }>>();
  private readonly byUid = new Map<string, { index: number; serial: SerialValue; passed: boolean }>();
  /** Reservations a restart found without an outcome, as settled then. */
  readonly recovered: JournalEntry[] = [];

  constructor(
    path: string,
    private readonly plan: SerialPlan,
    logged: LoggedOutcome,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.file = new DurableLines(path);
    this.unlock = lockJournal(path);
    try {
      this.load(logged);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private load(logged: LoggedOutcome): void {
    const { records } = this.file.read<JournalEntry>();
    for (const e of records) this.replay(e);
    for (const r of [...this.open.values()]) {
      const seen = logged(r.serial);
      const entry: JournalEntry = seen
        ? { t: 'settle', index: r.index, serial: r.serial, outcome: seen.result, code: seen.code, time: this.now() }
        : { t: 'orphan', index: r.index, serial: r.serial, uid: r.uid, reason: 'reserved, then the run ended before the board was logged; this number is never issued to another chip', time: this.now() };
      this.file.append(entry);
      this.replay(entry);
      this.recovered.push(entry);
    }
  }

  private replay(e: JournalEntry): void {
    if (e.t === 'reserve') {
      this.open.set(e.index, e);
      this.next = Math.max(this.next, nextSerialIndex([e]));
      if (!this.byUid.has(e.uid)) this.byUid.set(e.uid, { index: e.index, serial: e.serial, passed: false });
      return;
    }
    const r = this.open.get(e.index);
    this.open.delete(e.index);
    if (e.t === 'settle' && e.outcome === 'pass' && r) {
      const u = this.byUid.get(r.uid);
      if (u && u.index === e.index) u.passed = true;
    }
  }

  /** The serial for the n-th reservation. */
  valueAt(index: number): SerialValue {
    const v = serialAt(this.plan, index);
    if (v === undefined) {
      throw new AppError('serials-exhausted', `All serial numbers of the list are used.`, 'Add numbers to the list file (and update its sha256 in the recipe).');
    }
    return v;
  }

  /** The chip with this UID had a serial before (and whether that board passed). */
  previous(uid: string): { index: number; serial: SerialValue; passed: boolean } | undefined {
    return this.byUid.get(uid);
  }

  /**
   * Reserve the serial for the chip `uid` (its old one when it had one) and make it durable
   * before returning. Synchronous: parallel stations can never take the same number.
   */
  reserve(uid: string, station: string): Reservation {
    const old = this.byUid.get(uid);
    if (old) return { index: old.index, serial: old.serial, repeated: true };
    const index = this.next;
    const serial = this.valueAt(index);
    const entry: JournalEntry = { t: 'reserve', index, serial, uid, station, time: this.now() };
    this.file.append(entry);
    this.replay(entry);
    return { index, serial, repeated: false };
  }

  /** Record what became of a reservation (after the board's log record is durable). */
  settle(r: Reservation, outcome: 'pass' | 'fail', code: string | null): void {
    const entry: JournalEntry = { t: 'settle', index: r.index, serial: r.serial, outcome, code, time: this.now() };
    this.file.append(entry);
    this.replay(entry);
    if (outcome === 'pass') {
      for (const u of this.byUid.values()) if (u.index === r.index) u.passed = true;
    }
  }

  /** Numbers reserved so far (including any wasted by failures or crashes). */
  get reservedCount(): number {
    return this.next;
  }

  close(): void {
    this.file.close();
    this.unlock();
  }
}
