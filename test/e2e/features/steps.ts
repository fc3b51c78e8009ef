/**
 * Playwright steps for the option-byte editor, the unlock wizard and the diagnostics panel,
 * on top of the app harness's own (../ui.ts). Selectors are the features' data-testid hooks.
 */
import type { Page } from 'playwright-core';
import { screenshot } from '../harness';
import { T, connect, pickPart, pickProbe } from '../ui';

/** Ticks exactly these faults for the chosen virtual probe (the picker is closed afterwards). */
export async function setFaults(page: Page, names: string[]): Promise<void> {
  await page.click(T('faults-button'));
  await page.waitForSelector(T('faults-panel'));
  const boxes = page.locator(`${T('faults-panel')} input[type="checkbox"]`);
  for (let i = 0; i < (await boxes.count()); i++) {
    const box = boxes.nth(i);
    const name = ((await box.getAttribute('data-testid')) ?? '').replace(/^fault-/, '');
    if ((await box.isChecked()) !== names.includes(name)) await box.click();
  }
  await page.click(T('faults-button'));
}

export async function disconnectIfConnected(page: Page): Promise<void> {
  if (await page.locator(T('disconnect')).count()) {
    await page.click(T('disconnect'));
    await page.waitForSelector(T('connect'));
  }
}

/** Disconnects, picks probe, part and faults, and connects. */
export async function connectTo(page: Page, probe: string, part: string, faults: string[] = []): Promise<void> {
  await disconnectIfConnected(page);
  await pickProbe(page, probe);
  await pickPart(page, part);
  await setFaults(page, faults);
  await connect(page);
}

/** Waits for the editor's outcome line and returns its kind and text. */
export async function editorOutcome(page: Page, timeout = 20_000): Promise<{ kind: string; text: string }> {
  await page.waitForSelector(T('ob-outcome'), { timeout });
  const el = page.locator(T('ob-outcome'));
  return { kind: (await el.getAttribute('data-kind')) ?? '', text: (await el.textContent())?.trim() ?? '' };
}

/** Presses "Read from chip" in the option-byte editor and waits until it reports. */
export async function readOptionBytes(page: Page): Promise<void> {
  await page.click(T('ob-read'));
  await page.waitForFunction(() => document.querySelector('[data-testid="ob-read"]')?.textContent?.trim() === 'Read from chip');
  const o = await editorOutcome(page);
  if (o.kind !== 'ok') throw new Error(`reading option bytes failed: ${o.text}`);
}

export async function text(page: Page, testId: string): Promise<string> {
  return ((await page.textContent(T(testId))) ?? '').trim();
}

/** Runs the wizard from its first step to the end and returns the final step id. */
export async function runUnlockWizard(page: Page, consequencesShot?: string): Promise<string> {
  await page.waitForSelector(`${T('unlock-wizard')}[data-step="explain"]`);
  await page.click(T('unlock-next'));
  await page.waitForSelector(`${T('unlock-wizard')}[data-step="consequences"]`);
  if (consequencesShot) await screenshot(page, consequencesShot);
  await page.click(T('unlock-next'));
  await page.waitForSelector(`${T('unlock-wizard')}[data-step="consent"]`);
  await page.check(T('unlock-consent'));
  await page.click(T('unlock-run'));
  await page.waitForSelector(`${T('unlock-wizard')}[data-step="done"], ${T('unlock-wizard')}[data-step="failed"]`, { timeout: 60_000 });
  return (await page.getAttribute(T('unlock-wizard'), 'data-step')) ?? '';
}

/** Runs diagnostics from the panel and returns the verdict's finding code. */
export async function runDiagnostics(page: Page): Promise<string> {
  await page.click(T('tab-diagnostics'));
  await page.click(T('diagnostics-run'));
  await page.waitForSelector(T('diagnostics-verdict'), { timeout: 60_000 });
  return (await page.getAttribute(T('diagnostics-verdict'), 'data-code')) ?? '';
}

/** Scrolls the option-byte editor so that one byte's card sits just under its toolbar. */
export async function scrollEditorTo(page: Page, byte: string): Promise<void> {
  await page.evaluate((name) => {
    const box = document.querySelector<HTMLElement>('[data-testid="option-editor"]');
    const card = document.querySelector<HTMLElement>(`[data-testid="ob-byte-${name}"]`);
    const bar = box?.querySelector<HTMLElement>('.bar');
    if (box && card) box.scrollTop += card.getBoundingClientRect().top - box.getBoundingClientRect().top - (bar?.offsetHeight ?? 0) - 12;
  }, byte);
}
