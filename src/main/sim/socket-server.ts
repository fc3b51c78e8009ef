/**
 * The virtual probe on a Unix stream socket, exactly as docs/spec/simulator.md §7:
 * hello on accept, then one reply per request; one client at a time (a second one gets
 * the hello and then status -6 BUSY on every request). The probe and its chip persist
 * across clients for the life of the server.
 */
import net from 'node:net';
import fs from 'node:fs';
import { LIBUSB_CODE, TransportError, DEFAULT_TRANSFER_TIMEOUT_MS } from '../usb/transport';
import type { VirtualProbe } from './index';
import { advanceVirtualTo } from './sim-clock';
import { claimSocketPath } from './socket-path';

export const SOCKET_PROTOCOL_VERSION = 1;
export const OP_OUT = 0x4f; // 'O'
export const OP_IN = 0x49; // 'I'
export const OP_RESET = 0x52; // 'R'
const HEADER = 6; // u8 op, u8 endpoint, u32 length

const LIBUSB_BUSY = -6;
const LIBUSB_IO = -1;
const LIBUSB_NO_DEVICE = -4;

export interface SocketServerOptions {
  /** Timeout for each transfer (the socket protocol carries none): default 3000 ms. */
  transferTimeoutMs?: number;
  /** Called when a client goes away (the CLI saves the state file then). */
  onClientClosed?: () => void;
  /** Log lines (connections, protocol errors). */
  log?: (line: string) => void;
}

export interface SocketServerHandle {
  readonly socketPath: string;
  close(): Promise<void>;
}

/** The hello: u8 version, u16 VID, u16 PID, u8 n + serial, u8 m + product (all little-endian). */
export function helloFor(probe: VirtualProbe): Buffer {
  const serial = Buffer.from(probe.info.serialNumber, 'latin1').subarray(0, 255);
  const product = Buffer.from(probe.info.productName, 'latin1').subarray(0, 255);
  const b = Buffer.alloc(1 + 2 + 2 + 1 + serial.length + 1 + product.length);
  let o = 0;
  b.writeUInt8(SOCKET_PROTOCOL_VERSION, o++);
  b.writeUInt16LE(probe.info.vendorId, o);
  o += 2;
  b.writeUInt16LE(probe.info.productId, o);
  o += 2;
  b.writeUInt8(serial.length, o++);
  serial.copy(b, o);
  o += serial.length;
  b.writeUInt8(product.length, o++);
  product.copy(b, o);
  return b;
}

function replyBuf(status: number, data?: Uint8Array, actual?: number): Buffer {
  const n = data ? data.length : (actual ?? 0);
  const b = Buffer.alloc(8 + (data ? data.length : 0));
  b.writeInt32LE(status, 0);
  b.writeUInt32LE(n, 4);
  if (data) Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(b, 8);
  return b;
}

function libusbStatus(e: unknown): number {
  if (e instanceof TransportError) {
    if (e.code === 'closed') return LIBUSB_NO_DEVICE;
    if (e.code === 'no-driver') return LIBUSB_IO;
    return LIBUSB_CODE[e.code] ?? LIBUSB_IO;
  }
  return LIBUSB_IO;
}

interface Session {
  socket: net.Socket;
  /** This client owns the probe (false: a second client, answered -6). */
  owner: boolean;
  buf: Buffer;
  chain: Promise<void>;
  /** libusb status of a failed open (busy, no device): every request gets it. */
  openStatus: number | null;
}

/**
 * How long a client that finds the probe held waits before it is told BUSY. A client process
 * that exits releases its claim at once on a real USB stack (Linux usbfs releases every
 * interface a process claimed when its device file closes: drivers/usb/core/devio.c,
 * usbdev_release), and OpenOCD's next run claims it again; but this server hears of it only
 * when it reads the socket's end; a client started right after (OpenOCD run after OpenOCD)
 * must not get BUSY for that. One that connects while the holder really lives still does.
 */
const LEAVING_GRACE_MS = 25;

