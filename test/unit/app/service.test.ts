/**
 * The app service on the real engine and real virtual probes (virtual clock, so it runs at
 * model speed). What the chip holds is checked through the simulator's backdoor, never by
 * asking the engine.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RealClock, VirtualClock } from '../../../src/main/clock';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { serveVirtualProbe } from '../../../src/main/sim/socket-server';
import { AppService } from '../../../src/main/service/app-service';
import { AppProbes } from '../../../src/main/service/app-probes';
import type { IpcEvents, IpcResult, JobProgress, JobStateEvent, ProbeSelection } from '#shared/ipc';

const V3: ProbeSelection = { kind: 'virtual', variant: 'stlinkv3' };
const open: AppService[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});

function setup() {
  const probes = new AppProbes({ virtualClock: () => new VirtualClock() });
  const service = new AppService({ host: 'bridge', version: 'test', probes });
  open.push(service);
  const events: { name: keyof IpcEvents; payload: unknown }[] = [];
  service.events.subscribe((name, payload) => events.push({ name, payload }));
  const chip = () => probes.virtualProbes.all()[0].target;
  return { service, probes, events, chip };
}

function value<T>(r: IpcResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255 || 1);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

describe('app service on a virtual probe', () => {
  it('refuses jobs before connecting', async () => {
    const { service } = setup();
    expect(await service.request('readRegion', { region: 'flash' })).toMatchObject({ ok: false, error: { code: 'not-connected' } });
  });

  it('connects, reports the probe and target, and remembers them in the settings', async () => {
    const { service, events } = setup();
    const c = value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    expect(c).toMatchObject({ part: 'stm8s103f3', probeFirmware: 'V3J10M3B5S1', swimSpeed: 'high', readProtected: false });
    expect(c.targetVoltage).toBeGreaterThan(3);
    expect(c.regions.map((r) => r.region)).toEqual(['flash', 'eeprom', 'ram', 'option']);
    expect(events.find((e) => e.name === 'connectionChanged')?.payload).toMatchObject({ connection: { part: 'stm8s103f3' } });
    expect(value(await service.request('status', {})).connection?.probeFirmware).toBe('V3J10M3B5S1');
    expect(value(await service.request('getSettings', {}))).toMatchObject({ lastPart: 'stm8s103f3', lastProbe: V3 });
  });

  it('programs flash: progress events, a report in words, and the bytes really on the chip', async () => {
    const { service, events, chip } = setup();
    value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    const data = pattern(8192, 7);
    const r = value(await service.request('program', { segments: [{ region: 'flash', address: 0x8000, data }] }));
    expect(r.report).toMatchObject({ kind: 'program', bytes: 8192, blocksWritten: 128, verified: true });
    expect(r.report.summary).toMatch(/^Programmed 8192 bytes of flash in .*verified\.$/);
    expect(r.verify).toMatchObject({ ok: true, mismatchCount: 0 });
    expect(same(chip().peek(0x8000, 8192), data)).toBe(true);

    const progress = events.filter((e) => e.name === 'jobProgress').map((e) => e.payload as JobProgress).filter((p) => p.jobId === r.report.jobId);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.kind === 'program' && p.done <= p.total)).toBe(true);
    expect(progress.some((p) => /writing flash/.test(p.phase))).toBe(true);
    const states = events.filter((e) => e.name === 'jobState').map((e) => e.payload as JobStateEvent);
    expect(states.map((s) => `${s.kind}:${s.state}`)).toEqual(['connect:running', 'connect:done', 'program:running', 'program:done']);
    expect(events.some((e) => e.name === 'log' && /Programmed 8192 bytes/.test((e.payload as { message: string }).message))).toBe(true);
  });

  it('reads back what the chip holds, and verify finds a byte changed behind its back', async () => {
    const { service, chip } = setup();
    value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    chip().poke(0x4000, [0x11, 0x22, 0x33]);
    const eeprom = value(await service.request('readRegion', { region: 'eeprom' }));
    expect(eeprom.segments[0]).toMatchObject({ region: 'eeprom', address: 0x4000 });
    expect(eeprom.segments[0].data.length).toBe(640);
    expect([...eeprom.segments[0].data.subarray(0, 3)]).toEqual([0x11, 0x22, 0x33]);

    const data = pattern(256, 3);
    value(await service.request('program', { segments: [{ region: 'flash', address: 0x8100, data }] }));
    chip().poke(0x8142, [data[0x42] ^ 0xff]);
    const v = value(await service.request('verify', { segments: [{ region: 'flash', address: 0x8100, data }] }));
    expect(v).toMatchObject({ ok: false, mismatchCount: 1, mismatches: [{ address: 0x8142, expected: data[0x42], actual: data[0x42] ^ 0xff }] });
    expect(v.report.summary).toMatch(/1 byte differ, first at 0x8142/);

    const all = value(await service.request('readRegion', { region: 'all' }));
    expect(all.segments.map((s) => s.region)).toEqual(['flash', 'eeprom', 'option']);
  });

  it('erases and blank-checks', async () => {
    const { service, chip } = setup();
    value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    value(await service.request('program', { segments: [{ region: 'flash', address: 0x9000, data: pattern(64, 1) }] }));
    expect(value(await service.request('blankCheck', { region: 'flash' }))).toMatchObject({ blank: false, firstNonBlank: 0x9000 });
    value(await service.request('erase', { region: 'flash' }));
    expect(chip().peek(0x8000, 8192).every((b) => b === 0)).toBe(true);
    expect(value(await service.request('blankCheck', { region: 'flash' }))).toMatchObject({ blank: true, nonBlankCount: 0 });
  });

  it('writes RAM', async () => {
    const { service, chip } = setup();
    value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    value(await service.request('writeRam', { address: 0x100, data: new Uint8Array([9, 8, 7]) }));
    expect([...chip().peek(0x100, 3)]).toEqual([9, 8, 7]);
  });

  it('refuses data outside the part before touching the chip', async () => {
    const { service, chip } = setup();
    value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    const before = chip().peek(0x8000, 8192);
    const r = await service.request('program', {
      segments: [
        { region: 'flash', address: 0x8000, data: pattern(16, 5) },
        { region: 'flash', address: 0x9ff0, data: pattern(32, 5) },
      ],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'outside-memory', message: expect.stringMatching(/0x9FF0–0xA00F.*stm8s103f3/) } });
    expect(same(chip().peek(0x8000, 8192), before)).toBe(true);
    expect(await service.request('program', { segments: [{ region: 'option', address: 0x4800, data: new Uint8Array(1) }] })).toMatchObject({
      ok: false,
      error: { code: 'image-has-options' },
    });
    expect(await service.request('readRegion', { region: 'eeprom', address: 0x4270, length: 32 })).toMatchObject({ ok: false, error: { code: 'outside-memory' } });
  });

  it('runs one job at a time: a second request while busy gets a clear error; cancel stops between blocks', async () => {
    const { service, events, chip } = setup();
    value(await service.request('connect', { probe: V3, part: 'stm8s208rb' }));
    const data = pattern(128 * 1024, 9);
    let cancelled = false;
    const running = service.request('program', { segments: [{ region: 'flash', address: 0x8000, data }] });
    // Cancel once a few dozen blocks are written.
    const stop = service.events.on('jobProgress', (p) => {
      if (!cancelled && /writing/.test(p.phase) && p.done >= 40) {
        cancelled = true;
        void service.request('cancelJob', {});
      }
    });
    const busy = await service.request('readRegion', { region: 'eeprom' });
    expect(busy).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringMatching(/program is still running/), remedy: expect.stringMatching(/cancel/i) } });
    expect(await service.request('disconnect', {})).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(await service.request('connect', { probe: V3, part: 'stm8s103f3' })).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(value(await service.request('status', {})).job?.kind).toBe('program');

    const r = await running;
    stop();
    expect(r).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(events.filter((e) => e.name === 'jobState').map((e) => (e.payload as JobStateEvent).state).at(-1)).toBe('cancelled');
    // Part written, not all; the flash controller is locked again.
    const onChip = chip().peek(0x8000, data.length);
    expect(same(onChip.subarray(0, 128), data.subarray(0, 128))).toBe(true);
    expect(same(onChip, data)).toBe(false);
    expect(chip().flashState()).toMatchObject({ pul: false, dul: false });
    // And the service is free again.
    expect(value(await service.request('readRegion', { region: 'eeprom' })).segments[0].data.length).toBe(2048);
  });

  it('shutting down mid-job cancels it and waits until the flash is locked again', async () => {
    const { service, chip } = setup();
    value(await service.request('connect', { probe: V3, part: 'stm8s208rb' }));
    let settled = false;
    const running = service.request('program', { segments: [{ region: 'flash', address: 0x8000, data: pattern(64 * 1024, 3) }] }).then((r) => {
      settled = true;
      return r;
    });
    await new Promise<void>((resolve) => {
      const off = service.events.on('jobProgress', (p) => {
        if (/writing/.test(p.phase) && p.done >= 8) {
          off();
          resolve();
        }
      });
    });
    await service.dispose();
    expect(settled).toBe(true);
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(chip().flashState()).toMatchObject({ pul: false, dul: false });
    expect(value(await service.request('status', {}))).toEqual({ connection: null, job: null });
  });

  it('an unplug mid-write is a clear error and ends the connection', async () => {
    const { service, events } = setup();
    value(await service.request('connect', { probe: { ...V3, faults: ['unplug-after=150'] }, part: 'stm8s103f3' }));
    const r = await service.request('program', { segments: [{ region: 'flash', address: 0x8000, data: pattern(8192, 2) }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('probe-unplugged');
    expect(r.error.remedy).toBeTruthy();
    const lost = events.filter((e) => e.name === 'connectionChanged').at(-1)?.payload as IpcEvents['connectionChanged'];
    expect(lost.connection).toBeNull();
    expect(lost.reason?.code).toBe('probe-unplugged');
    expect(value(await service.request('status', {})).connection).toBeNull();
    expect(await service.request('readRegion', { region: 'flash' })).toMatchObject({ ok: false, error: { code: 'not-connected' } });
  });

  it('keeps the virtual chip between connections (demo mode)', async () => {
    const { service } = setup();
    const data = pattern(128, 4);
    value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    value(await service.request('program', { segments: [{ region: 'eeprom', address: 0x4000, data }] }));
    value(await service.request('disconnect', {}));
    expect(value(await service.request('status', {})).connection).toBeNull();
    value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    const back = value(await service.request('readRegion', { region: 'eeprom', address: 0x4000, length: 128 }));
    expect(same(back.segments[0].data, data)).toBe(true);
  });

  it('says clearly that a probe without SWIM cannot be used', async () => {
    const { service } = setup();
    const r = await service.request('connect', { probe: { kind: 'virtual', variant: 'stlinkv3minie' }, part: 'stm8s103f3' });
    expect(r).toMatchObject({ ok: false, error: { code: 'probe-no-swim' } });
  });
});

describe('option bytes, unlock and diagnostics through the service', () => {
  it('reads option bytes decoded by name', async () => {
    const { service } = setup();
    value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    const r = value(await service.request('readOptionBytes', {}));
    expect(r.readProtected).toBe(false);
    expect(r.raw).toMatchObject({ region: 'option', address: 0x4800 });
    const opt2 = r.bytes.find((b) => b.name === 'OPT2')!;
    expect(opt2).toMatchObject({ address: 0x4803, complementOk: true });
    expect(opt2.fields.map((f) => f.name)).toContain('AFR0');
  });

  it('writes a field with its complement, and refuses an unconfirmed dangerous change before writing', async () => {
    const { service, chip } = setup();
    value(await service.request('connect', { probe: V3, part: 'stm8s103f3' }));
    const w = value(await service.request('writeOptionBytes', { fields: [{ byte: 'OPT2', field: 'AFR0', value: 1 }], confirmations: [] }));
    expect(w.after.bytes.find((b) => b.name === 'OPT2')?.value).toBe(1);
    expect([...chip().peek(0x4803, 2)]).toEqual([0x01, 0xfe]);

    const before = chip().peek(0x4800, 11);
    const refused = await service.request('writeOptionBytes', { fields: [{ byte: 'OPT1', field: 'UBC', value: 2 }], confirmations: ['AFR0'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'confirm-required', details: { confirmations: ['UBC'] } } });
    const rop = await service.request('writeOptionBytes', { raw: [{ address: 0x4800, value: 0xaa }], confirmations: [] });
    expect(rop).toMatchObject({ ok: false, error: { code: 'confirm-required', details: { confirmations: ['ROP'] } } });
    expect(Buffer.from(chip().peek(0x4800, 11)).equals(Buffer.from(before))).toBe(true);

    value(await service.request('writeOptionBytes', { fields: [{ byte: 'OPT1', field: 'UBC', value: 2 }], confirmations: ['UBC'] }));
    expect([...chip().peek(0x4801, 2)]).toEqual([0x02, 0xfd]);
  });

  it('unlocks a read-protected chip: flash erased, protection gone after reconnecting', async () => {
    const { service, chip, events } = setup();
    const c = value(await service.request('connect', { probe: { ...V3, faults: ['rop'] }, part: 'stm8s103f3' }));
    expect(c.readProtected).toBe(true);
    value(await service.request('readRegion', { region: 'flash' }));
    const warnings = events.filter((e) => e.name === 'log' && (e.payload as { level: string }).level === 'warn').map((e) => (e.payload as { message: string }).message);
    expect(warnings.some((m) => /chip is read-out protected/.test(m))).toBe(true);
    expect(warnings.some((m) => /Read-out protection is active.*flash/.test(m))).toBe(true);
    expect(await service.request('unlock', { confirm: 'yes' } as never)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const u = value(await service.request('unlock', { confirm: 'erase-everything' }));
    expect(u).toMatchObject({ method: 'stm8s', wasProtected: true, blank: true, after: { readProtected: false } });
    expect(u.erased).toEqual(expect.arrayContaining(['flash', 'eeprom']));
    expect(u.report.summary).toMatch(/^Removed read-out protection .*erased/);
    expect(chip().isRopActive()).toBe(false);
    expect(chip().peek(0x8000, 8192).every((b) => b === 0)).toBe(true);
  });

  it('after an unlock the connection says ROP is off, in an event and in the status a new page reads', async () => {
    const { service, events } = setup();
    value(await service.request('connect', { probe: { ...V3, faults: ['rop'] }, part: 'stm8s103f3' }));
    expect(value(await service.request('status', {})).connection?.readProtected).toBe(true);
    events.length = 0;
    value(await service.request('unlock', { confirm: 'erase-everything' }));
    const changed = events.filter((e) => e.name === 'connectionChanged').map((e) => e.payload as IpcEvents['connectionChanged']);
    expect(changed).toHaveLength(1);
    expect(changed[0].connection).toMatchObject({ part: 'stm8s103f3', readProtected: false });
    expect(value(await service.request('status', {})).connection?.readProtected).toBe(false);
    // Reading the option bytes again finds nothing new: no second event.
    value(await service.request('readOptionBytes', {}));
    expect(events.filter((e) => e.name === 'connectionChanged')).toHaveLength(1);
  });

  it('runs the diagnostics ladder with live steps, and finds an unpowered target', async () => {
    const { service, events } = setup();
    const ok = value(await service.request('runDiagnostics', { probe: V3, part: 'stm8s103f3' }));
    expect(ok.verdict.severity).not.toBe('error');
    expect(ok.steps.length).toBeGreaterThan(5);
    expect(ok.steps.filter((s) => s.state === 'passed').length).toBeGreaterThan(3);
    expect(ok.markdown).toMatch(/#/);
    const live = events.filter((e) => e.name === 'diagnosticsStep').map((e) => e.payload as { id: string; state: string });
    expect(live.length).toBeGreaterThan(ok.steps.length);
    // The whole ladder is announced first, every step waiting, then the steps change live.
    expect(live.slice(0, ok.steps.length).map((s) => [s.id, s.state])).toEqual(ok.steps.map((s) => [s.id, 'waiting']));

    const bad = value(await service.request('runDiagnostics', { probe: { ...V3, faults: ['no-power'] }, part: 'stm8s103f3' }));
    expect(bad.verdict.severity).toBe('error');
    expect(bad.findings.some((f) => f.severity === 'error' && f.remedies.length > 0)).toBe(true);
  });
});

describe('a virtual probe served on a socket', () => {
  it('is listed and used through the socket transport', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swim-sock-'));
    const path = join(dir, 'probe.sock');
    const served = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', clock: new RealClock() });
    const server = await serveVirtualProbe(served, path);
    const service = new AppService({ host: 'bridge', version: 'test', probes: new AppProbes({ socketPaths: [path] }) });
    open.push(service);
    try {
      const probes = value(await service.request('listProbes', {}));
      const sock = probes.find((p) => p.selection.kind === 'socket');
      expect(sock?.selection).toEqual({ kind: 'socket', path });
      const c = value(await service.request('connect', { probe: sock!.selection, part: 'stm8s103f3' }));
      expect(c.probeFirmware).toBe('V2J37S7');
      expect(c.probe.selection).toEqual({ kind: 'socket', path });
      const data = pattern(64, 8);
      value(await service.request('program', { segments: [{ region: 'eeprom', address: 0x4010, data }] }));
      expect(same(served.target.peek(0x4010, 64), data)).toBe(true);
      value(await service.request('disconnect', {}));
    } finally {
      await service.dispose();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('socket paths a page may name', () => {
  it('opens only the sockets given on the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swim-sock-'));
    const offered = join(dir, 'offered.sock');
    const other = join(dir, 'other.sock');
    // A real server on the other path: refused because it was not offered, not because it is absent.
    const server = await serveVirtualProbe(createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', clock: new RealClock() }), other);
    const service = new AppService({ host: 'bridge', version: 'test', probes: new AppProbes({ socketPaths: [offered] }) });
    open.push(service);
    try {
      for (const path of [other, '/run/docker.sock', `${offered}/../other.sock`]) {
        const c = await service.request('connect', { probe: { kind: 'socket', path }, part: 'stm8s103f3' });
        expect(c).toMatchObject({ ok: false, error: { code: 'socket-not-offered' } });
        const d = await service.request('runDiagnostics', { probe: { kind: 'socket', path }, part: 'stm8s103f3' });
        expect(d).toMatchObject({ ok: false, error: { code: 'socket-not-offered' } });
      }
    } finally {
      await service.dispose();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('files through the service', () => {
  it('splits a file over the part, reports bytes outside it, saves and reopens from disk', async () => {
    const { service } = setup();
    const dir = mkdtempSync(join(tmpdir(), 'swim-files-'));
    try {
      // Flash at 0x8000, EEPROM at 0x4000, and 4 bytes at 0xA000 (past the 8 KB flash of stm8s103f3).
      const hex = [':048000000102030472', ':02400000AABB59', ':04A00000DEADBEEF24', ':00000001FF', ''].join('\n');
      const loaded = value(await service.request('loadFileBytes', { name: 'fw.hex', bytes: new TextEncoder().encode(hex), part: 'stm8s103f3' }));
      expect(loaded.format).toBe('ihex');
      expect(loaded.segments.map((s) => [s.region, s.address, [...s.data]])).toEqual([
        ['flash', 0x8000, [1, 2, 3, 4]],
        ['eeprom', 0x4000, [0xaa, 0xbb]],
      ]);
      expect(loaded.outside).toEqual([{ start: 0xa000, end: 0xa003 }]);
      expect(loaded.totalBytes).toBe(10);

      const path = join(dir, 'out.s19');
      // The page may only name paths the user chose (dialog, recent files, the OS): not this one yet.
      expect(await service.request('saveFile', { segments: loaded.segments, format: 'srec', path })).toMatchObject({ ok: false, error: { code: 'path-not-allowed' } });
      expect(await service.request('openFile', { path: '/etc/passwd', part: 'stm8s103f3' })).toMatchObject({ ok: false, error: { code: 'path-not-allowed' } });
      // Nor can it smuggle a path in as a "recent file".
      expect(await service.request('setSettings', { recentFiles: ['/etc/passwd'] })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
      expect(await service.request('openFile', { path: '/etc/passwd', part: 'stm8s103f3' })).toMatchObject({ ok: false, error: { code: 'path-not-allowed' } });
      // A path handed over by the host may be opened, never overwritten: only a save dialog grants that.
      service.allowPath(path);
      expect(await service.request('saveFile', { segments: loaded.segments, format: 'srec', path })).toMatchObject({ ok: false, error: { code: 'path-not-allowed' } });
      expect(existsSync(path)).toBe(false);
      // Without dialogs (the bridge) a save is a download: the page gets the bytes.
      const download = value(await service.request('saveFile', { segments: loaded.segments, format: 'srec', suggestedName: 'out.s19' }));
      expect(download).toMatchObject({ name: 'out.s19' });
      writeFileSync(path, download!.bytes!);
      expect(readFileSync(path, 'utf8')).toMatch(/^S0/);
      const reopened = value(await service.request('openFile', { path, part: 'stm8s103f3' }));
      expect(reopened?.segments.map((s) => [s.region, s.address, s.data.length])).toEqual([
        ['flash', 0x8000, 4],
        ['eeprom', 0x4000, 2],
      ]);
      expect(value(await service.request('getSettings', {})).recentFiles[0]).toBe(path);

      writeFileSync(join(dir, 'bad.hex'), ':04800000010203047\n');
      service.allowPath(join(dir, 'bad.hex'));
      const bad = await service.request('openFile', { path: join(dir, 'bad.hex'), part: 'stm8s103f3' });
      expect(bad).toMatchObject({ ok: false, error: { message: expect.stringMatching(/bad\.hex/) } });
      expect(await service.request('openFile', {})).toMatchObject({ ok: false, error: { code: 'not-supported' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with native dialogs (Electron): open and save through them; cancelling is null, not an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swim-dialog-'));
    try {
      const hexPath = join(dir, 'picked.hex');
      writeFileSync(hexPath, ':048000000102030472\n:00000001FF\n');
      let answer: string | null = hexPath;
      const proposed: string[] = [];
      const service = new AppService({
        host: 'electron',
        version: 'test',
        probes: new AppProbes({ virtualClock: () => new VirtualClock() }),
        // The OS dialog cannot open in a test: this stands in for the user's choice (accepting the proposed name).
        dialogs: {
          pickOpenPath: async () => answer,
          pickSavePath: async (name) => {
            proposed.push(name);
            return answer === null ? null : isAbsolute(name) ? name : join(dir, name);
          },
        },
      });
      open.push(service);
      const opened = value(await service.request('openFile', { part: 'stm8s103f3' }));
      expect(opened).toMatchObject({ name: 'picked.hex', path: hexPath, segments: [{ region: 'flash', address: 0x8000 }] });
      // Opening grants no right to overwrite: "Save" to the opened file asks first, proposing that file;
      // cancelling leaves it untouched.
      const edited = [{ ...opened!.segments[0], data: new Uint8Array([9, 9, 9, 9]) }];
      answer = null;
      expect(await service.request('saveFile', { segments: edited, format: 'ihex', path: hexPath })).toEqual({ ok: true, value: null });
      expect(proposed).toEqual([hexPath]);
      expect(readFileSync(hexPath, 'utf8')).toBe(':048000000102030472\n:00000001FF\n');
      answer = hexPath;
      expect(value(await service.request('saveFile', { segments: edited, format: 'ihex', path: hexPath }))).toMatchObject({ path: hexPath });
      expect(readFileSync(hexPath, 'utf8')).toMatch(/^:0480000009090909/);
      // Once chosen in the save dialog, the same file is saved again without asking.
      expect(value(await service.request('saveFile', { segments: opened!.segments, format: 'ihex', path: hexPath }))).toMatchObject({ path: hexPath });
      expect(proposed).toEqual([hexPath, hexPath]);
      const saved = value(await service.request('saveFile', { segments: opened!.segments, format: 'bin', suggestedName: 'copy.bin' }));
      expect(saved?.path).toBe(join(dir, 'copy.bin'));
      expect([...readFileSync(join(dir, 'copy.bin'))]).toEqual([1, 2, 3, 4]);
      answer = null;
      expect(await service.request('openFile', {})).toEqual({ ok: true, value: null });
      expect(await service.request('saveFile', { segments: opened!.segments, format: 'ihex' })).toEqual({ ok: true, value: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the file: placed again over another part (with the bytes that fall outside), or for a reloaded page', async () => {
    const { service, events } = setup();
    expect(value(await service.request('reopenFile', { part: 'stm8s103f3' }))).toBeNull();
    // Flash at 0x8000 and 0xA000: both inside the 32 KB of an STM8S105C6, not the 8 KB of an STM8S103F3.
    const hex = [':048000000102030472', ':04A00000DEADBEEF24', ':00000001FF', ''].join('\n');
    const first = value(await service.request('loadFileBytes', { name: 'fw.hex', bytes: new TextEncoder().encode(hex), part: 'stm8s105c6' }));
    expect(first.outside).toEqual([]);
    events.length = 0;
    const again = value(await service.request('reopenFile', { part: 'stm8s103f3' }));
    expect(again).toMatchObject({ name: 'fw.hex', part: 'stm8s103f3', outside: [{ start: 0xa000, end: 0xa003 }] });
    expect(again?.segments.map((s) => [s.region, s.address, [...s.data]])).toEqual([['flash', 0x8000, [1, 2, 3, 4]]]);
    const logged = events.filter((e) => e.name === 'log').map((e) => (e.payload as { message: string }).message);
    expect(logged.some((m) => /Placed fw\.hex into flash of stm8s103f3/.test(m))).toBe(true);
    expect(logged.some((m) => /outside every memory of stm8s103f3: 0xA000–0xA003/.test(m))).toBe(true);
    // A reloaded page asking for the same part gets the same bytes, and the log is not repeated.
    events.length = 0;
    const reload = value(await service.request('reopenFile', { part: 'stm8s103f3' }));
    expect(reload?.segments).toEqual(again?.segments);
    expect(events.filter((e) => e.name === 'log')).toHaveLength(0);
    expect(await service.request('reopenFile', { part: 'stm8nope' })).toMatchObject({ ok: false, error: { code: 'unknown-part' } });
  });

  it('needs a part to place a file', async () => {
    const { service } = setup();
    expect(await service.request('loadFileBytes', { name: 'a.bin', bytes: new Uint8Array(4) })).toMatchObject({ ok: false, error: { code: 'part-required' } });
  });
});
