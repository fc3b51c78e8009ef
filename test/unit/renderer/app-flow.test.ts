// @vitest-environment happy-dom
/**
 * The renderer's stores and commands against the real app service in-process: start-up,
 * opening files into tabs, outside bytes reported, edits tracked in the title, saving, part
 * changes, and actions refused with a reason when there is no target.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from '../../../src/renderer/src/app/bootstrap';
import { connect, selectPart } from '../../../src/renderer/src/app/commands';
import { useMemoryStore } from '../../../src/renderer/src/stores/memory';
import { usePartStore } from '../../../src/renderer/src/stores/part';
import { useConnectionStore } from '../../../src/renderer/src/stores/connection';
import { useFilesStore } from '../../../src/renderer/src/stores/files';
import { useJobsStore } from '../../../src/renderer/src/stores/jobs/store';
import { useLogStore } from '../../../src/renderer/src/stores/log';
import { useUiStore } from '../../../src/renderer/src/stores/ui';
import { MemoryImage as FileImage, parseSrec, writeIntelHex } from '#shared/image/index';
import type { AppService } from '../../../src/main/service/app-service';
import { inProcessApi, newService } from './in-process-api';

// happy-dom gives import.meta.url an http scheme: find the fixture from the project root.
const blink = readFileSync(join(process.cwd(), 'test/fixtures/image/blink.ihx'));

let service: AppService;
let dirtyCalls: { dirty: boolean; title?: string }[];

beforeEach(async () => {
  setActivePinia(createPinia());
  dirtyCalls = [];
  service = newService((dirty, title) => dirtyCalls.push({ dirty, title }));
  await bootstrap(inProcessApi(service));
});
afterEach(async () => {
  await service.dispose();
});

/** Lets queued events and promise chains settle. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('start-up', () => {
  it('loads the catalogue, the probes and a default part, and builds its tabs', async () => {
    const ui = useUiStore();
    const part = usePartStore();
    const memory = useMemoryStore();
    const conn = useConnectionStore();
    expect(ui.startupError).toBeNull();
    expect(ui.ready).toBe(true);
    expect(part.displayName).toBe('STM8S103F3');
    expect(part.choices.length).toBeGreaterThan(100);
    expect(memory.areas).toEqual(['flash', 'eeprom', 'ram', 'option']);
    expect(memory.buffer('flash')!.start).toBe(0x8000);
    expect(memory.buffer('flash')!.size).toBe(8192);
    expect(memory.buffer('eeprom')!.start).toBe(0x4000);
    expect(conn.probes.some((p) => p.selection.kind === 'virtual')).toBe(true);
    expect(conn.selected).not.toBeNull();
    // The fault list arrives after the window is up.
    await vi.waitFor(() => expect(conn.faults.map((f) => f.name)).toContain('unplug-after'));
    expect(document.title).toBe('Untitled (STM8S103F3) — SWIM Studio');
  });

  it('shows a clear error instead of the app when there is no backend', async () => {
    setActivePinia(createPinia());
    await bootstrap(null);
    const ui = useUiStore();
    expect(ui.startupError?.code).toBe('no-backend');
    expect(ui.startupError?.remedy).toMatch(/swim-studio ui/);
  });
});

describe('files', () => {
  it('puts a hex file’s bytes into the flash and EEPROM tabs, and the name in the title', async () => {
    const files = useFilesStore();
    const memory = useMemoryStore();
    const notice = await files.openBytes('blink.ihx', new Uint8Array(blink));
    const flash = memory.buffer('flash')!;
    const eeprom = memory.buffer('eeprom')!;
    expect(notice.counts.flash).toBeGreaterThan(16);
    expect(notice.counts.eeprom).toBe(1);
    expect(notice.outsideBytes).toBe(0);
    expect(flash.state).toBe('loaded');
    expect(flash.fileName).toBe('blink.ihx');
    expect(Array.from(flash.edited.subarray(0, 4))).toEqual([0x82, 0x00, 0x80, 0x80]);
    expect(flash.edited[0x90]).toBe(0x26);
    expect(eeprom.edited[0]).toBe(0x42);
    expect(memory.buffer('ram')!.state).toBe('empty');
    await settle();
    expect(document.title).toBe('blink.ihx (STM8S103F3) — SWIM Studio');
    expect(useLogStore().lines.some((l) => l.source === 'main' && l.message.startsWith('Opened blink.ihx'))).toBe(true);
  });

  it('reports bytes outside the part’s memories instead of dropping them silently', async () => {
    const img = FileImage.fromSegments('test', [
      { address: 0x8000, data: Uint8Array.of(1, 2, 3, 4) },
      { address: 0xa000, data: new Uint8Array(32).fill(7) }, // past the 8 KB flash of an STM8S103F3
    ]);
    const text = writeIntelHex(img);
    const notice = await useFilesStore().openBytes('too-big.hex', new TextEncoder().encode(text));
    expect(notice.counts.flash).toBe(4);
    expect(notice.outsideBytes).toBe(32);
    expect(notice.outside).toEqual([{ start: 0xa000, end: 0xa01f }]);
    await settle();
    const warn = useLogStore().lines.find((l) => l.level === 'warn' && l.message.includes('too-big.hex'));
    expect(warn?.message).toMatch(/0x0*A000/i);
  });

  it('refuses a corrupt file with the reason, leaving the tabs untouched', async () => {
    const memory = useMemoryStore();
    await expect(useFilesStore().openBytes('bad.hex', new TextEncoder().encode(':10800000ZZ\n'))).rejects.toMatchObject({ code: expect.any(String) });
    expect(memory.buffer('flash')!.state).toBe('empty');
    expect(memory.fileName).toBeNull();
    // The window says so (not only the log).
    expect(useFilesStore().openError?.name).toBe('bad.hex');
    expect(useFilesStore().openError?.message.length).toBeGreaterThan(10);
  });

  it('tracks hand edits in the title and tells main, and saves all tabs as S19 that reads back the same', async () => {
    const files = useFilesStore();
    const memory = useMemoryStore();
    await files.openBytes('blink.ihx', new Uint8Array(blink));
    memory.setByte('flash', 0x100, 0xa5);
    await settle();
    expect(memory.dirty).toBe(true);
    expect(document.title.startsWith('● blink.ihx')).toBe(true);
    expect(dirtyCalls.at(-1)).toEqual({ dirty: true, title: document.title });

    let saved: Blob | null = null;
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      saved = b as Blob;
      return 'blob:saved';
    });
    try {
      const name = await files.save('all', 'srec');
      expect(name).toBe('blink.s19');
    } finally {
      create.mockRestore();
    }
    expect(saved).not.toBeNull();
    const back = parseSrec('blink.s19', new Uint8Array(await saved!.arrayBuffer()));
    expect(back.byteAt(0x8100)).toBe(0xa5);
    expect(back.toBytes(0x8000, 0x8003)).toEqual(Uint8Array.of(0x82, 0x00, 0x80, 0x80));
    expect(back.byteAt(0x4000)).toBe(0x42);
    await settle();
    expect(memory.dirty).toBe(false);
    expect(document.title).toBe('blink.s19 (STM8S103F3) — SWIM Studio');
  });

  it('refuses to save several tabs as one .bin, with a way out', async () => {
    const files = useFilesStore();
    await files.openBytes('blink.ihx', new Uint8Array(blink));
    await expect(files.save('all', 'bin')).rejects.toMatchObject({ code: 'bin-one-area' });
  });
});

describe('parts and actions', () => {
  it('rebuilds the tabs for another part', async () => {
    expect(await selectPart('stm8s208rb')).toBe(true);
    const flash = useMemoryStore().buffer('flash')!;
    expect(flash.size).toBe(128 * 1024);
    expect(flash.end).toBe(0x27fff);
    expect(usePartStore().displayName).toBe('STM8S208RB');
  });

  it('says why an unknown part cannot be picked, and keeps the current one', async () => {
    expect(await selectPart('stm8s999zz')).toBe(false);
    const part = usePartStore();
    expect(part.error?.code).toBe('unknown-part');
    expect(part.displayName).toBe('STM8S103F3');
  });

  it('programs "all tabs" as the tabs that hold something, never a blank EEPROM image', async () => {
    const conn = useConnectionStore();
    conn.selectedId = 'virtual:stlinkv3';
    await connect();
    expect(conn.connection?.part).toBeTruthy();
    const flashOnly = FileImage.fromSegments('app', [{ address: 0x8000, data: Uint8Array.of(0x82, 0x00, 0x80, 0x80) }]);
    await useFilesStore().openBytes('app.hex', new TextEncoder().encode(writeIntelHex(flashOnly)));
    const memory = useMemoryStore();
    expect(memory.buffer('eeprom')!.state).toBe('empty');
    const o = await useJobsStore().run('program', 'all');
    expect(o.ok, o.message).toBe(true);
    expect(o.message).toMatch(/of flash/);
    expect(o.message).not.toMatch(/EEPROM/i);
    expect(memory.buffer('flash')!.state).toBe('verified');
    expect(memory.buffer('eeprom')!.state).toBe('empty');
  });

  it('writes the RAM tab through writeRam and reads it back', async () => {
    const conn = useConnectionStore();
    conn.selectedId = 'virtual:stlinkv3';
    await connect();
    const memory = useMemoryStore();
    const jobs = useJobsStore();
    memory.paste('ram', 0x100, Uint8Array.of(0xca, 0xfe));
    const wrote = await jobs.run('program', 'ram');
    expect(wrote.ok, wrote.message).toBe(true);
    expect(wrote.message).toMatch(/RAM/);
    memory.fill('ram', 0x100, 0x101, 0);
    const read = await jobs.run('read', 'ram');
    expect(read.ok, read.message).toBe(true);
    expect(Array.from(memory.buffer('ram')!.edited.subarray(0x100, 0x102))).toEqual([0xca, 0xfe]);
    expect(memory.buffer('ram')!.state).toBe('read');
  });

  it('programs an edited option byte from the Option bytes tab, complement and all', async () => {
    const conn = useConnectionStore();
    conn.selectedId = 'virtual:stlinkv3';
    await connect();
    const memory = useMemoryStore();
    const jobs = useJobsStore();
    expect(jobs.blocker('program', 'option')).toMatch(/Read the option bytes/);
    const read = await jobs.run('read', 'option');
    expect(read.ok, read.message).toBe(true);
    expect(memory.optionReading?.bytes.length).toBeGreaterThan(3);
    // OPT2 (AFR, 0x4803) on an STM8S103: alternate functions, not a dangerous field.
    memory.setByte('option', 0x03, 0x01);
    const wrote = await jobs.run('program', 'option');
    expect(wrote.ok, wrote.message).toBe(true);
    const opt = memory.buffer('option')!;
    expect(opt.device![0x03]).toBe(0x01);
    expect(opt.device![0x04]).toBe(0xfe); // NOPT2 written by main
    expect(opt.differenceCount()).toBe(0);
  });

  it('refuses actions without a target, with the reason in words', async () => {
    const jobs = useJobsStore();
    expect(jobs.blocker('program', 'flash')).toBe('Connect to a target first.');
    const o = await jobs.run('read', 'all');
    expect(o.ok).toBe(false);
    expect(o.message).toBe('Connect to a target first.');
    expect(jobs.outcome).toEqual(o);
  });
});
