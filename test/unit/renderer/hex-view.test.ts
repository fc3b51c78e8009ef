// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { markRaw, nextTick } from 'vue';
import HexView from '../../../src/renderer/src/components/memory/HexView.vue';
import { MemoryImage } from '../../../src/renderer/src/lib/memory-image';

/** A 128 KB flash image (the largest STM8 flash), with a recognisable pattern. */
function bigFlash(): MemoryImage {
  const img = markRaw(new MemoryImage('flash', 0x8000, 128 * 1024));
  for (let i = 0; i < img.size; i++) img.edited[i] = i & 0xff;
  return img;
}

/** Mounts the view with the store's job done by hand: edits land in the image, revision bumps. */
function mountView(img: MemoryImage) {
  const wrapper = mount(HexView, { props: { image: img, revision: 0 }, attachTo: document.body });
  const bump = async (): Promise<void> => {
    await wrapper.setProps({ revision: img.revision });
  };
  return { wrapper, bump };
}

const rowsOf = (w: ReturnType<typeof mount>) => w.findAll('.hex-row');
/** A byte's cell: its row carries the row number, the cell its column. */
const cell = (w: ReturnType<typeof mount>, offset: number, pane: 'h' | 'a' = 'h') =>
  w.find(`[data-row="${Math.floor(offset / 16)}"] .${pane === 'h' ? 'b' : 'c'}[data-i="${offset % 16}"]`);

describe('the hex view', () => {
  it('renders only a screenful of rows for a 128 KB flash, addressed from the area start', () => {
    const { wrapper } = mountView(bigFlash());
    const rows = rowsOf(wrapper);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(60); // of 8192
    expect(rows[0].find('.hex-addr').text()).toBe('0x008000');
    expect(rows[1].find('.hex-addr').text()).toBe('0x008010');
    expect(cell(wrapper, 0x41).text()).toBe('41');
    expect(cell(wrapper, 0x41, 'a').text()).toBe('A');
    expect(cell(wrapper, 0x00, 'a').text()).toBe('.');
    // The spacer gives the scrollbar the height of all 8192 rows.
    expect(wrapper.find('.hex-space').attributes('style')).toContain(`height: ${8192 * 22}px`);
    wrapper.unmount();
  });

  it('goes to an address far down, renders that row, and refuses addresses outside the area', async () => {
    const img = bigFlash();
    const { wrapper } = mountView(img);
    const vm = wrapper.vm as unknown as { goTo(a: number): string | null };
    expect(vm.goTo(0x27ff0)).toBeNull();
    await nextTick();
    const addresses = rowsOf(wrapper).map((r) => r.find('.hex-addr').text());
    expect(addresses).toContain('0x027FF0');
    expect(addresses).not.toContain('0x008000');
    expect(cell(wrapper, 0x27ff0 - 0x8000).classes()).toContain('cur');
    expect(vm.goTo(0x7fff)).toMatch(/outside 0x008000–0x027FFF/);
    wrapper.unmount();
  });

  it('types two hex digits into a byte and moves on; marks edited bytes', async () => {
    const img = bigFlash();
    const { wrapper, bump } = mountView(img);
    await cell(wrapper, 0x20).trigger('mousedown', { button: 0 });
    const grid = wrapper.find('[data-testid="hex-view"]');
    await grid.trigger('keydown', { key: 'c' });
    await grid.trigger('keydown', { key: '3' });
    const edits = wrapper.emitted('edit') as [number, number][];
    expect(edits).toEqual([
      [0x20, 0xc0], // first digit: high nibble over the old 0x20
      [0x20, 0xc3],
    ]);
    // The parent applies it (as the memory store does) and the view shows the mark.
    img.setByte(0x20, 0xc3);
    await bump();
    expect(cell(wrapper, 0x20).text()).toBe('C3');
    expect(cell(wrapper, 0x20).classes()).toContain('ed');
    expect(cell(wrapper, 0x21).classes()).toContain('cur');
    wrapper.unmount();
  });

  it('types characters in the ASCII column after Tab', async () => {
    const img = bigFlash();
    const { wrapper } = mountView(img);
    const grid = wrapper.find('[data-testid="hex-view"]');
    await grid.trigger('keydown', { key: 'Tab' });
    await grid.trigger('keydown', { key: 'Z' });
    await grid.trigger('keydown', { key: '!' });
    expect(wrapper.emitted('edit')).toEqual([
      [0, 0x5a],
      [1, 0x21],
    ]);
    wrapper.unmount();
  });

  it('marks bytes that differ from the chip', async () => {
    const img = bigFlash();
    const chip = img.edited.slice();
    chip[5] ^= 0xff;
    img.device = chip;
    img.revision++;
    const { wrapper } = mountView(img);
    expect(cell(wrapper, 5).classes()).toContain('df');
    expect(cell(wrapper, 6).classes()).not.toContain('df');
    wrapper.unmount();
  });

  it('selects with Shift+arrows and copies the selection as hex text', async () => {
    const img = bigFlash();
    const { wrapper } = mountView(img);
    const grid = wrapper.find('[data-testid="hex-view"]');
    await grid.trigger('keydown', { key: 'ArrowRight', shiftKey: true });
    await grid.trigger('keydown', { key: 'ArrowRight', shiftKey: true });
    const vm = wrapper.vm as unknown as { copySelection(): string };
    expect(vm.copySelection()).toBe('00 01 02');
    expect(cell(wrapper, 1).classes()).toContain('sel');
    expect(cell(wrapper, 3).classes()).not.toContain('sel');
    wrapper.unmount();
  });

  it('finds a byte sequence after the cursor and selects it; reports when there is none', async () => {
    const img = bigFlash();
    img.edited.set([0xde, 0xad, 0xbe, 0xef], 0x1234);
    const { wrapper } = mountView(img);
    const vm = wrapper.vm as unknown as { find(b: Uint8Array): boolean; copySelection(): string };
    expect(vm.find(Uint8Array.of(0xde, 0xad, 0xbe, 0xef))).toBe(true);
    expect(vm.copySelection()).toBe('DE AD BE EF');
    expect(vm.find(Uint8Array.of(0x12, 0x34, 0x56, 0x78))).toBe(false);
    wrapper.unmount();
  });

  it('pastes hex text at the cursor, and refuses text that is not hex', async () => {
    const img = bigFlash();
    const { wrapper } = mountView(img);
    const vm = wrapper.vm as unknown as { pasteText(t: string): void };
    vm.pasteText('AA BB');
    expect(wrapper.emitted('paste')).toEqual([[0, Uint8Array.of(0xaa, 0xbb)]]);
    vm.pasteText('hello');
    expect(wrapper.emitted('paste')).toHaveLength(1);
    expect((wrapper.emitted('notice') as string[][]).at(-1)![0]).toMatch(/Nothing pasted/);
    wrapper.unmount();
  });

  it('does not edit while read-only (a job is writing the chip)', async () => {
    const img = bigFlash();
    const wrapper = mount(HexView, { props: { image: img, revision: 0, readonly: true }, attachTo: document.body });
    await wrapper.find('[data-testid="hex-view"]').trigger('keydown', { key: 'a' });
    expect(wrapper.emitted('edit')).toBeUndefined();
    wrapper.unmount();
  });
});
