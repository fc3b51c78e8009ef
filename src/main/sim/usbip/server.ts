/**
 * `sim serve --usbip`: the virtual probe exported as a USB/IP device (docs/usbip.md), so a
 * Linux kernel with vhci-hcd attaches it (`usbip attach`) and every program there sees a
 * real ST-LINK on its USB bus. Each connection starts in the operation phase: a device list
 * (answered, then closed) or an import, after which the connection carries the device's
 * URBs. One importer at a time. Closing that connection is a hot unplug as the host sees it;
 * so is stopping the server, or the probe vanishing (fault unplug-after). The next import
 * plugs the probe back in; the chip persists for the life of the server.
 */
import fs from 'node:fs';
import net from 'node:net';
import { AppError } from '#shared/errors';
import type { VirtualProbe } from '../index';
import { advanceVirtualTo } from '../sim-clock';
import { claimSocketPath } from '../socket-path';
import { VARIANTS } from '../variants';
import { AttachedDevice } from './attached-device';
import { BCD_DEVICE, CONFIGURATION_VALUE } from './descriptors';
import type { ControlDevice } from './control';
import { formatListenAddress, type ListenAddress } from './listen-address';
import {
  BUSID_BYTES,
  DIR_OUT,
  OP_COMMON_BYTES,
  OP_REP_DEVLIST,
  OP_REP_IMPORT,
  OP_REQ_DEVLIST,
  OP_REQ_IMPORT,
  SPEED_FULL,
  SPEED_HIGH,
  ST_DEV_BUSY,
  ST_NA,
  ST_OK,
  URB_HEADER_BYTES,
  USBIP_VERSION,
  decodeUrbHeader,
  encodeDevice,
  encodeDeviceWithInterfaces,
  opCommon,
  readBusid,
  type DeviceRecord,
} from './protocol';

/** The one exported device's bus id (what `usbip attach -b` names). */
export const USBIP_BUSID = '1-1';

export interface UsbipServerOptions {
  listen: ListenAddress;
  /** Called when the importer goes away (the CLI saves the state file then). */
  onDetached?: () => void;
  log?: (line: string) => void;
}

export interface UsbipServerHandle {
  /** What it listens on, with the real port when port 0 was asked for. */
  readonly address: ListenAddress;
  readonly busid: string;
  close(): Promise<void>;
}

export function deviceRecord(probe: VirtualProbe): DeviceRecord {
  const v = VARIANTS[probe.variant];
  return {
    path: `/sys/devices/swim-studio/usbip/${USBIP_BUSID}`,
    busid: USBIP_BUSID,
    busnum: 1,
    devnum: 2,
    speed: v.usbSpeed === 'high' ? SPEED_HIGH : SPEED_FULL,
    idVendor: probe.info.vendorId,
    idProduct: probe.info.productId,
    bcdDevice: BCD_DEVICE,
    deviceClass: 0,
    deviceSubClass: 0,
    deviceProtocol: 0,
    configurationValue: CONFIGURATION_VALUE,
    numConfigurations: 1,
    interfaces: [{ cls: 0xff, subClass: 0xff, protocol: 0xff }],
  };
}

async function listen(server: net.Server, a: ListenAddress): Promise<ListenAddress> {
  if (a.kind === 'unix') await claimSocketPath(a.path, '--usbip-listen');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (a.kind === 'unix') server.listen(a.path, done);
    else server.listen(a.port, a.host, done);
  }).catch((e: NodeJS.ErrnoException) => {
    throw new AppError('socket-in-use', `Cannot listen on ${formatListenAddress(a)}: ${e.message}.`, 'Stop the program using that address or choose another --usbip-listen.');
  });
  if (a.kind === 'unix') return a;
  const bound = server.address();
  return { ...a, port: typeof bound === 'object' && bound ? bound.port : a.port };
}

