/** The app's production requests: preview a recipe, run it on virtual stations, watch the events. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetVirtualProbes } from '../../../src/main/probes/index';
import { AppService } from '../../../src/main/service/app-service';
import type { IpcEvents } from '#shared/ipc';
import { recipeFolder } from './fixture';

const open: AppService[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
  forgetVirtualProbes();
});

describe('production requests', () => {
  it('previews a recipe the user chose, then runs it and reports every board and the totals', async () => {
    const service = new AppService({ host: 'bridge', version: 'test' });
    open.push(service);
    const events: { name: keyof IpcEvents; payload: unknown }[] = [];
    service.events.subscribe((name, payload) => events.push({ name, payload }));
    const f = recipeFolder();

    expect(await service.request('productionOpenRecipe', { path: f.recipePath })).toMatchObject({ ok: false, error: { code: 'path-not-allowed' } });
    service.allowPath(f.recipePath);
    const preview = await service.request('productionOpenRecipe', { path: f.recipePath });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.value.nextSerials).toEqual(['1000', '1001', '1002']);
    expect(preview.value.steps.join('\n')).toContain('serial number (u32le, 4 bytes) at 0x4000 in eeprom');

    const started = await service.request('productionStart', { stations: ['virtual:stlinkv3:stm8s103f3', 'virtual:stlinkv2:stm8s103f3'], count: 4 });
    expect(started).toMatchObject({ ok: true, value: { running: true } });
    await vi.waitFor(() => expect(events.filter((e) => e.name === 'productionTotals').at(-1)?.payload).toMatchObject({ running: false }), { timeout: 30_000 });
    const records = events.filter((e) => e.name === 'productionRecord').map((e) => e.payload as IpcEvents['productionRecord']);
    expect(records.map((r) => r.serial).sort()).toEqual(['1000', '1001', '1002', '1003']);
    expect(events.some((e) => e.name === 'productionStation' && (e.payload as IpcEvents['productionStation']).state === 'programming')).toBe(true);
    expect(await service.request('productionStop', {})).toMatchObject({ ok: true, value: { running: false, passed: 4, failed: 0 } });
  }, 60_000);

  it('stops a continuous run when the app closes', async () => {
    const service = new AppService({ host: 'bridge', version: 'test' });
    const totals: IpcEvents['productionTotals'][] = [];
    service.events.subscribe((name, payload) => name === 'productionTotals' && totals.push(payload as IpcEvents['productionTotals']));
    const f = recipeFolder();
    service.allowPath(f.recipePath);
    expect((await service.request('productionOpenRecipe', { path: f.recipePath })).ok).toBe(true);
    expect(await service.request('productionStart', { stations: ['virtual:stlinkv3:stm8s103f3'], continuous: true })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(totals.at(-1)?.passed ?? 0).toBeGreaterThan(2), { timeout: 30_000 });
    await service.dispose();
    expect(totals.at(-1)?.running).toBe(false);
  }, 60_000);
});
