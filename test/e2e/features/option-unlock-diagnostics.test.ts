/**
 * Issue 7 end to end, in Chromium against the real bridge, app service, engine, diagnostics
 * and virtual probes: the option-byte editor (IWDG_HW and an AFR bit on stm8s103f3 written and
 * read back; the ROP confirmation; the BOR threshold on stm8l152c6), the unlock wizard on
 * protected stm8s103f3 and stm8l152c6 chips, and diagnostics on no-power, swim-disabled and a
 * healthy probe, with the report copied. Screenshots of the three screens go to
 * test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { chromiumAvailable, screenshot, startApp, type App } from '../harness';
import { T, pickPart, pickProbe, tab, waitReady } from '../ui';
import { connectTo, disconnectIfConnected, editorOutcome, readOptionBytes, runDiagnostics, runUnlockWizard, scrollEditorTo, setFaults, text } from './steps';

describe.runIf(chromiumAvailable()).sequential('option bytes, unlock and diagnostics in the app', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ width: 1360, height: 900 });
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.bridge.url).origin });
    await app.page.goto(app.bridge.url);
    await waitReady(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('changes IWDG_HW and AFR0 on stm8s103f3, writes them and reads them back', async () => {
    const { page } = app;
    await connectTo(page, 'virtual:stlinkv3', 'stm8s103f3');
    await tab(page, 'option');
    await page.waitForSelector(T('option-editor'));
    await readOptionBytes(page);
    expect(await text(page, 'ob-chip-raw-OPT3')).toBe('0x00 / 0xFF');

    await page.check(T('ob-input-IWDG_HW'));
    await page.check(T('ob-input-AFR0'));
    expect(await page.getAttribute(T('ob-field-IWDG_HW'), 'data-changed')).toBe('true');
    expect(await page.getAttribute(T('ob-field-AFR0'), 'data-changed')).toBe('true');
    expect(await text(page, 'ob-changed-count')).toBe('2 fields changed');
    await scrollEditorTo(page, 'OPT2');
    await screenshot(page, 'option-bytes-edited');

    await page.click(T('ob-write'));
    await page.waitForSelector(T('ob-write-dialog'));
    expect(await text(page, 'ob-write-summary')).toContain('IWDG started by hardware at reset');
    expect(await page.locator(T('ob-danger-IWDG_HW')).count()).toBe(1);
    expect(await page.locator(T('ob-danger-AFR0')).count()).toBe(0);
    expect(await page.isDisabled(T('ob-write-confirm'))).toBe(true);
    await page.check(T('ob-confirm-IWDG_HW'));
    await screenshot(page, 'option-bytes-confirm-watchdog');
    await page.click(T('ob-write-confirm'));
    await page.waitForSelector(T('ob-write-dialog'), { state: 'detached', timeout: 20_000 });
    const written = await editorOutcome(page);
    expect(written.kind, written.text).toBe('ok');
    expect(written.text).toMatch(/read them back/);

    await readOptionBytes(page);
    expect(await text(page, 'ob-chip-raw-OPT3')).toBe('0x04 / 0xFB');
    expect(await text(page, 'ob-chip-raw-OPT2')).toBe('0x01 / 0xFE');
    expect(await page.isChecked(T('ob-input-IWDG_HW'))).toBe(true);
    expect(await text(page, 'ob-changed-count')).toBe('Same as the chip');
  });

  it('asks for a second confirmation that says the consequence when setting ROP', async () => {
    const { page } = app;
    await page.selectOption(T('ob-input-ROP'), '170');
    await page.click(T('ob-write'));
    await page.waitForSelector(T('ob-danger-ROP'));
    expect(await text(page, 'ob-danger-ROP')).toMatch(/can no longer be read or debugged.*erases everything/s);
    expect(await page.isDisabled(T('ob-write-confirm'))).toBe(true);
    await screenshot(page, 'option-bytes-rop-confirm');
    await page.click(T('ob-write-cancel'));
    await page.click(T('ob-revert'));
    await readOptionBytes(page);
    expect(await text(page, 'ob-chip-raw-OPT0')).toBe('0x00');
  });

  it('changes the BOR threshold on stm8l152c6', async () => {
    const { page } = app;
    await connectTo(page, 'virtual:stlinkv3', 'stm8l152c6');
    await tab(page, 'option');
    await readOptionBytes(page);
    await page.selectOption(T('ob-input-BOR_TH'), '3');
    await page.check(T('ob-input-BOR_ON'));
    await page.click(T('ob-write'));
    await page.waitForSelector(T('ob-write-dialog'));
    expect(await page.locator(T('ob-dangers')).count()).toBe(0);
    await page.click(T('ob-write-confirm'));
    await page.waitForSelector(T('ob-write-dialog'), { state: 'detached', timeout: 20_000 });
    expect((await editorOutcome(page)).kind).toBe('ok');
    await readOptionBytes(page);
    expect(await text(page, 'ob-chip-BOR_TH')).toContain('about 2.7 V');
    expect(await text(page, 'ob-chip-raw-OPT5')).toBe('0x07');
    await screenshot(page, 'option-bytes-stm8l-bor');
    // The same bytes in the hex view of the option area.
    await page.click(T('ob-view-hex'));
    await page.waitForSelector(T('hex-view'));
    await screenshot(page, 'option-bytes-hex');
    await page.click(T('ob-view-fields'));
  });

  for (const part of ['stm8s103f3', 'stm8l152c6']) {
    it(`runs the unlock wizard on a protected ${part}: unprotected and blank`, async () => {
      const { page } = app;
      await connectTo(page, 'virtual:stlinkv21', part, ['rop']);
      await page.waitForSelector(T('unlock-offer'));
      expect(await page.getAttribute(T('unlock-offer'), 'data-reason')).toBe('connect');
      await page.click(T('unlock-offer-open'));
      const end = await runUnlockWizard(page, `unlock-wizard-consequences-${part}`);
      expect(end, end === 'failed' ? await text(page, 'unlock-error') : '').toBe('done');
      expect(await page.getAttribute(`${T('unlock-checks')} [data-check="rop"]`, 'data-state')).toBe('passed');
      expect(await page.getAttribute(`${T('unlock-checks')} [data-check="blank"]`, 'data-state')).toBe('passed');
      await screenshot(page, `unlock-wizard-done-${part}`);
      await page.click(T('unlock-close'));
      // The top bar no longer says ROP is on, and a blank check agrees.
      expect(await page.textContent(T('connection-info'))).not.toContain('ROP on');
    });
  }

  it('runs diagnostics on an unpowered target and shows the no-power finding', async () => {
    const { page } = app;
    await disconnectIfConnected(page);
    // A probe that measures the target voltage: OpenOCD never asks a V2-1 with the STM8
    // firmware (no JTAG version) for it, and neither does the engine.
    await pickProbe(page, 'virtual:stlinkv3');
    await pickPart(page, 'stm8s103f3');
    await setFaults(page, ['no-power']);
    expect(await runDiagnostics(page)).toBe('target-no-power');
    expect(await page.getAttribute(`${T('diagnostics-steps')} [data-step="target-voltage"]`, 'data-state')).toBe('failed');
    expect(await page.getAttribute(`${T('diagnostics-steps')} [data-step="swim-entry"]`, 'data-state')).toBe('skipped');
    expect(await page.locator('[data-testid="finding"][data-code="target-no-power"]').count()).toBe(1);
    await screenshot(page, 'diagnostics-no-power');
  });

  it('copies the report as Markdown', async () => {
    const { page } = app;
    await page.click(T('diagnostics-copy'));
    await page.waitForSelector(T('toast'));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('target-no-power');
    expect(copied).toMatch(/^#/m);
    // Save offers the same Markdown as a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(T('diagnostics-save'))]);
    expect(download.suggestedFilename()).toMatch(/^swim-studio-diagnostics-.*\.md$/);
    const path = await download.path();
    expect(readFileSync(path, 'utf8')).toBe(copied);
  });

  it('runs diagnostics on firmware that disabled SWIM and offers connect under reset', async () => {
    const { page } = app;
    await setFaults(page, ['swim-disabled']);
    expect(await runDiagnostics(page)).toBe('swim-disabled-by-firmware');
    expect(await page.locator(T('finding-action-enable-connect-under-reset')).count()).toBe(1);
    // The "report saved" note of the previous test fades first: this picture goes in the README.
    await page.waitForSelector(T('toast'), { state: 'detached' });
    await screenshot(page, 'diagnostics-swim-disabled');
  });

  it('runs diagnostics on a healthy probe: every check passes', async () => {
    const { page } = app;
    await setFaults(page, []);
    await page.selectOption(T('probe-picker'), 'virtual:stlinkv2');
    expect(await runDiagnostics(page)).toBe('all-good');
    expect(await page.locator(`${T('diagnostics-steps')} [data-state="failed"]`).count()).toBe(0);
    await screenshot(page, 'diagnostics-healthy');
  });

  it('diagnoses a failed connect by itself, in short form', async () => {
    const { page } = app;
    await tab(page, 'flash');
    await setFaults(page, ['no-power']);
    await page.click(T('connect'));
    await page.waitForSelector(`${T('connect-diagnosis')}[data-state="done"]`, { timeout: 60_000 });
    expect(await page.getAttribute(`${T('connect-diagnosis')} [data-testid="finding"]`, 'data-code')).toBe('target-no-power');
    await screenshot(page, 'diagnostics-after-connect-failure');
    await page.click(T('connect-diagnosis-open'));
    expect(await page.getAttribute(T('diagnostics-verdict'), 'data-code')).toBe('target-no-power');
  });
});