export async function serveVirtualProbe(probe: VirtualProbe, socketPath: string, opts: SocketServerOptions = {}): Promise<SocketServerHandle> {
  const timeout = opts.transferTimeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS;
  const log = opts.log ?? (() => {});
  await claimSocketPath(socketPath, '--socket');
  // A virtual clock served to another process never runs behind the wall time that passed
  // between requests (docs/spec/simulator.md §3): the client sleeps where the server cannot see it.
  const wallStart = performance.now();
  const clockStart = probe.clock.now();
  const catchUp = (): void => advanceVirtualTo(probe.clock, clockStart + (performance.now() - wallStart));

  let owner: Session | null = null;
  /** Settles when the last owner's claim is released (its transport closed). */
  let released: Promise<void> = Promise.resolve();
  const sessions = new Set<Session>();

  /** The probe is this client's from now on; opened once the previous owner has let go. */
  async function takeProbe(s: Session): Promise<void> {
    owner = s;
    s.owner = true;
    log('client connected');
    await released;
    await openFor(s);
  }

  async function handle(s: Session, op: number, ep: number, len: number, data: Buffer | null): Promise<Buffer> {
    if (!s.owner) return replyBuf(LIBUSB_BUSY);
    if (s.openStatus !== null) return replyBuf(s.openStatus);
    catchUp();
    const t = probe.transport;
    try {
      if (op === OP_OUT) {
        const n = await t.transferOut(ep, new Uint8Array(data ?? Buffer.alloc(0)), timeout);
        return replyBuf(0, undefined, n);
      }
      if (op === OP_IN) {
        const d = await t.transferIn(ep, len, timeout);
        return replyBuf(0, d);
      }
      await t.reset();
      return replyBuf(0);
    } catch (e) {
      return replyBuf(libusbStatus(e));
    }
  }

  function pump(s: Session): void {
    for (;;) {
      if (s.buf.length < HEADER) return;
      const op = s.buf.readUInt8(0);
      const ep = s.buf.readUInt8(1);
      const len = s.buf.readUInt32LE(2);
      if (op !== OP_OUT && op !== OP_IN && op !== OP_RESET) {
        log(`protocol error: unknown op 0x${op.toString(16)}; closing the connection`);
        s.socket.destroy();
        return;
      }
      const need = HEADER + (op === OP_OUT ? len : 0);
      if (s.buf.length < need) return;
      const data = op === OP_OUT ? Buffer.from(s.buf.subarray(HEADER, need)) : null;
      s.buf = s.buf.subarray(need);
      s.chain = s.chain
        .then(() => handle(s, op, ep, len, data))
        .then((reply) => {
          if (!s.socket.destroyed) s.socket.write(reply);
        });
    }
  }

  async function openFor(s: Session): Promise<void> {
    try {
      await probe.transport.open();
      await probe.transport.claimInterface(0);
    } catch (e) {
      // Busy (held by another program) or unplugged: every request answers with that status.
      s.openStatus = libusbStatus(e);
      log(`open failed (${s.openStatus}); answering ${s.openStatus} to every request`);
    }
  }

  const server = net.createServer((socket) => {
    const s: Session = { socket, owner: false, buf: Buffer.alloc(0), chain: Promise.resolve(), openStatus: null };
    sessions.add(s);
    socket.write(helloFor(probe));
    // Requests queue behind the decision (and the open): the chain is what they wait on.
    s.chain =
      owner === null
        ? takeProbe(s)
        : new Promise<void>((resolve) => setTimeout(resolve, LEAVING_GRACE_MS)).then(async () => {
            if (owner === null && !socket.destroyed) await takeProbe(s);
            else log('second client connected: answering BUSY');
          });
    socket.on('data', (chunk: Buffer) => {
      s.buf = s.buf.length ? Buffer.concat([s.buf, chunk]) : chunk;
      pump(s);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sessions.delete(s);
      if (owner === s) {
        owner = null;
        released = s.chain
          .then(async () => {
            if (s.openStatus === null) await probe.transport.close();
            log('client disconnected');
            opts.onClientClosed?.();
          })
          .catch((e: unknown) => {
            // Never an unhandled rejection (a crash): the server outlives any one client.
            log(`after the client left: ${e instanceof Error ? e.message : String(e)}`);
          });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    socketPath,
    close: async () => {
      for (const s of sessions) s.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (owner) await (owner as Session).chain.catch(() => undefined);
      await probe.transport.close();
      try {
        fs.unlinkSync(socketPath);
      } catch {
        // already gone
      }
    },
  };
}
