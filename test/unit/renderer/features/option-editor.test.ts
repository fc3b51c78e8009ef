// @vitest-environment happy-dom
/**
 * The option-byte editor against the real app service and a virtual stm8s103f3: read, change
 * fields through their controls (changed rows highlighted), the write summary with the second
 * confirmation for dangerous changes, the write and the read-back, factory defaults.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import OptionBytesEditor from '../../../../src/renderer/src/features/option-bytes/OptionBytesEditor.vue';
import { useOptionEditorStore } from '../../../../src/renderer/src/features/option-bytes/store';
import { useConnectionStore } from '../../../../src/renderer/src/stores/connection';
import { connectVirtual, settle, startRenderer, type Started } from './helpers';

let s: Started;
let w: VueWrapper;
const T = (id: string) => `[data-testid="${id}"]`;

beforeEach(async () => {
  s = await startRenderer();
  w = mount(OptionBytesEditor, { global: { plugins: [s.pinia] }, attachTo: document.body });
});
afterEach(async () => {
  w.unmount();
  await s.service.dispose();
});

async function readFromChip(): Promise<void> {
  await w.find(T('ob-read')).trigger('click');
  await vi.waitFor(() => expect(w.find(T('ob-outcome')).exists()).toBe(true), { timeout: 10_000 });
  expect(w.find(T('ob-outcome')).attributes('data-kind')).toBe('ok');
}

describe('option-byte editor', () => {
  it('offers nothing to write before a connection, and starts from factory defaults', async () => {
    expect(w.find(T('ob-empty')).exists()).toBe(true);
    expect(w.find(T('ob-read')).attributes('disabled')).toBeDefined();
    await w.find(T('ob-factory')).trigger('click');
    expect(w.find(T('ob-empty')).exists()).toBe(false);
    // Generated from the catalogue: six option bytes on the STM8S103F3, fields by name.
    expect(w.findAll('[data-testid^="ob-byte-"]').map((e) => e.attributes('data-testid'))).toEqual([
      'ob-byte-OPT0',
      'ob-byte-OPT1',
      'ob-byte-OPT2',
      'ob-byte-OPT3',
      'ob-byte-OPT4',
      'ob-byte-OPT5',
    ]);
    expect(w.find(T('ob-raw-OPT3')).text()).toBe('0x00 / 0xFF');
    expect((w.find(T('ob-input-IWDG_HW')).element as HTMLInputElement).type).toBe('checkbox');
    expect(w.find(T('ob-input-HSECNT')).element.tagName).toBe('SELECT');
    expect((w.find(T('ob-input-UBC')).element as HTMLInputElement).type).toBe('number');
  });

  it('changes IWDG_HW and AFR0, confirms the watchdog change, writes and reads them back', async () => {
    await connectVirtual('stm8s103f3');
    expect(useConnectionStore().connection).not.toBeNull();
    await readFromChip();
    expect(w.find(T('ob-chip-raw-OPT3')).text()).toBe('0x00 / 0xFF');
    expect(w.find(T('ob-pair-OPT3')).text()).toBe('pair intact');

    await w.find(T('ob-input-IWDG_HW')).setValue(true);
    await w.find(T('ob-input-AFR0')).setValue(true);
    expect(w.find(T('ob-field-IWDG_HW')).attributes('data-changed')).toBe('true');
    expect(w.find(T('ob-field-AFR0')).attributes('data-changed')).toBe('true');
    expect(w.find(T('ob-field-WWDG_HW')).attributes('data-changed')).toBe('false');
    expect(w.find(T('ob-changed-count')).text()).toBe('2 fields changed');
    // The complement follows the edit, so the pair Write sends stays intact.
    expect(w.find(T('ob-raw-OPT3')).text()).toBe('0x04 / 0xFB');
    expect(w.find(T('ob-field-IWDG_HW')).text()).toContain('IWDG started by hardware at reset');
    expect(w.find(T('ob-chip-IWDG_HW')).text()).toContain('IWDG started by software');

    await w.find(T('ob-write')).trigger('click');
    await vi.waitFor(() => expect(w.find(T('ob-write-dialog')).exists()).toBe(true));
    const summary = w.find(T('ob-write-summary')).text();
    expect(summary).toContain('OPT3.IWDG_HW');
    expect(summary).toContain('OPT2.AFR0');
    // The watchdog needs the second confirmation; the AFR bit does not.
    expect(w.find(T('ob-danger-IWDG_HW')).text()).toMatch(/cannot be stopped/);
    expect(w.find(T('ob-danger-AFR0')).exists()).toBe(false);
    expect(w.find(T('ob-write-confirm')).attributes('disabled')).toBeDefined();
    await w.find(T('ob-confirm-IWDG_HW')).setValue(true);
    expect(w.find(T('ob-write-confirm')).attributes('disabled')).toBeUndefined();
    await w.find(T('ob-write-confirm')).trigger('click');
    await vi.waitFor(() => expect(w.find(T('ob-write-dialog')).exists()).toBe(false), { timeout: 10_000 });
    expect(w.find(T('ob-outcome')).attributes('data-kind')).toBe('ok');
    expect(w.find(T('ob-outcome')).text()).toMatch(/read them back/);

    // A fresh read from the chip shows the new values.
    await readFromChip();
    expect(w.find(T('ob-chip-raw-OPT3')).text()).toBe('0x04 / 0xFB');
    expect(w.find(T('ob-chip-raw-OPT2')).text()).toBe('0x01 / 0xFE');
    expect(w.find(T('ob-field-IWDG_HW')).attributes('data-changed')).toBe('false');
    expect(w.find(T('ob-chip-IWDG_HW')).text()).toContain('IWDG started by hardware at reset');
  });

  it('shows the ROP consequence and writes nothing when the user cancels', async () => {
    await connectVirtual('stm8s103f3');
    await readFromChip();
    const rop = w.find(T('ob-input-ROP'));
    await rop.setValue('170'); // 0xAA
    await w.find(T('ob-write')).trigger('click');
    await vi.waitFor(() => expect(w.find(T('ob-danger-ROP')).exists()).toBe(true));
    expect(w.find(T('ob-danger-ROP')).text()).toMatch(/can no longer be read or debugged/);
    await w.find(T('ob-write-cancel')).trigger('click');
    expect(w.find(T('ob-write-dialog')).exists()).toBe(false);
    await readFromChip();
    // ROP has no complement byte on the STM8S (0x4801 is OPT1).
    expect(w.find(T('ob-chip-raw-OPT0')).text()).toBe('0x00');
  });

  it('shows a pair broken on the chip, locks its fields, and writes it back whole from the factory value', async () => {
    // The virtual chip's OPT3/NOPT3 = 0x00/0xFE: a broken pair.
    await connectVirtual('stm8s103f3', ['bad-complement']);
    await readFromChip();
    expect(w.find(T('ob-pair-OPT3')).text()).toBe('pair broken');
    expect(w.find(T('ob-repair-OPT3')).text()).toMatch(/disagree on the chip.*next reset/s);
    expect(w.find(T('ob-repair-OPT2')).exists()).toBe(false);
    expect(w.find(T('ob-input-IWDG_HW')).attributes('disabled')).toBeDefined();
    expect(w.find(T('ob-input-AFR0')).attributes('disabled')).toBeUndefined();
    expect(w.find(T('ob-repair-last-OPT3')).text()).toBe('Last good value 0x01');

    // Write waits for a choice: it says why and opens no dialog.
    await w.find(T('ob-input-AFR0')).setValue(true);
    await w.find(T('ob-write')).trigger('click');
    await settle();
    expect(w.find(T('ob-write-dialog')).exists()).toBe(false);
    expect(w.find(T('ob-outcome')).attributes('data-kind')).toBe('err');
    expect(w.find(T('ob-outcome')).text()).toMatch(/OPT3.*factory value or the last good value/s);

    await w.find(T('ob-repair-factory-OPT3')).trigger('click');
    expect(w.find(T('ob-repair-OPT3')).exists()).toBe(false);
    expect(w.find(T('ob-raw-OPT3')).text()).toBe('0x00 / 0xFF');
    expect(w.find(T('ob-input-IWDG_HW')).attributes('disabled')).toBeUndefined();
    await w.find(T('ob-write')).trigger('click');
    await vi.waitFor(() => expect(w.find(T('ob-write-dialog')).exists()).toBe(true));
    expect(w.find(T('ob-write-repairs')).text()).toContain('OPT3 = 0x00');
    await w.find(T('ob-write-confirm')).trigger('click');
    await vi.waitFor(() => expect(w.find(T('ob-write-dialog')).exists()).toBe(false), { timeout: 10_000 });
    expect(w.find(T('ob-outcome')).attributes('data-kind')).toBe('ok');

    await readFromChip();
    expect(w.find(T('ob-chip-raw-OPT3')).text()).toBe('0x00 / 0xFF');
    expect(w.find(T('ob-pair-OPT3')).text()).toBe('pair intact');
    expect(w.find(T('ob-chip-raw-OPT2')).text()).toBe('0x01 / 0xFE');
  });

  it('says so when there is nothing to write, and reverts edits to the chip values', async () => {
    await connectVirtual('stm8s103f3');
    await readFromChip();
    const ed = useOptionEditorStore();
    await ed.prepareWrite();
    expect(ed.plan).toBeNull();
    expect(ed.outcome?.message).toMatch(/nothing to write/);
    ed.setField('OPT5', 'HSECNT', 0xb4);
    await settle();
    expect(ed.changedFields).toBe(1);
    ed.revert();
    expect(ed.changedFields).toBe(0);
  });
});
