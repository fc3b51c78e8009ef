/** A ring buffer of the last USB exchanges with the virtual probe, for diagnostics evidence and debugging. */

export interface TraceEntry {
  /** Probe clock time (ms) when the transfer completed. */
  t: number;
  dir: 'out' | 'in' | 'reset' | 'open' | 'close';
  endpoint: number;
  /** Bytes moved (OUT: sent; IN: received), at most the first 64. */
  data: number[];
  /** Total length moved (data may be cut). */
  length: number;
  /** TransportError code when the transfer failed. */
  error?: string;
  /** What the firmware made of it when that is unusual (a refused or dropped command). */
  note?: string;
}

export const TRACE_DEPTH = 512;
const TRACE_BYTES = 64;

export class Trace {
  private readonly buf: TraceEntry[] = [];
  add(t: number, dir: TraceEntry['dir'], endpoint: number, bytes: Uint8Array | null, error?: string, note?: string): void {
    const e: TraceEntry = {
      t,
      dir,
      endpoint,
      data: bytes ? Array.from(bytes.subarray(0, TRACE_BYTES)) : [],
      length: bytes ? bytes.length : 0,
    };
    if (error) e.error = error;
    if (note) e.note = note;
    this.buf.push(e);
    if (this.buf.length > TRACE_DEPTH) this.buf.shift();
  }
  entries(): TraceEntry[] {
    return this.buf.map((e) => ({ ...e, data: [...e.data] }));
  }
}
