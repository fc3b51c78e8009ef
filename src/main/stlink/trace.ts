/**
 * A ring buffer of the last USB exchanges with the probe, so diagnostics (and bug reports)
 * can show exactly what went over the wire before a failure. Cheap enough to stay on.
 */
import { hexDigits } from '#shared/hex';

export interface TraceEntry {
  /** Clock time in ms when the transfer finished. */
  t: number;
  dir: 'out' | 'in' | 'reset';
  endpoint: number;
  /** Bytes requested (IN) or sent (OUT). */
  length: number;
  /** First bytes as hex ("F4 0A 00 80 …"), at most TRACE_BYTES of them. */
  hex: string;
  /** Set when the transfer failed. */
  error?: string;
}

/** How many bytes of each transfer are kept. */
export const TRACE_BYTES = 24;

/** The first `max` bytes as hex pairs ("F4 0A 00 80"), with " …" when there are more. */
export function hexBytes(data: Uint8Array, max = TRACE_BYTES): string {
  const n = Math.min(max, data.length);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(hexDigits(data[i], 2));
  return parts.join(' ') + (data.length > n ? ' …' : '');
}

export class TraceBuffer {
  private readonly entries: TraceEntry[] = [];
  private next = 0;
  constructor(readonly capacity = 256) {}

  add(e: TraceEntry): void {
    if (this.capacity <= 0) return;
    if (this.entries.length < this.capacity) this.entries.push(e);
    else this.entries[this.next] = e;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  list(): TraceEntry[] {
    if (this.entries.length < this.capacity) return this.entries.slice();
    return [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
  }

  clear(): void {
    this.entries.length = 0;
    this.next = 0;
  }
}
