/**
 * The real USB path, through a Linux kernel: one qemu guest (Debian's kernel, vhci-hcd)
 * attaches virtual ST-LINKs exported by `sim serve --usbip`, and runs a scripted batch of
 * scenarios (./guest/run-scenarios.mjs) with the CLI on the real `usb` package, Debian's
 * OpenOCD on real libusb, udev, usbfs permissions, hot unplug and a probe that hangs.
 * Each scenario reports a JSON line on the serial console; the tests below assert on them
 * and on the servers' state files. See docs/usbip.md and the README's testing section.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectCliBundle } from './cli-bundle';
import { prepareGuestKernel, type GuestKernel } from './guest-kernel';
import { buildInitramfs } from './initramfs';
import { missingPrerequisites } from './prerequisites';
import { bootGuest, type GuestRun } from './qemu';
import { describeProbe, startServer, stopServer, type ServedProbe } from './usbip-servers';
import { LIBRARY_ERROR_STRINGS } from '../fixtures/usb-error-strings';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.SWIM_STUDIO_KERNEL_CACHE ?? path.join(ROOT, 'node_modules', '.cache', 'swim-studio-kernel-usb');
// About 4-5 minutes on an idle 2-core machine under TCG; the bound leaves room for a loaded one.
const GUEST_TIMEOUT_MS = 900_000;
/** Run only some scenario groups (v2, v3, rop, unplug, hang), e.g. while working on one; the others then fail. */
const GROUPS = process.env.SWIM_STUDIO_KERNEL_USB_GROUPS?.split(',');
const IMAGE_BYTES = 8192;

let kernel: GuestKernel | null = null;
let missing = missingPrerequisites(ROOT);
if (!missing) {
  try {
    kernel = prepareGuestKernel(CACHE); // cached after the first run
  } catch (e) {
    missing = `the guest kernel is unavailable (${String((e as Error).message).split('\n')[0]})`;
  }
}
if (missing && process.env.CI === 'true') throw new Error(`kernel-USB suite cannot run in CI: ${missing}`);
if (missing) console.log(`kernel-USB suite skipped: ${missing}`);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Deterministic bytes (xorshift32), so a failure can be reproduced. */
function image(seed: number, size = IMAGE_BYTES): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < b.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

function flashOf(stateFile: string): Buffer {
  const s = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { memories: { flash: string } };
  return Buffer.from(s.memories.flash, 'base64');
}

