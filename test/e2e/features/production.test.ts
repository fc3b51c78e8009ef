/**
 * Issue 15 in the app: the Production tab in Chromium against the real bridge, app service
 * and virtual probes. A recipe is opened (its preview lists the steps), four virtual
 * stations run eight boards, one of them on a probe that unplugs itself; the cards, the
 * counters and the log follow. The screenshot goes to test-output/screenshots and to
 * assets/screenshots/production.png for the README.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetVirtualProbes } from '../../../src/main/probes/index';
import { ROOT, chromiumAvailable, screenshot } from '../harness';
import { appPerSuite } from '../app-per-suite';
import { T, tab } from '../ui';
import { recipeFolder } from '../../unit/production/fixture';

const STATIONS = ['virtual:stlinkv3:stm8s103f3', 'virtual:stlinkv2:stm8s103f3', 'virtual:stlinkv21:stm8s103f3', 'virtual:stlinkv3:stm8s103f3:unplug-after=400'];

describe.runIf(chromiumAvailable()).sequential('the Production tab', () => {
  const app = appPerSuite({ width: 1360, height: 900 });

  it('previews a recipe, runs four stations and shows cards, counters and the log', async () => {
    const { page, service } = app;
    forgetVirtualProbes();
    const f = recipeFolder();
    service.allowPath(f.recipePath);
    await tab(page, 'production');
    await page.fill(T('production-recipe-path'), f.recipePath);
    await page.click(T('production-open'));
    await page.waitForSelector(T('production-preview'));
    const preview = (await page.textContent(T('production-preview'))) ?? '';
    expect(preview).toContain('next serials 1000, 1001, 1002');
    expect(preview).toContain('Write the serial number (u32le, 4 bytes) at 0x4000 in eeprom');

    await page.fill(T('production-stations'), STATIONS.join(' '));
    await page.fill(T('production-count'), '8');
    await page.click(T('production-start'));
    await page.waitForFunction(
      ([p, fl]) => Number(document.querySelector(p)?.textContent) + Number(document.querySelector(fl)?.textContent) === 8,
      [T('production-passed'), T('production-failed')],
      { timeout: 60_000 },
    );
    await page.waitForSelector(T('production-start'));
    const failed = Number(await page.textContent(T('production-failed')));
    expect(failed).toBeGreaterThan(0);
    expect(Number(await page.textContent(T('production-passed')))).toBe(8 - failed);
    const bad = page.locator(T(`station-${STATIONS[3]}`));
    expect(await bad.getAttribute('data-state')).toBe('offline');
    expect(await bad.textContent()).toContain('probe-unplugged');
    expect(await page.locator(`${T('production-log')} tbody tr`).count()).toBe(8);

    const shot = await screenshot(page, 'production');
    mkdirSync(join(ROOT, 'assets', 'screenshots'), { recursive: true });
    copyFileSync(shot, join(ROOT, 'assets', 'screenshots', 'production.png'));
  }, 120_000);
});
