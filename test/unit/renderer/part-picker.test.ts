// @vitest-environment happy-dom
/**
 * The part picker as a combobox, against the real stores and app service: picking a part
 * and at once typing another keeps the list open (the close that the first pick's blur
 * scheduled used to fire 150 ms later and shut the list the user was typing into).
 */
import { describe, expect, it } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import PartPicker from '../../../src/renderer/src/components/top/PartPicker.vue';
import { usePartStore } from '../../../src/renderer/src/stores/part';
import { mountEach } from './features/helpers';

let w: VueWrapper;
const T = (id: string) => `[data-testid="${id}"]`;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

mountEach(PartPicker, (_started, wrapper) => {
  w = wrapper;
});

async function typeAndPick(name: string): Promise<void> {
  const input = w.find(T('part-picker'));
  await input.trigger('focus');
  await input.setValue(name);
  expect(w.find(`${T('part-list')} li[data-part="${name}"]`).exists()).toBe(true);
  await input.trigger('keydown', { key: 'Enter' });
  await input.trigger('blur');
}

describe('the part picker', () => {
  it('picks a part, and a second search right after it stays open', async () => {
    await typeAndPick('stm8s105c6');
    await wait(20);
    expect(usePartStore().part?.name).toBe('stm8s105c6');
    // Straight back into the box, within the blur's delay.
    const input = w.find(T('part-picker'));
    await input.trigger('focus');
    await input.setValue('stm8s103f3');
    await wait(200);
    expect(w.find(T('part-list')).exists()).toBe(true);
    expect(w.find(`${T('part-list')} li[data-part="stm8s103f3"]`).exists()).toBe(true);
  });
});