export async function serveUsbip(probe: VirtualProbe, opts: UsbipServerOptions): Promise<UsbipServerHandle> {
  const log = opts.log ?? (() => undefined);
  const record = deviceRecord(probe);
  const sockets = new Set<net.Socket>();
  let importer: net.Socket | null = null;
  // A virtual clock served to another machine never runs behind the wall time between URBs.
  const wallStart = performance.now();
  const clockStart = probe.clock.now();
  const catchUp = (): void => advanceVirtualTo(probe.clock, clockStart + (performance.now() - wallStart));

  async function importDevice(socket: net.Socket, busid: string): Promise<AttachedDevice | null> {
    const refuse = (status: number, why: string): null => {
      log(`import of "${busid}" refused: ${why}`);
      socket.end(opCommon(OP_REP_IMPORT, status));
      return null;
    };
    if (busid !== USBIP_BUSID) return refuse(ST_NA, `no such bus id (this server exports ${USBIP_BUSID})`);
    if (importer) return refuse(ST_DEV_BUSY, 'already imported by another connection');
    if (!probe.isPlugged()) probe.replug();
    try {
      await probe.transport.open();
      await probe.transport.claimInterface(0);
    } catch (e) {
      return refuse(ST_NA, (e as Error).message);
    }
    importer = socket;
    const control: ControlDevice = { variant: VARIANTS[probe.variant], vendorId: record.idVendor, product: probe.info.productName, serial: probe.info.serialNumber, configuration: 0 };
    const send = (b: Buffer): void => {
      if (!socket.destroyed) socket.write(b);
    };
    const unplugged = (): void => {
      log('probe unplugged (fault unplug-after): closing the connection');
      socket.destroy();
    };
    socket.write(Buffer.concat([opCommon(OP_REP_IMPORT, ST_OK), encodeDevice(record)]));
    log(`imported ${USBIP_BUSID} (${probe.info.productName} ${probe.info.vendorId.toString(16).padStart(4, '0')}:${probe.info.productId.toString(16).padStart(4, '0')})`);
    return new AttachedDevice(probe.transport, control, send, unplugged, catchUp);
  }

  function onConnection(socket: net.Socket): void {
    sockets.add(socket);
    let buf: Buffer = Buffer.alloc(0);
    let device: AttachedDevice | null = null;
    let importing = false;

    const protocolError = (why: string): void => {
      log(`protocol error: ${why}; closing the connection`);
      socket.destroy();
    };

    const parse = (): void => {
      for (;;) {
        if (importing || socket.destroyed) return;
        if (!device) {
          if (buf.length < OP_COMMON_BYTES) return;
          const version = buf.readUInt16BE(0);
          const code = buf.readUInt16BE(2);
          if (version !== USBIP_VERSION) return protocolError(`USB/IP version 0x${version.toString(16)}, expected 0x${USBIP_VERSION.toString(16)}`);
          if (code === OP_REQ_DEVLIST) {
            const count = Buffer.alloc(4);
            count.writeUInt32BE(1);
            socket.end(Buffer.concat([opCommon(OP_REP_DEVLIST, ST_OK), count, encodeDeviceWithInterfaces(record)]));
            return;
          }
          if (code !== OP_REQ_IMPORT) return protocolError(`unknown operation 0x${code.toString(16)}`);
          if (buf.length < OP_COMMON_BYTES + BUSID_BYTES) return;
          const busid = readBusid(buf.subarray(OP_COMMON_BYTES));
          buf = buf.subarray(OP_COMMON_BYTES + BUSID_BYTES);
          importing = true;
          void importDevice(socket, busid).then((d) => {
            importing = false;
            device = d;
            if (d) parse();
          });
          return;
        }
        if (buf.length < URB_HEADER_BYTES) return;
        const cmd = decodeUrbHeader(buf);
        if (cmd.kind === 'unknown') return protocolError(`unknown URB command ${cmd.command}`);
        if (cmd.kind === 'unlink') {
          buf = buf.subarray(URB_HEADER_BYTES);
          device.unlink(cmd.seqnum, cmd.unlinkSeqnum);
          continue;
        }
        // -1 (0xffffffff) and 0 both mean "not isochronous"; the ST-LINK has no isochronous endpoint.
        if (cmd.numberOfPackets > 0) return protocolError('isochronous URB for a device without isochronous endpoints');
        if (cmd.length < 0) return protocolError(`negative transfer length ${cmd.length}`);
        const dataLength = cmd.direction === DIR_OUT ? cmd.length : 0;
        if (buf.length < URB_HEADER_BYTES + dataLength) return;
        const data = cmd.direction === DIR_OUT ? new Uint8Array(buf.subarray(URB_HEADER_BYTES, URB_HEADER_BYTES + dataLength)) : null;
        buf = buf.subarray(URB_HEADER_BYTES + dataLength);
        device.submit(cmd.seqnum, cmd.direction, cmd.ep, cmd.length, cmd.setup, data);
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      parse();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      device?.detach();
      if (importer !== socket) return;
      importer = null;
      // The end of the connection is the cable coming out: the probe loses power and its
      // firmware starts afresh at the next import (replug), as a real one would.
      probe.unplug();
      log('detached: the probe is unplugged until the next import');
      opts.onDetached?.();
    });
  }

  const server = net.createServer(onConnection);
  const address = await listen(server, opts.listen);
  return {
    address,
    busid: USBIP_BUSID,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      if (probe.isPlugged()) await probe.transport.close();
      if (address.kind === 'unix') fs.rmSync(address.path, { force: true });
    },
  };
}
