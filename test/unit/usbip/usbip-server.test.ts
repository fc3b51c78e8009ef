import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualProbe, parseFault, type VirtualProbe } from '../../../src/main/sim/index';
import { serveUsbip, type UsbipServerHandle } from '../../../src/main/sim/usbip/server';
import { parseListenAddress } from '../../../src/main/sim/usbip/listen-address';
import { parseServeArgs } from '../../../src/main/cli/commands/sim';
import { ECONNRESET, EPIPE, UsbipTestClient } from './usbip-client';

const GET_VERSION = Uint8Array.from([0xf1, ...new Array(15).fill(0)]);
const GET_DESCRIPTOR = (type: number, index: number, length: number): number[] => [0x80, 6, index, type, 0x09, 0x04, length & 0xff, length >> 8];

let dir: string;
let server: UsbipServerHandle | null = null;
const clients: UsbipTestClient[] = [];

async function serve(probe: VirtualProbe): Promise<string> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usbip-test-'));
  const socket = path.join(dir, 'usbip.sock');
  server = await serveUsbip(probe, { listen: { kind: 'unix', path: socket } });
  return socket;
}

async function client(socket: string): Promise<UsbipTestClient> {
  const c = await UsbipTestClient.connect(socket);
  clients.push(c);
  return c;
}

/** Connect and import bus id 1-1; returns the client, ready for URBs. */
async function attached(socket: string): Promise<UsbipTestClient> {
  const c = await client(socket);
  c.importBusid('1-1');
  const head = await c.read(8);
  expect(head?.readUInt32BE(4)).toBe(0);
  await c.read(312);
  return c;
}

