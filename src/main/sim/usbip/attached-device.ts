/**
 * The URB phase of one imported connection: endpoint 0 answered from the descriptors, bulk
 * URBs handed to the virtual probe's own transport (the firmware is the probe's, nothing is
 * re-implemented here). A bulk URB the device cannot complete yet stays pending, as a real
 * device NAKs: an IN waits for the firmware's reply, anything waits forever while the probe
 * is hung (fault timeout-after). The host's timeout then arrives as USBIP_CMD_UNLINK, which
 * removes the URB for good (-ECONNRESET). Transfers run one at a time, in arrival order,
 * OUTs before INs, so the firmware sees exactly the sequence the host sent.
 */
import { TransportError, type UsbTransport } from '../../usb/transport';
import type { VariantInfo } from '../variants';
import { handleControl, type ControlDevice } from './control';
import { DIR_IN, ECONNRESET, EOVERFLOW, EPIPE, retSubmit, retUnlink, URB_OK } from './protocol';

interface PendingUrb {
  seqnum: number;
  /** Endpoint address with its direction bit (0x81, 0x02 ...). */
  address: number;
  /** OUT: the data; IN: null. */
  data: Uint8Array | null;
  length: number;
}

/** The transport call is told not to wait: a URB that cannot complete now just stays pending. */
const NO_WAIT_MS = 0;

export class AttachedDevice {
  private readonly outs: PendingUrb[] = [];
  private readonly ins: PendingUrb[] = [];
  private pumping = false;
  private again = false;
  private gone = false;
  /** The URB whose transfer is running right now. */
  private inFlight: PendingUrb | null = null;

  constructor(
    private readonly transport: UsbTransport,
    private readonly control: ControlDevice,
    private readonly send: (b: Buffer) => void,
    /** The probe vanished (fault unplug-after): the connection must close, as a hot unplug. */
    private readonly onUnplugged: () => void,
    /** Called before every transfer (keeps a virtual clock up with the wall). */
    private readonly beforeTransfer: () => void = () => undefined,
  ) {}

  private get variant(): VariantInfo {
    return this.control.variant;
  }

  submit(seqnum: number, direction: number, ep: number, length: number, setup: Buffer, data: Uint8Array | null): void {
    if (ep === 0) {
      const r = handleControl(this.control, setup);
      this.send(retSubmit(seqnum, r.status, r.data?.length ?? 0, direction === DIR_IN ? r.data : undefined));
      return;
    }
    const address = direction === DIR_IN ? 0x80 | ep : ep;
    const v = this.variant;
    const known = direction === DIR_IN ? address === v.inEndpoint || address === v.traceEndpoint : address === v.outEndpoint;
    if (!known) {
      this.send(retSubmit(seqnum, EPIPE, 0));
      return;
    }
    (direction === DIR_IN ? this.ins : this.outs).push({ seqnum, address, data, length });
    this.pump();
  }

  unlink(seqnum: number, target: number): void {
    for (const q of [this.outs, this.ins]) {
      const i = q.findIndex((u) => u.seqnum === target);
      // The head of a queue may be in the middle of its transfer: it completes, and the
      // unlink then finds nothing (status 0), as for any URB that already completed.
      if (i >= 0 && q[i] !== this.inFlight) {
        q.splice(i, 1);
        this.send(retUnlink(seqnum, ECONNRESET));
        return;
      }
    }
    this.send(retUnlink(seqnum, URB_OK));
  }

  /** The connection is gone: nothing more is sent or transferred. */
  detach(): void {
    this.gone = true;
    this.outs.length = 0;
    this.ins.length = 0;
  }

  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.drain().finally(() => {
      this.pumping = false;
      if (this.again && !this.gone) {
        this.again = false;
        this.pump();
      }
    });
  }

  private async drain(): Promise<void> {
    this.again = false;
    while (!this.gone && this.outs.length > 0) {
      if (!(await this.tryHead(this.outs))) return;
    }
    while (!this.gone && this.ins.length > 0) {
      // The trace endpoint never has data (the virtual probe sends no trace): it NAKs.
      const i = this.ins.findIndex((u) => u.address === this.variant.inEndpoint);
      if (i < 0) return;
      if (i > 0) this.ins.unshift(...this.ins.splice(i, 1));
      if (!(await this.tryHead(this.ins))) return;
    }
  }

  /** Try the first URB of `q`; false when it must keep waiting (NAK) or the device is gone. */
  private async tryHead(q: PendingUrb[]): Promise<boolean> {
    const u = q[0];
    this.beforeTransfer();
    this.inFlight = u;
    try {
      if (u.data) {
        const n = await this.transport.transferOut(u.address, u.data, NO_WAIT_MS);
        this.complete(q, u, retSubmit(u.seqnum, URB_OK, n));
      } else {
        const d = await this.transport.transferIn(u.address, u.length, NO_WAIT_MS);
        this.complete(q, u, retSubmit(u.seqnum, URB_OK, d.length, d));
      }
      return true;
    } catch (e) {
      const code = e instanceof TransportError ? e.code : 'io';
      if (code === 'timeout') return false; // NAK: stays pending until data comes or the host unlinks it
      if (code === 'no-device' || code === 'closed') {
        this.gone = true;
        this.onUnplugged();
        return false;
      }
      const status = code === 'io' && u.data === null ? EOVERFLOW : EPIPE;
      this.complete(q, u, retSubmit(u.seqnum, status, 0));
      return true;
    } finally {
      this.inFlight = null;
    }
  }

  private complete(q: PendingUrb[], u: PendingUrb, reply: Buffer): void {
    if (q[0] === u) q.shift();
    if (!this.gone) this.send(reply);
  }
}
