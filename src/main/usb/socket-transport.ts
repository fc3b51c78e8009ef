/**
 * Layer 1 client for a virtual probe served on a Unix stream socket (docs/spec/simulator.md §7), so the
 * engine can reach a virtual probe in another process (`swim-studio sim serve`). All
 * integers little-endian. Hello: u8 version (1), u16 VID, u16 PID, u8 n + serial, u8 m +
 * product. Requests: u8 op ('O' 0x4F bulk OUT, 'I' 0x49 bulk IN, 'R' 0x52 reset), u8 ep,
 * u32 length, [data for 'O']; replies: i32 status (0 or a libusb error), u32 actual, [data for 'I'].
 *
 * The server runs on the real-time clock, so the engine uses a RealClock with this transport.
 * Socket timeouts are I/O bounds of this layer (nothing hangs), not protocol timing.
 */
import net from 'node:net';
import { LIBUSB_STATUS, TransportError, DEFAULT_TRANSFER_TIMEOUT_MS, type UsbDeviceInfo, type UsbTransport } from './transport';

const OP_OUT = 0x4f;
const OP_IN = 0x49;
const OP_RESET = 0x52;

/** Reads exact byte counts from a socket, in arrival order. */
class ByteReader {
  private chunks: Buffer[] = [];
  private have = 0;
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  push(b: Buffer): void {
    this.chunks.push(b);
    this.have += b.length;
    this.pump();
  }

  fail(e: Error): void {
    this.failure = e;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(e);
  }

  read(n: number): Promise<Buffer> {
    if (this.failure && this.have < n) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { n, resolve, reject };
      this.pump();
    });
  }

  private pump(): void {
    const w = this.waiter;
    if (!w || this.have < w.n) return;
    const all = Buffer.concat(this.chunks);
    const out = all.subarray(0, w.n);
    const rest = all.subarray(w.n);
    this.chunks = rest.length ? [Buffer.from(rest)] : [];
    this.have = rest.length;
    this.waiter = null;
    w.resolve(Buffer.from(out));
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new TransportError('timeout', `${what}: no answer from the probe socket in ${ms} ms`)), ms);
    t.unref?.();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

export class SocketTransport implements UsbTransport {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly socket: net.Socket,
    private readonly reader: ByteReader,
    readonly info: UsbDeviceInfo,
  ) {}

  /**
   * Connect and read the hello. Errors: 'no-device' when nothing listens at `path`,
   * 'timeout' when no hello arrives.
   */
  static async connect(path: string, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<SocketTransport> {
    const reader = new ByteReader();
    const socket = net.createConnection(path);
    socket.on('data', (b) => reader.push(b));
    socket.on('error', (e) => reader.fail(new TransportError('no-device', `probe socket ${path}: ${e.message}`)));
    socket.on('close', () => reader.fail(new TransportError('no-device', `probe socket ${path} closed`)));
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('error', (e) => reject(new TransportError('no-device', `cannot connect to the probe socket ${path}: ${e.message}`)));
        }),
        timeoutMs,
        'connect',
      );
      const head = await withTimeout(reader.read(6), timeoutMs, 'hello');
      if (head[0] !== 1) throw new TransportError('io', `probe socket speaks version ${head[0]}, expected 1`);
      const vid = head.readUInt16LE(1);
      const pid = head.readUInt16LE(3);
      const serial = (await withTimeout(reader.read(head[5]), timeoutMs, 'hello')).toString('latin1');
      const m = (await withTimeout(reader.read(1), timeoutMs, 'hello'))[0];
      const product = (await withTimeout(reader.read(m), timeoutMs, 'hello')).toString('latin1');
      return new SocketTransport(socket, reader, { vendorId: vid, productId: pid, serialNumber: serial, productName: product, portPath: `socket:${path}`, kind: 'socket' });
    } catch (e) {
      socket.destroy();
      throw e instanceof TransportError ? e : new TransportError('io', (e as Error).message);
    }
  }

  /** Requests run one at a time, in order (one reply per request). */
  private request(op: number, ep: number, length: number, data: Uint8Array | null, timeoutMs: number): Promise<{ actual: number; data: Buffer }> {
    const run = async () => {
      if (this.closed) throw new TransportError('closed', 'probe socket closed');
      const head = Buffer.alloc(6);
      head[0] = op;
      head[1] = ep;
      head.writeUInt32LE(length, 2);
      this.socket.write(data ? Buffer.concat([head, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]) : head);
      const r = await withTimeout(this.reader.read(8), timeoutMs, 'transfer');
      const status = r.readInt32LE(0);
      const actual = r.readUInt32LE(4);
      const payload = op === OP_IN && status === 0 && actual > 0 ? await withTimeout(this.reader.read(actual), timeoutMs, 'transfer') : Buffer.alloc(0);
      if (status !== 0) throw new TransportError(LIBUSB_STATUS[status] ?? 'io', `probe socket: libusb status ${status}`);
      return { actual, data: payload };
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async open(): Promise<void> {
    if (this.closed) throw new TransportError('closed', 'probe socket closed');
  }

  async claimInterface(): Promise<void> {
    /* the socket has one interface */
  }

  async transferOut(endpoint: number, data: Uint8Array, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<number> {
    return (await this.request(OP_OUT, endpoint, data.length, data, timeoutMs)).actual;
  }

  async transferIn(endpoint: number, length: number, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<Uint8Array> {
    const r = await this.request(OP_IN, endpoint, length, null, timeoutMs);
    return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  }

  async reset(): Promise<void> {
    await this.request(OP_RESET, 0, 0, null, DEFAULT_TRANSFER_TIMEOUT_MS);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Wait for the server's side to close too, so that a client connecting right after us
    // is not taken for a second client (the server serves one at a time, docs/spec/simulator.md §7).
    await withTimeout(
      new Promise<void>((resolve) => {
        if (this.socket.destroyed) return resolve();
        this.socket.once('close', () => resolve());
        this.socket.end();
      }),
      DEFAULT_TRANSFER_TIMEOUT_MS,
      'close',
    ).catch(() => undefined);
    this.socket.destroy();
  }
}
