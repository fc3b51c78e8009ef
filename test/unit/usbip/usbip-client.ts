/**
 * A minimal USB/IP client for the server's tests, written from the kernel's
 * Documentation/usb/usbip_protocol.rst: what `usbip list` / `usbip attach` and vhci-hcd send.
 */
import net from 'node:net';

export const VERSION = 0x0111;
export const EPIPE = -32;
export const ECONNRESET = -104;

export class UsbipTestClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  private seq = 0;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  static connect(path: string): Promise<UsbipTestClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(path);
      s.once('connect', () => resolve(new UsbipTestClient(s)));
      s.once('error', reject);
    });
  }

  /** Read exactly n bytes; null when the connection closed first or after `ms`. */
  async read(n: number, ms = 2000): Promise<Buffer | null> {
    const end = Date.now() + ms;
    while (this.buf.length < n) {
      if (this.closed || Date.now() >= end) return null;
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, Math.max(1, end - Date.now()));
      });
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return Buffer.from(out);
  }

  pending(): number {
    return this.buf.length;
  }

  op(code: number, body = Buffer.alloc(0)): void {
    const h = Buffer.alloc(8);
    h.writeUInt16BE(VERSION, 0);
    h.writeUInt16BE(code, 2);
    this.socket.write(Buffer.concat([h, body]));
  }

  importBusid(busid: string): void {
    const b = Buffer.alloc(32);
    b.write(busid);
    this.op(0x8003, b);
  }

  /** USBIP_CMD_SUBMIT; returns its seqnum. */
  submit(o: { ep: number; in: boolean; length: number; setup?: number[]; data?: Uint8Array }): number {
    const seq = ++this.seq;
    const h = Buffer.alloc(48);
    h.writeUInt32BE(1, 0);
    h.writeUInt32BE(seq, 4);
    h.writeUInt32BE((1 << 16) | 2, 8);
    h.writeUInt32BE(o.in ? 1 : 0, 12);
    h.writeUInt32BE(o.ep, 16);
    h.writeInt32BE(o.length, 24);
    h.writeInt32BE(-1, 32); // not isochronous
    Buffer.from(o.setup ?? [0, 0, 0, 0, 0, 0, 0, 0]).copy(h, 40);
    this.socket.write(o.data ? Buffer.concat([h, Buffer.from(o.data)]) : h);
    return seq;
  }

  unlink(target: number): number {
    const seq = ++this.seq;
    const h = Buffer.alloc(48);
    h.writeUInt32BE(2, 0);
    h.writeUInt32BE(seq, 4);
    h.writeUInt32BE(target, 20);
    this.socket.write(h);
    return seq;
  }

  /** The next RET_SUBMIT / RET_UNLINK: command, seqnum, status, data (IN data follows RET_SUBMIT). */
  async reply(expectInData: boolean, ms = 2000): Promise<{ command: number; seqnum: number; status: number; data: Buffer } | null> {
    const h = await this.read(48, ms);
    if (!h) return null;
    const command = h.readUInt32BE(0);
    const status = h.readInt32BE(20);
    const actual = command === 3 ? h.readInt32BE(24) : 0;
    const data = expectInData && actual > 0 ? await this.read(actual, ms) : Buffer.alloc(0);
    return { command, seqnum: h.readUInt32BE(4), status, data: data ?? Buffer.alloc(0) };
  }

  async control(setup: number[], length: number): Promise<{ status: number; data: Buffer }> {
    this.submit({ ep: 0, in: (setup[0] & 0x80) !== 0, length, setup });
    const r = await this.reply((setup[0] & 0x80) !== 0);
    if (!r) throw new Error('no reply to a control transfer');
    return r;
  }

  close(): void {
    this.socket.destroy();
  }
}
