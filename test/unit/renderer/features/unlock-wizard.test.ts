// @vitest-environment happy-dom
/**
 * The unlock wizard against the real app service on virtual probes with read-out protection:
 * offered on connect, explains, asks for consent, removes the protection, checks with the chip
 * that it is unprotected and blank, offers to program the loaded image; failures say what next.
 */
import { describe, expect, it, vi } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import UnlockWizard from '../../../../src/renderer/src/features/unlock/UnlockWizard.vue';
import { useUnlockStore } from '../../../../src/renderer/src/features/unlock/store';
import { useConnectionStore } from '../../../../src/renderer/src/stores/connection';
import { useFilesStore } from '../../../../src/renderer/src/stores/files';
import { useMemoryStore } from '../../../../src/renderer/src/stores/memory';
import { useSettingsStore } from '../../../../src/renderer/src/stores/settings';
import { useJobsStore } from '../../../../src/renderer/src/stores/jobs/store';
import { connectVirtual, mountEach } from './helpers';

let w: VueWrapper;
const T = (id: string) => `[data-testid="${id}"]`;
const blink = readFileSync(join(process.cwd(), 'test/fixtures/image/blink.ihx'));

mountEach(UnlockWizard, (_started, wrapper) => {
  w = wrapper;
});

async function walkToConsent(): Promise<void> {
  expect(w.find(T('unlock-step-explain')).exists()).toBe(true);
  await w.find(T('unlock-next')).trigger('click');
  expect(w.find(T('unlock-step-consequences')).exists()).toBe(true);
  await w.find(T('unlock-next')).trigger('click');
  expect(w.find(T('unlock-step-consent')).exists()).toBe(true);
}

async function runToDone(): Promise<void> {
  expect(w.find(T('unlock-run')).attributes('disabled')).toBeDefined();
  await w.find(T('unlock-consent')).setValue(true);
  expect(w.find(T('unlock-run')).attributes('disabled')).toBeUndefined();
  await w.find(T('unlock-run')).trigger('click');
  await vi.waitFor(() => expect(['done', 'failed']).toContain(w.find(T('unlock-wizard')).attributes('data-step')), { timeout: 20_000 });
  expect(w.find(T('unlock-error')).exists() ? w.find(T('unlock-error')).text() : '').toBe('');
  expect(w.find(T('unlock-wizard')).attributes('data-step')).toBe('done');
  const checks = w.findAll(`${T('unlock-checks')} li`).map((li) => [li.attributes('data-check'), li.attributes('data-state')]);
  expect(checks).toEqual([
    ['rop', 'passed'],
    ['blank', 'passed'],
  ]);
}

describe('unlock wizard', () => {
  it('is offered when a protected stm8s103f3 connects, and leaves it unprotected and blank', async () => {
    await useFilesStore().openBytes('blink.ihx', new Uint8Array(blink));
    await connectVirtual('stm8s103f3', ['rop']);
    const conn = useConnectionStore();
    expect(conn.connection?.readProtected).toBe(true);
    await vi.waitFor(() => expect(w.find(T('unlock-offer')).exists()).toBe(true));
    expect(w.find(T('unlock-offer')).attributes('data-reason')).toBe('connect');
    await w.find(T('unlock-offer-open')).trigger('click');
    expect(w.find(T('unlock-offer')).exists()).toBe(false);
    await walkToConsent();
    // Consent states the loss on this chip.
    expect(w.find(T('unlock-step-consent')).text()).toContain('program flash (8 KB) and data EEPROM (640 bytes) of this STM8S103F3');
    await runToDone();
    expect(conn.connection?.readProtected).toBe(false);
    expect(useMemoryStore().buffer('flash')!.device!.every((b) => b === 0)).toBe(true);

    // The tabs still hold blink.ihx: offered, and programmed onto the blank chip.
    expect(w.find(T('unlock-program')).text()).toContain('blink.ihx');
    await w.find(T('unlock-program')).trigger('click');
    await vi.waitFor(() => expect(useJobsStore().outcome?.ok).toBe(true), { timeout: 20_000 });
    expect(useMemoryStore().buffer('flash')!.device![0]).toBe(0x82);
    expect(w.find(T('unlock-wizard')).exists()).toBe(false);
  });

  it('removes protection from an stm8l152c6 with the STM8L method', async () => {
    await connectVirtual('stm8l152c6', ['rop']);
    expect(useConnectionStore().connection?.readProtected).toBe(true);
    await vi.waitFor(() => expect(w.find(T('unlock-offer')).exists()).toBe(true));
    await w.find(T('unlock-offer-open')).trigger('click');
    await w.find(T('unlock-next')).trigger('click');
    expect(w.find(T('unlock-method')).text()).toMatch(/Write 0xAA to the ROP byte .* a second time/s);
    expect(w.find(T('unlock-step-consequences')).text()).toContain('32 KB');
    await w.find(T('unlock-next')).trigger('click');
    await runToDone();
    expect(useConnectionStore().connection?.readProtected).toBe(false);
    // Nothing was loaded: no program offer.
    expect(w.find(T('unlock-program')).exists()).toBe(false);
  });

  it('is offered again when a write fails with WR_PG_DIS after the first offer was dismissed', async () => {
    await useFilesStore().openBytes('blink.ihx', new Uint8Array(blink));
    await connectVirtual('stm8s103f3', ['rop']);
    await vi.waitFor(() => expect(w.find(T('unlock-offer')).exists()).toBe(true));
    await w.find(T('unlock-offer-dismiss')).trigger('click');
    expect(w.find(T('unlock-offer')).exists()).toBe(false);
    const outcome = await useJobsStore().run('program', 'flash');
    expect(outcome.code).toBe('write-protected');
    await vi.waitFor(() => expect(w.find(T('unlock-offer')).attributes('data-reason')).toBe('write-failed'));
    await w.find(T('unlock-offer-open')).trigger('click');
    expect(w.find(T('unlock-step-explain')).text()).toContain('WR_PG_DIS');
  });

  it('has nothing to do on a chip that is not protected', async () => {
    await connectVirtual('stm8s103f3');
    expect(useConnectionStore().connection?.readProtected).toBe(false);
    expect(w.find(T('unlock-offer')).exists()).toBe(false);
    useUnlockStore().open('manual');
    await w.vm.$nextTick();
    expect(w.find(T('unlock-not-protected')).exists()).toBe(true);
    expect(w.find(T('unlock-next')).attributes('disabled')).toBeDefined();
  });

  it('says what to try next when it cannot run, and turns on connect under reset', async () => {
    const u = useUnlockStore();
    u.open('manual');
    await w.vm.$nextTick();
    await walkToConsent();
    // Not connected: the button says why, and the store refuses with a plain reason.
    expect(w.find(T('unlock-run')).attributes('disabled')).toBeDefined();
    u.consent = true;
    await u.run();
    await w.vm.$nextTick();
    expect(w.find(T('unlock-wizard')).attributes('data-step')).toBe('failed');
    expect(w.find(T('unlock-error')).text()).toMatch(/not connected/);
    expect(w.find(T('unlock-step-failed')).text()).toMatch(/Power-cycle the target/);
    expect(useSettingsStore().settings.connectUnderReset).toBe(false);
    await w.find(T('unlock-enable-cur')).trigger('click');
    await vi.waitFor(() => expect(useSettingsStore().settings.connectUnderReset).toBe(true));
  });
});
