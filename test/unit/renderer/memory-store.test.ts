/**
 * The memory store's signal to the views: every change to an image must be a change Vue can
 * see, including the first file opened after start-up (issue 12: the Flash tab stayed
 * "Blank image" because the fresh image's revision equalled the old signal).
 */
import { describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useMemoryStore } from '../../../src/renderer/src/stores/memory';
import type { RegionInfo } from '#shared/ipc';

const STM8S103F3: RegionInfo[] = [
  { region: 'flash', start: 0x8000, size: 8192, end: 0x9fff },
  { region: 'eeprom', start: 0x4000, size: 640, end: 0x427f },
];

describe('the memory store', () => {
  it('signals a file opened right after the tabs were built', () => {
    setActivePinia(createPinia());
    const memory = useMemoryStore();
    memory.reset(STM8S103F3);
    const before = { ...memory.revisions };
    const notice = memory.applyFile({
      name: 'fw.hex',
      format: 'ihex',
      segments: [{ region: 'flash', address: 0x8000, data: Uint8Array.of(0x82, 0, 0x80, 0x80) }],
      outside: [],
      totalBytes: 4,
      part: 'stm8s103f3',
    });
    expect(notice.counts).toEqual({ flash: 4 });
    expect(memory.revisions.flash).not.toBe(before.flash);
    // The EEPROM tab was not touched by the file: no redraw needed there.
    expect(memory.revisions.eeprom).toBe(before.eeprom);
    expect(memory.buffer('flash')?.state).toBe('loaded');
  });

  it('signals every later change too, one new number each', () => {
    setActivePinia(createPinia());
    const memory = useMemoryStore();
    memory.reset(STM8S103F3);
    const seen = new Set([memory.revisions.flash]);
    memory.setByte('flash', 0, 1);
    seen.add(memory.revisions.flash);
    memory.fill('flash', 0, 3, 2);
    seen.add(memory.revisions.flash);
    memory.forgetDevice();
    seen.add(memory.revisions.flash);
    expect(seen.size).toBe(4);
  });
});
