/**
 * A tiny host for the simulator tests: frames raw ST-LINK command blocks (docs/spec/stlink-swim.md
 * §1.3, §3) and moves them through the virtual probe's transport. Deliberately NOT the
 * engine: the tests check the simulator against the spec byte by byte.
 */
import { VARIANTS, createVirtualProbe, type VirtualProbe, type VirtualProbeOptions } from '../../../src/main/sim/index';

export const IN_EP = 0x81;

export class RawHost {
  readonly outEp: number;
  constructor(readonly probe: VirtualProbe) {
    this.outEp = VARIANTS[probe.variant].outEndpoint;
  }

  static async open(opts: VirtualProbeOptions): Promise<RawHost> {
    const h = new RawHost(createVirtualProbe(opts));
    await h.probe.transport.open();
    await h.probe.transport.claimInterface(0);
    return h;
  }

  get now(): number {
    return this.probe.clock.now();
  }

  async sleep(ms: number): Promise<void> {
    await this.probe.clock.sleep(ms);
  }

  /** One 16-byte command block (zero padded). */
  async cmd(bytes: number[]): Promise<void> {
    const b = new Uint8Array(16);
    b.set(bytes);
    await this.probe.transport.transferOut(this.outEp, b);
  }

  async cmdIn(bytes: number[], len: number): Promise<Uint8Array> {
    await this.cmd(bytes);
    return this.probe.transport.transferIn(IN_EP, len);
  }

  /** READSTATUS byte 0. */
  async status(): Promise<number> {
    return (await this.cmdIn([0xf4, 0x09], 4))[0];
  }

  /** Poll READSTATUS until not BUSY (bounded), sleeping `stepMs` between polls. */
  async settle(stepMs = 0.1, maxPolls = 100000): Promise<number> {
    for (let i = 0; i < maxPolls; i++) {
      const s = await this.status();
      if (s !== 0x01) return s;
      await this.sleep(stepMs);
    }
    throw new Error('still BUSY');
  }

  async swim(sub: number, params: number[] = []): Promise<number> {
    await this.cmd([0xf4, sub, ...params]);
    return this.settle();
  }

  /** Connect the way stm8flash does (docs/spec/stlink-swim.md §3.3 C): under reset, CSR 0xA1, release, HS. */
  async connect(opts: { highSpeed?: boolean; underReset?: boolean } = {}): Promise<void> {
    const mode = (await this.cmdIn([0xf5], 2))[0];
    if (mode === 0x00) await this.cmd([0xf3, 0x07]);
    await this.cmd([0xf4, 0x00]);
    if (opts.underReset !== false) expectOk(await this.swim(0x07), 'ASSERT_RESET');
    expectOk(await this.swim(0x04), 'ENTER_SEQ');
    expectOk(await this.writeMem(0x7f80, [0xa1]), 'CSR');
    if (opts.underReset !== false) expectOk(await this.swim(0x08), 'DEASSERT_RESET');
    await this.sleep(1);
    if (opts.highSpeed) {
      const csr = (await this.readMem(0x7f80, 1))[0];
      if (!(csr & 0x02)) throw new Error('HSIT not set');
      expectOk(await this.writeMem(0x7f80, [csr | 0x10]), 'CSR HS');
      expectOk(await this.swim(0x03, [0x01]), 'SPEED');
    }
  }

  /** WRITEMEM (+ the extra OUT for bytes beyond 8), then poll. Returns the final status. */
  async writeMemNoWait(addr: number, data: number[] | Uint8Array): Promise<void> {
    const d = Uint8Array.from(data);
    const len = d.length;
    await this.cmd([0xf4, 0x0a, len >> 8, len & 0xff, 0, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff, ...d.subarray(0, 8)]);
    if (len > 8) await this.probe.transport.transferOut(this.outEp, d.subarray(8));
  }

  async writeMem(addr: number, data: number[] | Uint8Array): Promise<number> {
    await this.writeMemNoWait(addr, data);
    return this.settle();
  }

  async readMem(addr: number, len: number): Promise<Uint8Array> {
    await this.cmd([0xf4, 0x0b, len >> 8, len & 0xff, 0, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff]);
    const s = await this.settle();
    if (s !== 0) throw new Error(`READMEM status 0x${s.toString(16)}`);
    return this.cmdIn([0xf4, 0x0c], len);
  }

  async read8(addr: number): Promise<number> {
    return (await this.readMem(addr, 1))[0];
  }

  async write8(addr: number, v: number): Promise<number> {
    return this.writeMem(addr, [v]);
  }

  /** DM_CSR2 |= STALL (OpenOCD stm8_debug_stall). */
  async halt(): Promise<void> {
    const csr2 = await this.read8(0x7f99);
    expectOk(await this.write8(0x7f99, csr2 | 0x08), 'stall');
  }
}

export function expectOk(status: number, what: string): void {
  if (status !== 0) throw new Error(`${what}: SWIM status 0x${status.toString(16)}`);
}

/** A deterministic byte pattern. */
export function pattern(n: number, seed = 1): Uint8Array {
  const a = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    a[i] = (x >>> 16) & 0xff;
  }
  return a;
}
