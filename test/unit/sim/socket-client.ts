/** A minimal client of the simulator socket protocol (docs/spec/simulator.md §7), for tests only. */
import net from 'node:net';

export interface Hello {
  version: number;
  vid: number;
  pid: number;
  serial: string;
  product: string;
}

export interface Reply {
  status: number;
  data: Buffer;
  actual: number;
}

export class SockClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private closed = false;
  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      this.wake();
    });
    sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
    sock.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async need(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.closed) throw new Error('socket closed');
      await new Promise<void>((r) => this.waiters.push(r));
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return Buffer.from(out);
  }

  static async connect(path: string): Promise<{ client: SockClient; hello: Hello }> {
    const sock = net.connect(path);
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    const client = new SockClient(sock);
    const h = await client.need(6);
    const n = h[5];
    const serial = (await client.need(n)).toString('latin1');
    const m = (await client.need(1))[0];
    const product = (await client.need(m)).toString('latin1');
    return { client, hello: { version: h[0], vid: h.readUInt16LE(1), pid: h.readUInt16LE(3), serial, product } };
  }

  async request(op: 'O' | 'I' | 'R', ep: number, length: number, data?: Uint8Array): Promise<Reply> {
    const head = Buffer.alloc(6);
    head.writeUInt8(op.charCodeAt(0), 0);
    head.writeUInt8(ep, 1);
    head.writeUInt32LE(length, 2);
    this.sock.write(data ? Buffer.concat([head, Buffer.from(data)]) : head);
    const r = await this.need(8);
    const status = r.readInt32LE(0);
    const actual = r.readUInt32LE(4);
    const body = op === 'I' ? await this.need(actual) : Buffer.alloc(0);
    return { status, actual, data: body };
  }

  async out(ep: number, bytes: number[] | Uint8Array, pad16 = true): Promise<Reply> {
    const b = new Uint8Array(pad16 ? Math.max(16, bytes.length) : bytes.length);
    b.set(bytes);
    return this.request('O', ep, b.length, b);
  }

  close(): void {
    this.sock.destroy();
  }
}
