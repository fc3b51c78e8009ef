/**
 * Protocol violations: things a host did that no reference tool does and that a real
 * ST-LINK/STM8 is not known to survive (OpenOCD `stlink_cmd_allow_retry` polls READSTATUS
 * after every asynchronous SWIM command; stm8flash `swim_cmd_internal` does too; both read
 * the flash controller's EOP before the next block). The virtual probe plays the worst
 * plausible outcome (CHOICES.md) and records each one here, so that tests can assert that
 * an engine commits none.
 */

export type ViolationRule =
  /** A SWIM command (other than READSTATUS) arrived before a READSTATUS reported the previous asynchronous one done: the command is lost. */
  | 'command-while-busy'
  /** READBUF arrived before a READSTATUS reported its READMEM done: the reply is junk. */
  | 'readbuf-before-done'
  /** CR2/NCR2 or a flash/EEPROM/option byte written while a program cycle ran: the block being programmed is left undefined. */
  | 'write-during-program-cycle';

export interface ProtocolViolation {
  /** Probe clock time (ms) at which the offending command reached the probe or the chip. */
  at: number;
  rule: ViolationRule;
  /** The command, by its ST-LINK name (e.g. "WRITEMEM 0x505b+1", "READBUF", "READMEM 0x8000+64"). */
  command: string;
  /** Why it is a violation, in words (which operation was still running, until when). */
  reason: string;
}

/** One line for logs: "protocol violation at 12.345 ms: command-while-busy: ASSERT_RESET (ENTER_SEQ still running …)". */
export function formatViolation(v: ProtocolViolation): string {
  return `protocol violation at ${v.at.toFixed(3)} ms: ${v.rule}: ${v.command} (${v.reason})`;
}

/** Most violations kept; older ones are dropped (the count keeps counting). */
export const VIOLATION_DEPTH = 1000;

export class ViolationLog {
  private readonly list: ProtocolViolation[] = [];
  private total = 0;
  /** Name of the SWIM command the probe is executing (set by the firmware; writes that spoil a cycle are reported under it). */
  currentCommand = '';

  constructor(private readonly onAdd?: (v: ProtocolViolation) => void) {}

  add(v: ProtocolViolation): void {
    this.onAdd?.(v);
    this.total++;
    this.list.push(v);
    if (this.list.length > VIOLATION_DEPTH) this.list.shift();
  }

  entries(): ProtocolViolation[] {
    return this.list.map((v) => ({ ...v }));
  }

  /** All violations since the last clear, including those dropped from the list. */
  count(): number {
    return this.total;
  }

  clear(): void {
    this.list.length = 0;
    this.total = 0;
  }
}
