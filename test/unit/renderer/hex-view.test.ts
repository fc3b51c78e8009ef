// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { markRaw, nextTick } from 'vue';
import HexView from '../../../src/renderer/src/components/memory/HexView.vue';
import { AreaBuffer } from '../../../src/renderer/src/lib/area-buffer';
import { hexCharOf } from '../../../src/renderer/src/lib/hex-runs';

/** A 128 KB flash image (the largest STM8 flash), with a recognisable pattern. */
function bigFlash(): AreaBuffer {
  const img = markRaw(new AreaBuffer('flash', 0x8000, 128 * 1024));
  for (let i = 0; i < img.size; i++) img.edited[i] = i & 0xff;
  return img;
}

/** Mounts the view with the store's job done by hand: edits land in the image, revision bumps. */
function mountView(img: AreaBuffer) {
  const wrapper = mount(HexView, { props: { buffer: img, revision: 0 }, attachTo: document.body });
  const bump = async (): Promise<void> => {
    await wrapper.setProps({ revision: img.revision });
  };
  return { wrapper, bump };
}

type W = ReturnType<typeof mount>;
const rowsOf = (w: W) => w.findAll('.hex-row');
const paneText = (w: W, offset: number, pane: 'h' | 'a') =>
  w.find(`[data-row="${Math.floor(offset / 16)}"] ${pane === 'h' ? '.hex-bytes' : '.hex-ascii'} .txt`).element.textContent ?? '';
/** The text of one byte as shown (two hex digits, or its ASCII character). */
const byteText = (w: W, offset: number, pane: 'h' | 'a' = 'h'): string => {
  const i = offset % 16;
  return pane === 'h' ? paneText(w, offset, 'h').substr(hexCharOf(i), 2) : paneText(w, offset, 'a')[i];
};
/** The mark classes of the text run that shows a byte. */
const marksOf = (w: W, offset: number, pane: 'h' | 'a' = 'h'): string[] => {
  const i = offset % 16;
  const runs = w.findAll(`[data-row="${Math.floor(offset / 16)}"] ${pane === 'h' ? '.hex-bytes' : '.hex-ascii'} .r`);
  const run = runs.find((r) => {
    const from = Number(r.attributes('data-i'));
    return from >= 0 && i >= from && i < from + Number(r.attributes('data-n'));
  });
  return run ? run.classes() : [];
};
type Grid = { selectRange(a: number, b: number): void };

describe('the hex view', () => {
  it('renders only a screenful of rows for a 128 KB flash, addressed from the area start', () => {
    const { wrapper } = mountView(bigFlash());
    const rows = rowsOf(wrapper);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(60); // of 8192
    expect(rows[0].find('.hex-addr').text()).toBe('0x008000');
    expect(rows[1].find('.hex-addr').text()).toBe('0x008010');
    expect(byteText(wrapper, 0x41)).toBe('41');
    expect(byteText(wrapper, 0x4f)).toBe('4F');
    expect(byteText(wrapper, 0x41, 'a')).toBe('A');
    expect(byteText(wrapper, 0x00, 'a')).toBe('.');
    // A row is a few text runs, not 32 elements.
    expect(rows[4].findAll('.hex-bytes .r').length).toBeLessThan(4);
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
    expect(marksOf(wrapper, 0x27ff0 - 0x8000)).toContain('cur');
    expect(vm.goTo(0x7fff)).toMatch(/outside 0x008000–0x027FFF/);
    wrapper.unmount();
  });

  it('types two hex digits into a byte and moves on; marks edited bytes', async () => {
    const img = bigFlash();
    const { wrapper, bump } = mountView(img);
    (wrapper.vm as unknown as Grid).selectRange(0x20, 0x20);
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
    expect(byteText(wrapper, 0x20)).toBe('C3');
    expect(marksOf(wrapper, 0x20)).toContain('ed');
    expect(marksOf(wrapper, 0x20, 'a')).toContain('ed');
    expect(marksOf(wrapper, 0x21)).toContain('cur');
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
    expect(marksOf(wrapper, 5)).toContain('df');
    expect(marksOf(wrapper, 6)).not.toContain('df');
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
    expect(marksOf(wrapper, 1)).toContain('sel');
    expect(marksOf(wrapper, 3)).not.toContain('sel');
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
    const wrapper = mount(HexView, { props: { buffer: img, revision: 0, readonly: true }, attachTo: document.body });
    await wrapper.find('[data-testid="hex-view"]').trigger('keydown', { key: 'a' });
    expect(wrapper.emitted('edit')).toBeUndefined();
    wrapper.unmount();
  });
});
