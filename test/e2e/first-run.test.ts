/**
 * The first minutes in the app, in the order STVP users work (issue 12): open the file
 * first, then pick the probe, connect, program and verify. And a reload shows what the
 * service holds now — after removing read-out protection, and after programming — not what
 * the page held when it was first loaded.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT, chromiumAvailable, screenshot, type App } from './harness';
import { appPerSuite } from './app-per-suite';
import { T, act, areaState, byteText, connect, dropFile, pickPart, pickProbe, waitReady } from './ui';
import { connectTo, runUnlockWizard } from './features/steps';

const BLINK_HEX = join(ROOT, 'test/fixtures/image/blink.ihx');

async function fileShown(page: App['page'], name: string): Promise<void> {
  await page.waitForFunction((n) => document.querySelector('[data-testid="area-file"]')?.textContent === n, name, { timeout: 10_000 });
}

describe.runIf(chromiumAvailable()).sequential('a file opened before connecting', () => {
  const app = appPerSuite();

  it('opens blink.ihx with nothing connected: the bytes are in the Flash tab', async () => {
    const { page } = app;
    expect(await page.inputValue(T('part-picker'))).toBe('STM8S103F3');
    await page.setInputFiles(T('file-input'), BLINK_HEX);
    await fileShown(page, 'blink.ihx');
    expect(await areaState(page)).toBe('Loaded from file');
    expect(await byteText(page, 0)).toBe('82');
  });

  it('then picks the probe, connects, programs all tabs and verifies: the file is what was written', async () => {
    const { page } = app;
    await pickProbe(page, 'virtual:stlinkv3');
    await connect(page);
    // Connecting does not touch the file's bytes.
    expect(await page.textContent(T('area-file'))).toBe('blink.ihx');
    expect(await byteText(page, 0)).toBe('82');
    await page.click(T('scope-all'));
    const programmed = await act(page, 'program');
    expect(programmed.kind, programmed.message).toBe('ok');
    await page.click(T('scope-tab'));
    const verified = await act(page, 'verify');
    expect(verified.kind, verified.message).toBe('ok');
    expect(await areaState(page)).toBe('Verified');
    // What the chip holds is the file: read it back.
    await act(page, 'read');
    expect(await byteText(page, 0)).toBe('82');
  });

  it('a part change places the file again, and says which bytes fall outside', async () => {
    const { page } = app;
    await page.click(T('disconnect'));
    await page.waitForSelector(T('connect'));
    // 32 KB of flash on the STM8S105C6: bytes at 0x8000 and at 0xA000 both fit.
    await pickPart(page, 'stm8s105c6');
    const hex = [':048000000102030472', ':10A00000000102030405060708090A0B0C0D0E0FD8', ':00000001FF'].join('\n');
    await dropFile(page, 'two-places.hex', new TextEncoder().encode(hex));
    await fileShown(page, 'two-places.hex');
    expect(await page.locator(T('file-outside-notice')).count()).toBe(0);
    // The STM8S103F3 has 8 KB (0x8000–0x9FFF): the file lands again, the 16 bytes at 0xA000 are named.
    await pickPart(page, 'stm8s103f3');
    await fileShown(page, 'two-places.hex');
    expect(await byteText(page, 0)).toBe('01');
    expect(await areaState(page)).toBe('Loaded from file');
    await page.waitForSelector(T('file-outside-notice'));
    const notice = await page.textContent(T('file-outside-notice'));
    expect(notice).toMatch(/16 bytes of two-places\.hex/);
    expect(notice).toMatch(/0x00A000–0x00A00F/);
  });
});

describe.runIf(chromiumAvailable()).sequential('a reload shows the service state of now', () => {
  const app = appPerSuite();

  it('after removing read-out protection, a reload says ROP is off and offers no unlock', async () => {
    const { page } = app;
    await connectTo(page, 'virtual:stlinkv21', 'stm8s103f3', ['rop']);
    await page.waitForSelector(T('unlock-offer'));
    await page.click(T('unlock-offer-open'));
    expect(await runUnlockWizard(page)).toBe('done');
    await page.click(T('unlock-close'));
    expect(await page.textContent(T('connection-info'))).not.toContain('ROP on');

    await page.reload();
    await waitReady(page);
    await page.waitForSelector(T('connection-info'));
    expect(await page.textContent(T('connection-info'))).not.toContain('ROP on');
    // Give a stale offer every chance to come back before asserting it did not.
    await page.waitForTimeout(500);
    expect(await page.locator(T('unlock-offer')).count()).toBe(0);
    // The probe list arrives after the window: the connected probe is picked when it does.
    await expect.poll(() => page.inputValue(T('probe-picker')), { timeout: 5000 }).toBe('virtual:stlinkv21');
    expect(await page.inputValue(T('part-picker'))).toBe('STM8S103F3');
    await screenshot(page, 'reload-after-unlock');
  });

  it('after programming, a reload shows the file and the connection as they are now', async () => {
    const { page } = app;
    await page.setInputFiles(T('file-input'), BLINK_HEX);
    await fileShown(page, 'blink.ihx');
    const programmed = await act(page, 'program');
    expect(programmed.kind, programmed.message).toBe('ok');
    expect(await areaState(page)).toBe('Verified');

    await page.reload();
    await waitReady(page);
    await page.waitForSelector(T('connection-info'));
    await fileShown(page, 'blink.ihx');
    expect(await byteText(page, 0)).toBe('82');
    // The page no longer knows what the chip holds: it says the image is the file's.
    expect(await areaState(page)).toBe('Loaded from file');
    expect(await page.textContent(T('connection-info'))).toContain('Connected');
    expect(await page.title()).toBe('blink.ihx (STM8S103F3) — SWIM Studio');
    await screenshot(page, 'reload-after-program');
  });
});