describe.skipIf(missing !== null)('USB through a Linux kernel (qemu, vhci-hcd, sim serve --usbip)', () => {
  const results = new Map<string, Json>();
  let run: GuestRun;
  let work: string;
  let probes: Record<string, ServedProbe>;
  const images: Record<string, string> = {};

  beforeAll(async () => {
    if (!kernel) throw new Error('unreachable: the suite is skipped without a kernel');
    const cli = projectCliBundle(ROOT);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'swim-kernel-usb-'));
    fs.chmodSync(work, 0o755);
    // c is 1 KB: the unprivileged user's write only has to show the device node lets it program.
    for (const [name, seed, size] of [['a', 0xa11ce, IMAGE_BYTES], ['b', 0xb0b, IMAGE_BYTES], ['c', 0xc0ffee, 1024]] as const) {
      images[name] = path.join(work, `${name}.bin`);
      fs.writeFileSync(images[name], image(seed, size));
    }
    const serve = (name: string, ip: string, probe: string, part: string, serial: string, faults: string[] = []): ServedProbe =>
      describeProbe(work, { name, ip, probe, part, serial, faults });
    probes = {
      v2: serve('v2', '10.0.2.100', 'stlinkv2', 'stm8s103f3', '48374800000000000000A002'),
      v3: serve('v3', '10.0.2.101', 'stlinkv3', 'stm8s105c6', '0037003F3532510B32333638'),
      rop: serve('rop', '10.0.2.102', 'stlinkv2', 'stm8s103f3', '48374800000000000000A0B0', ['rop']),
      unplug: serve('unplug', '10.0.2.103', 'stlinkv2', 'stm8s103f3', '48374800000000000000A0C0'),
      hang: serve('hang', '10.0.2.104', 'stlinkv2', 'stm8s103f3', '48374800000000000000A0D0', ['timeout-after=10']),
    };
    await Promise.all(Object.values(probes).map((p) => startServer(cli, p)));

    const config = {
      node: process.execPath,
      cli,
      guestDir: path.join(__dirname, 'guest'),
      images,
      udevRule: path.join(ROOT, 'assets', 'udev', '49-stlink-swim-studio.rules'),
      groups: GROUPS,
      user: { uid: 4242, gid: 4242, plugdevGid: 46 },
      openocd: {
        stm8s103f3: { targetCfg: 'target/stm8s103.cfg', flashStart: '0x8000' },
        stm8s105c6: { targetCfg: 'target/stm8s105.cfg', flashStart: '0x8000' },
      },
      devices: Object.fromEntries(Object.values(probes).map((p) => [p.name, { name: p.name, ip: p.ip, busid: p.busid, part: p.part, serial: p.serial }])),
    };
    const configFile = path.join(work, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 1));
    const entry = path.join(work, 'guest-entry.sh');
    fs.writeFileSync(
      entry,
      [
        'mount -t tmpfs tmpfs /run',
        'mount -t devpts devpts /dev/pts 2>/dev/null',
        'mount -t debugfs debugfs /sys/kernel/debug',
        'busybox ip link set lo up',
        'busybox ip link set eth0 up',
        'busybox ip addr add 10.0.2.15/24 dev eth0',
        `exec ${process.execPath} ${path.join(__dirname, 'guest', 'run-scenarios.mjs')} ${configFile}`,
        '',
      ].join('\n'),
    );
    const initrd = path.join(work, 'initrd.cpio');
    const guest = kernel;
    buildInitramfs(initrd, '/bin/busybox', guest.modules, `/bin/sh ${entry}`);
    const echo = process.env.SWIM_STUDIO_KERNEL_USB_ECHO === '1';
    run = await bootGuest({
      vmlinux: guest.vmlinux,
      initrd,
      forwards: Object.values(probes).map((p) => ({ ip: p.ip, command: p.forwarder })),
      timeoutMs: GUEST_TIMEOUT_MS,
      onLine: echo ? (l) => console.log(`guest: ${l}`) : undefined,
    });
    fs.writeFileSync(path.join(CACHE, 'last-run.log'), run.lines.join('\n'));
    for (const line of run.lines) {
      if (!line.startsWith('@@KU ')) continue;
      const r = JSON.parse(line.slice(5)) as Json;
      results.set(r.scenario as string, r);
    }
    await Promise.all(Object.values(probes).map((p) => stopServer(p)));
  }, GUEST_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    if (probes) await Promise.all(Object.values(probes).map((p) => stopServer(p)));
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const get = (name: string): Json => {
    const r = results.get(name);
    if (!r) throw new Error(`scenario "${name}" reported nothing (guest ${run.timedOut ? 'timed out' : `exit ${run.exitCode}`}; log in ${CACHE}/last-run.log)`);
    expect(r.harnessError, `scenario ${name}`).toBeUndefined();
    return r;
  };

  it('boots one guest that runs every scenario to the end', () => {
    expect(run.timedOut).toBe(false);
    expect(results.has('done')).toBe(true);
    console.log(`kernel-USB guest: ${run.accelerator}, ${(run.wallMs / 1000).toFixed(1)} s from qemu start to power-off`);
  });

  it('the kernel enumerates V2 at full speed and V3 at high speed', () => {
    expect(get('attach-v2').device).toMatchObject({ idProduct: '3748', speed: '12' });
    expect(get('attach-v3').device).toMatchObject({ idProduct: '374f', speed: '480' });
  });

  it('list reads serial, firmware and port path through the usb package', () => {
    const v2 = get('list-v2');
    expect(v2.code).toBe(0);
    const [p] = v2.out.probes ?? v2.out;
    expect(p).toMatchObject({ serial: probes.v2.serial, firmware: 'V2J37S7', kind: 'usb' });
    expect(p.portPath).toMatch(/^\d+-\d+(\.\d+)*$/);
    const [p3] = get('list-v3').out.probes ?? get('list-v3').out;
    expect(p3).toMatchObject({ serial: probes.v3.serial, kind: 'usb' });
    expect(p3.firmware).toMatch(/^V3J10/);
  });

  it('info, write, verify, read and opt work on the V2 (full speed)', () => {
    expect(get('info-v2')).toMatchObject({ code: 0, out: { target: { part: 'stm8s103f3', readProtected: false } } });
    const w = get('write-v2');
    expect(w.code).toBe(0);
    expect(w.out.write.verified).toBe(true);
    const r = get('read-v2');
    expect([r.read.code, r.readMatches]).toEqual([0, true]);
    const opt = get('opt-v2');
    expect(opt.code).toBe(0);
    expect(opt.out.options.bytes.length).toBeGreaterThan(0);
  });

  it('write, verify and read work on the V3 (high speed)', () => {
    expect(get('write-v3').code).toBe(0);
    const vr = get('verify-read-v3');
    expect([vr.verify.code, vr.read.code, vr.readMatches]).toEqual([0, 0, true]);
  });

  it("Debian's OpenOCD loads and verifies an image on the same device through real libusb", () => {
    const o = get('openocd-v2');
    expect(o.code, o.output).toBe(0);
    expect(o.output).toMatch(/STLINK V2J37S7/);
    expect(o.output).toMatch(/verified 8192 bytes/);
  });

  it('unlock --yes removes read-out protection', () => {
    const u = get('unlock');
    expect(u.unlock.code).toBe(0);
    expect(u.unlock.out.unlock.wasProtected).toBe(true);
    expect(u.after.out.target.readProtected).toBe(false);
  });

  it('without a udev rule an unprivileged user gets probe-permission and the udev remedy', () => {
    const p = get('permission-denied');
    expect(p.info.code).toBe(3);
    expect(p.info.out.error.code).toBe('probe-permission');
    expect(p.info.out.error.remedy).toMatch(/udev/);
    expect(p.raw.lines[0].error).toBe(LIBRARY_ERROR_STRINGS.linux.permission);
  });

  it("with the shipped udev rule applied by udevd, a member of the rule's group programs the chip", () => {
    const u = get('udev-rule');
    // Group read-write for plugdev (Debian's own 50-udev-default.rules then sets 0664; either way the group may write).
    expect(u.nodeGid).toBe(46);
    expect(parseInt(u.nodeMode as string, 8) & 0o060).toBe(0o060);
    expect(u.write.code, JSON.stringify(u.write)).toBe(0);
  });

  it('a second process while the first holds the probe gets probe-busy', () => {
    const b = get('busy');
    expect(b.info.code).toBe(3);
    expect(b.info.out.error.code).toBe('probe-busy');
    expect(b.raw.lines[0].error).toBe(LIBRARY_ERROR_STRINGS.linux.busy);
  });

  it('a detach in the middle of a write: probe-unplugged, exit 3, no torn block, the next run succeeds', () => {
    const u = get('unplug');
    expect(u.first).toBe(0);
    expect(u.cut.code).toBe(3);
    expect(u.cut.out.error.code).toBe('probe-unplugged');
    expect(u.blocks.torn).toBe(0);
    expect(u.again.code).toBe(0);
    console.log(
      `kernel-USB unplug: detached after ${u.outsBeforeDetach} of a whole write's ${u.fullWriteOuts} bulk OUT URBs; ` +
        `${u.blocks.fromB} of ${u.blocks.fromA + u.blocks.fromB} blocks were rewritten, none torn`,
    );
    const raw = get('unplug-raw').lines as Json[];
    expect(raw.find((l) => 'inFlight' in l)?.inFlight).toBe(LIBRARY_ERROR_STRINGS.linux.unpluggedInFlight);
    expect(raw.at(-1)?.error).toBe(LIBRARY_ERROR_STRINGS.linux.unplugged);
  });

  it('a probe that stops answering ends in usb-timeout', () => {
    const t = get('timeout');
    expect(t.out.error.code).toBe('usb-timeout');
    const nak = get('nak-unlink');
    expect(nak.lines[0].error).toBe(LIBRARY_ERROR_STRINGS.linux.timeout);
    expect(nak.lines[1].afterUnlink).toBe(6);
  });

  it("the servers' state files hold what was written last", () => {
    const read = (f: string): Buffer => fs.readFileSync(f);
    // V2: OpenOCD's image b, then the unprivileged user's 1 KB c over its start.
    const v2 = flashOf(probes.v2.state);
    expect(v2.subarray(0, 1024).equals(read(images.c))).toBe(true);
    expect(v2.subarray(1024, IMAGE_BYTES).equals(read(images.b).subarray(1024))).toBe(true);
    expect(flashOf(probes.v3.state).subarray(0, IMAGE_BYTES).equals(read(images.a))).toBe(true);
    expect(flashOf(probes.unplug.state).subarray(0, IMAGE_BYTES).equals(read(images.b))).toBe(true);
    expect(JSON.parse(fs.readFileSync(probes.rop.state, 'utf8')).ropActive).toBe(false);
  });

  it('prints the library error strings and the kernel-path measurements', () => {
    const strings = {
      permission: get('permission-denied').raw.lines[0].error,
      busy: get('busy').raw.lines[0].error,
      unplugged: get('unplug-raw').lines.at(-1).error,
      unpluggedInFlight: get('unplug-raw').lines.find((l: Json) => 'inFlight' in l)?.inFlight,
      timeout: get('nak-unlink').lines[0].error,
    };
    console.log(`kernel-USB library error strings (usb package, Linux): ${JSON.stringify(strings)}`);
    const lv2 = get('latency-v2').lines[0].medianMs as number;
    const lv3 = get('latency-v3').lines[0].medianMs as number;
    const engine = get('write-v2').ms;
    const openocd = get('openocd-v2').ms;
    console.log(
      `kernel-USB timing (${run.accelerator}): GET_VERSION exchange median ${lv2.toFixed(2)} ms (V2 full speed), ${lv3.toFixed(2)} ms (V3 high speed); ` +
        `8 KB write+verify: engine CLI ${engine} ms, OpenOCD load_image+verify_image ${openocd} ms, ratio engine/OpenOCD ${(engine / openocd).toFixed(2)} (whole processes, same device)`,
    );
    expect(lv2).toBeGreaterThan(0);
  });
});
