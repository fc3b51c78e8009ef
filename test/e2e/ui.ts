/**
 * What a user does in the app, as Playwright steps: pick a probe and a part, connect, open a
 * file, press an action and read the outcome. The selectors are the app's data-testid hooks.
 */
import type { Page } from 'playwright-core';

export const T = (id: string): string => `[data-testid="${id}"]`;

export async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector(T('probe-picker'));
  await page.waitForSelector(T('hex-view'));
}

export async function pickProbe(page: Page, id: string): Promise<void> {
  await page.selectOption(T('probe-picker'), id);
}

export async function pickPart(page: Page, name: string): Promise<void> {
  await page.fill(T('part-picker'), name);
  await page.waitForSelector(`${T('part-list')} li[data-part="${name.toLowerCase()}"]`);
  await page.press(T('part-picker'), 'Enter');
  await page.waitForFunction(
    (n) => (document.querySelector('[data-testid="part-picker"]') as HTMLInputElement | null)?.value === n,
    name.toUpperCase(),
  );
}

/** Presses Connect and waits until the connection facts (firmware, voltage) show. */
export async function connect(page: Page): Promise<{ firmware: string; voltage: string }> {
  await page.click(T('connect'));
  await page.waitForSelector(T('connection-info'), { timeout: 20_000 });
  return {
    firmware: (await page.textContent(T('probe-firmware')))!.trim(),
    voltage: (await page.textContent(T('target-voltage')))!.trim(),
  };
}

export interface Outcome {
  kind: string;
  message: string;
  remedy: string | null;
}

/** Waits for the job bar to show a result (and no running job), and reads it. */
export async function outcome(page: Page, timeout = 30_000): Promise<Outcome> {
  await page.waitForSelector(T('job-outcome'), { timeout });
  const el = page.locator(T('job-outcome'));
  const remedy = page.locator(T('job-outcome-remedy'));
  return {
    kind: (await el.getAttribute('data-kind')) ?? '',
    message: (await page.textContent(T('job-outcome-message')))!.trim(),
    remedy: (await remedy.count()) ? (await remedy.textContent())!.trim() : null,
  };
}

/** Runs an action on the current tab and returns its outcome. */
export async function act(page: Page, op: 'read' | 'program' | 'verify' | 'erase' | 'blankCheck', timeout = 30_000): Promise<Outcome> {
  // A previous outcome stays until the next job starts; wait for the new one.
  const before = await page.locator(T('job-outcome')).count();
  if (before) await page.locator(T('job-outcome')).locator('button').click();
  await page.click(T(`action-${op}`));
  return outcome(page, timeout);
}

export async function tab(page: Page, id: string): Promise<void> {
  await page.click(T(`tab-${id}`));
}

export async function areaState(page: Page): Promise<string> {
  return (await page.textContent(T('area-state')))!.trim();
}

/** The hex cell for an offset in the current tab ('h' hex column, 'a' ASCII column). */
export const cell = (offset: number, pane: 'h' | 'a' = 'h'): string =>
  `[data-testid="hex-view"] [data-row="${Math.floor(offset / 16)}"] .${pane === 'h' ? 'b' : 'c'}[data-i="${offset % 16}"]`;

/** Drops a file on the window the way a file manager does. */
export async function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const data = Array.from(bytes);
  await page.evaluate(
    ({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name));
      const target = document.querySelector('.app')!;
      target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { name, data },
  );
}