async function getVersion(c: UsbipTestClient, outEp: number): Promise<Buffer> {
  c.submit({ ep: outEp, in: false, length: 16, data: GET_VERSION });
  expect((await c.reply(false))?.status).toBe(0);
  c.submit({ ep: 1, in: true, length: 6 });
  const r = await c.reply(true);
  expect(r?.status).toBe(0);
  return r!.data;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('sim serve --usbip: the USB/IP server', () => {
  it('lists one ST-LINK/V2 at full speed with a vendor-specific interface', async () => {
    const socket = await serve(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' }));
    const c = await client(socket);
    c.op(0x8005);
    const head = (await c.read(12))!;
    expect([head.readUInt16BE(0), head.readUInt16BE(2), head.readUInt32BE(4), head.readUInt32BE(8)]).toEqual([0x0111, 0x0005, 0, 1]);
    const rec = (await c.read(312 + 4))!;
    expect(rec.subarray(256, 288).toString('latin1').replace(/\0+$/, '')).toBe('1-1');
    expect(rec.readUInt32BE(296)).toBe(2); // USB_SPEED_FULL
    expect([rec.readUInt16BE(300), rec.readUInt16BE(302)]).toEqual([0x0483, 0x3748]);
    expect(rec.readUInt8(311)).toBe(1); // one interface
    expect([...rec.subarray(312, 315)]).toEqual([0xff, 0xff, 0xff]);
  });

  it('a V3 is high speed with 512-byte bulk endpoints 0x81 / 0x01 / 0x82', async () => {
    const probe = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s105c6', serial: '0037003F3532510B32333638' });
    const c = await attached(await serve(probe));
    const dev = await c.control(GET_DESCRIPTOR(1, 0, 18), 18);
    expect([dev.data.readUInt16LE(8), dev.data.readUInt16LE(10)]).toEqual([0x0483, 0x374f]);
    const cfg = (await c.control(GET_DESCRIPTOR(2, 0, 255), 255)).data;
    expect(cfg.readUInt16LE(2)).toBe(cfg.length);
    const eps = [];
    for (let o = 18; o + 7 <= cfg.length; o += 7) eps.push([cfg[o + 2], cfg.readUInt16LE(o + 4)]);
    expect(eps).toEqual([[0x81, 512], [0x01, 512], [0x82, 512]]);
    const serial = (await c.control(GET_DESCRIPTOR(3, 3, 255), 255)).data;
    expect(serial.subarray(2).toString('utf16le')).toBe('0037003F3532510B32333638');
    const product = (await c.control(GET_DESCRIPTOR(3, 2, 255), 255)).data;
    expect(product.subarray(2).toString('utf16le')).toBe('STLINK-V3');
    expect((await c.control([0x00, 9, 1, 0, 0, 0, 0, 0], 0)).status).toBe(0); // SET_CONFIGURATION 1
    expect((await c.control([0x80, 8, 0, 0, 0, 0, 1, 0], 1)).data).toEqual(Buffer.from([1]));
  });

  it('stalls requests it does not support (-EPIPE) and bulk transfers to endpoints the probe lacks', async () => {
    const c = await attached(await serve(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' })));
    expect((await c.control([0xc0, 0x01, 0, 0, 0, 0, 4, 0], 4)).status).toBe(EPIPE); // vendor request
    expect((await c.control(GET_DESCRIPTOR(3, 9, 255), 255)).status).toBe(EPIPE); // no string 9
    c.submit({ ep: 1, in: false, length: 16, data: GET_VERSION }); // the V2's OUT endpoint is 0x02
    expect((await c.reply(false))?.status).toBe(EPIPE);
  });

  it("bulk URBs reach the probe's firmware: GET_VERSION answers with the V2's VID/PID", async () => {
    const c = await attached(await serve(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' })));
    const v = await getVersion(c, 2);
    expect([v.readUInt16LE(2), v.readUInt16LE(4)]).toEqual([0x0483, 0x3748]);
  });

  it('an IN URB with nothing to send waits (NAK) until the reply exists, in order', async () => {
    const c = await attached(await serve(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' })));
    const inSeq = c.submit({ ep: 1, in: true, length: 6 });
    expect(await c.reply(true, 150)).toBeNull(); // still pending
    const outSeq = c.submit({ ep: 2, in: false, length: 16, data: GET_VERSION });
    const first = await c.reply(false);
    const second = await c.reply(true);
    expect([first?.seqnum, second?.seqnum]).toEqual([outSeq, inSeq]);
    expect(second?.data.readUInt16LE(4)).toBe(0x3748);
  });

  it('unlinking a pending URB answers -ECONNRESET and it never completes; the device still works', async () => {
    const c = await attached(await serve(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' })));
    const inSeq = c.submit({ ep: 1, in: true, length: 64 });
    expect(await c.reply(true, 150)).toBeNull();
    const u = c.unlink(inSeq);
    expect(await c.reply(false)).toMatchObject({ command: 4, seqnum: u, status: ECONNRESET });
    const v = await getVersion(c, 2);
    expect(v.length).toBe(6);
    expect(c.pending()).toBe(0); // no late RET_SUBMIT for the unlinked URB
    // Unlinking a URB that already completed answers 0.
    expect(await c.reply(false, 50)).toBeNull();
    const late = c.unlink(inSeq);
    expect(await c.reply(false)).toMatchObject({ command: 4, seqnum: late, status: 0 });
  });

  it('a hung probe (timeout-after) NAKs every URB until the host unlinks it', async () => {
    const probe = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [parseFault('timeout-after=0')] });
    const c = await attached(await serve(probe));
    const outSeq = c.submit({ ep: 2, in: false, length: 16, data: GET_VERSION });
    expect(await c.reply(false, 150)).toBeNull();
    c.unlink(outSeq);
    expect((await c.reply(false))?.status).toBe(ECONNRESET);
  });

  it('one importer at a time; an unknown bus id is refused', async () => {
    const socket = await serve(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' }));
    await attached(socket);
    const second = await client(socket);
    second.importBusid('1-1');
    expect((await second.read(8))?.readUInt32BE(4)).toBe(2); // ST_DEV_BUSY
    const wrong = await client(socket);
    wrong.importBusid('2-7');
    expect((await wrong.read(8))?.readUInt32BE(4)).toBe(1); // ST_NA
  });

  it('unplug-after: the connection closes (a hot unplug), and the next import finds the probe again', async () => {
    const probe = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [parseFault('unplug-after=1')] });
    const socket = await serve(probe);
    const c = await attached(socket);
    c.submit({ ep: 2, in: false, length: 16, data: GET_VERSION });
    expect((await c.reply(false))?.status).toBe(0);
    c.submit({ ep: 1, in: true, length: 6 });
    expect(await c.reply(true)).toBeNull();
    expect(c.closed).toBe(true);
    const again = await attached(socket);
    expect((await getVersion(again, 2)).length).toBe(6);
  });

  it('a detach is a hot unplug: a reply left in the probe is gone when it is imported again', async () => {
    const socket = await serve(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' }));
    const c = await attached(socket);
    c.submit({ ep: 2, in: false, length: 16, data: GET_VERSION });
    expect((await c.reply(false))?.status).toBe(0);
    c.close(); // detached before reading the reply
    await new Promise((r) => setTimeout(r, 50));
    const again = await attached(socket);
    again.submit({ ep: 1, in: true, length: 6 });
    expect(await again.reply(true, 150)).toBeNull(); // a fresh firmware has nothing to send
  });

  it('stopping the server unplugs the device: the importer sees its connection close', async () => {
    const c = await attached(await serve(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' })));
    await server!.close();
    server = null;
    expect(await c.read(1, 1000)).toBeNull();
    expect(c.closed).toBe(true);
  });
});

describe('--usbip-listen', () => {
  it('takes a Unix socket or 127.0.0.1:PORT', () => {
    expect(parseListenAddress('unix:/tmp/x.sock')).toEqual({ kind: 'unix', path: '/tmp/x.sock' });
    expect(parseListenAddress('127.0.0.1:3240')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 3240 });
  });

  it.each(['0.0.0.0:3240', 'localhost:3240', '192.168.1.2:3240', '[::1]:3240', '3240', '127.0.0.1:99999', 'unix:'])('refuses "%s" with a clear error', (spec) => {
    expect(() => parseListenAddress(spec)).toThrow(/--usbip-listen/);
  });
});

describe('sim serve --usbip options', () => {
  const globals = {} as Parameters<typeof parseServeArgs>[1];
  it('defaults to 127.0.0.1:3240 and takes --usbip-listen', () => {
    expect(parseServeArgs(['--usbip', '--probe', 'stlinkv2'], globals).usbip).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 3240 });
    expect(parseServeArgs(['--usbip-listen', 'unix:/tmp/s', '--probe', 'stlinkv2'], globals).usbip).toEqual({ kind: 'unix', path: '/tmp/s' });
  });

  it('refuses another address, and --socket together with --usbip', () => {
    expect(() => parseServeArgs(['--usbip-listen', '0.0.0.0:3240', '--probe', 'stlinkv2'], globals)).toThrow(/never on "0.0.0.0"/);
    expect(() => parseServeArgs(['--usbip', '--socket', '/tmp/s', '--probe', 'stlinkv2'], globals)).toThrow(/not both/);
  });
});
