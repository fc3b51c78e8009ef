/**
 * A layer-1 wrapper that records every exchange with the probe, including the opening and
 * the replies of a probe the engine then refuses (no SWIM, DFU): the engine's own trace is
 * gone once it closes such a probe, but a forum report needs exactly those bytes.
 * It changes nothing on the way through (same clock, same errors).
 */
import type { Clock } from '../clock';
import type { UsbDeviceInfo, UsbTransport } from '../usb/transport';
import { CMD, SWIM } from '../stlink/constants';
import { hexBytes } from '../stlink/trace';
import { hexDigits } from '#shared/hex';
import type { TraceLine } from './types';

const KEEP_BYTES = 20;

const SWIM_NAMES: Record<number, string> = Object.fromEntries(Object.entries(SWIM).map(([k, v]) => [v, k]));

/**
 * Names of the generic commands by their first byte. The engine sends DFU and DEBUG only to
 * leave those modes (docs/spec/stlink-swim.md §2), so they are named as the exits.
 */
const GENERIC_NAMES: Record<number, string> = {
  [CMD.GET_VERSION]: 'GET_VERSION',
  [CMD.GET_VERSION_EX]: 'GET_VERSION_EX',
  [CMD.GET_CURRENT_MODE]: 'GET_CURRENT_MODE',
  [CMD.GET_TARGET_VOLTAGE]: 'GET_TARGET_VOLTAGE',
  [CMD.DFU]: 'DFU_EXIT',
  [CMD.DEBUG]: 'DEBUG_EXIT',
};

/** The ST-LINK command a 16-byte OUT block carries, by name (docs/spec/stlink-swim.md §2, §3). */
function decodeCommand(block: Uint8Array): string | undefined {
  if (block.length !== 16) return undefined;
  if (block[0] !== CMD.SWIM) return GENERIC_NAMES[block[0]];
  const name = SWIM_NAMES[block[1]] ?? `0x${hexDigits(block[1], 2)}`;
  if (block[1] === SWIM.READMEM || block[1] === SWIM.WRITEMEM) {
    const len = (block[2] << 8) | block[3];
    const addr = (block[5] << 16) | (block[6] << 8) | block[7];
    return `SWIM ${name} ${len} @0x${hexDigits(addr, 4)}`;
  }
  if (block[1] === SWIM.SPEED) return `SWIM SPEED ${block[2] ? 'high' : 'low'}`;
  return `SWIM ${name}`;
}

export class TracingTransport implements UsbTransport {
  readonly info: UsbDeviceInfo;
  readonly clock?: Clock;
  private readonly lines: TraceLine[] = [];
  private dropped = 0;
  /** Set once open and claimInterface both succeeded. */
  opened = false;
  claimed = false;

  constructor(
    private readonly inner: UsbTransport,
    private readonly capacity = 400,
    private readonly fallbackClock?: Clock,
  ) {
    this.info = inner.info;
    if (inner.clock) this.clock = inner.clock;
  }

  private now(): number {
    return (this.clock ?? this.fallbackClock)?.now() ?? 0;
  }

  private add(line: TraceLine): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) {
      const drop = this.lines.length - this.capacity;
      this.lines.splice(0, drop);
      this.dropped += drop;
    }
  }

  private async record<T>(base: Omit<TraceLine, 't'>, run: () => Promise<T>, after?: (r: T, line: TraceLine) => void): Promise<T> {
    try {
      const r = await run();
      const line: TraceLine = { t: round(this.now()), ...base };
      after?.(r, line);
      this.add(line);
      return r;
    } catch (e) {
      this.add({ t: round(this.now()), ...base, error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  }

  async open(): Promise<void> {
    await this.record({ op: 'open', endpoint: 0, length: 0, hex: '' }, () => this.inner.open());
    this.opened = true;
  }

  async claimInterface(n: number): Promise<void> {
    await this.record({ op: 'claim', endpoint: n, length: 0, hex: '' }, () => this.inner.claimInterface(n));
    this.claimed = true;
  }

  transferOut(endpoint: number, data: Uint8Array, timeoutMs?: number): Promise<number> {
    const decoded = decodeCommand(data);
    return this.record({ op: 'out', endpoint, length: data.length, hex: hexBytes(data, KEEP_BYTES), ...(decoded ? { decoded } : {}) }, () =>
      this.inner.transferOut(endpoint, data, timeoutMs),
    );
  }

  transferIn(endpoint: number, length: number, timeoutMs?: number): Promise<Uint8Array> {
    return this.record(
      { op: 'in', endpoint, length, hex: '' },
      () => this.inner.transferIn(endpoint, length, timeoutMs),
      (r, line) => {
        line.hex = hexBytes(r, KEEP_BYTES);
        line.length = r.length;
      },
    );
  }

  reset(): Promise<void> {
    return this.record({ op: 'reset', endpoint: 0, length: 0, hex: '' }, () => this.inner.reset());
  }

  async clearHalt(endpoint: number): Promise<void> {
    await this.record({ op: 'clear-halt', endpoint, length: 0, hex: '' }, async () => this.inner.clearHalt?.(endpoint));
  }

  close(): Promise<void> {
    return this.record({ op: 'close', endpoint: 0, length: 0, hex: '' }, () => this.inner.close());
  }

  /** Exchanges recorded so far (including those dropped from the ring). */
  get count(): number {
    return this.dropped + this.lines.length;
  }

  /** The last `n` exchanges, oldest first; with `upTo`, the last `n` of the first `upTo` recorded. */
  tail(n: number, upTo?: number): TraceLine[] {
    const end = upTo === undefined ? this.lines.length : Math.max(0, Math.min(this.lines.length, upTo - this.dropped));
    return this.lines.slice(Math.max(0, end - n), end);
  }

  /** Replies (IN data) received so far, oldest first, for decoding version answers after a refused open. */
  replies(): TraceLine[] {
    return this.lines.filter((l) => l.op === 'in' && !l.error);
  }

  /** Every exchange, oldest first. */
  all(): TraceLine[] {
    return this.lines.slice();
  }
}

function round(t: number): number {
  return Math.round(t * 1000) / 1000;
}

/** Parse the hex of a trace line back into bytes (only the kept bytes). */
export function traceBytes(line: TraceLine): Uint8Array {
  const parts = line.hex.split(' ').filter((p) => /^[0-9A-F]{2}$/.test(p));
  return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
}
