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

/**
 * A byte of the current tab's hex view: its text, its marks, a click on it. A row is drawn as
 * a few text runs (not one element per byte), so these find the byte by its row and its
 * character position, the way a user's eye and pointer do.
 */
export interface ByteOnScreen {
  text: string;
  /** Classes of the run showing it: "ed" edited, "df" differs from chip, "sel", "cur". */
  marks: string[];
  /** Centre of the byte's digits, in page coordinates. */
  x: number;
  y: number;
}

export async function byteAt(page: Page, offset: number, pane: 'hex' | 'ascii' = 'hex'): Promise<ByteOnScreen> {
  const found = await page.evaluate(
    ({ offset, pane }) => {
      const row = document.querySelector(`[data-testid="hex-view"] [data-row="${Math.floor(offset / 16)}"]`);
      const text = row?.querySelector(pane === 'hex' ? '.hex-bytes .txt' : '.hex-ascii .txt') as HTMLElement | null;
      if (!text) return null;
      const i = offset % 16;
      const char = pane === 'hex' ? 3 * i + (i >= 8 ? 1 : 0) : i;
      const width = pane === 'hex' ? 2 : 1;
      const all = text.textContent ?? '';
      const box = text.getBoundingClientRect();
      const ch = box.width / all.length;
      const run = [...text.querySelectorAll('.r')].find((r) => {
        const from = Number((r as HTMLElement).dataset.i);
        return from >= 0 && i >= from && i < from + Number((r as HTMLElement).dataset.n);
      });
      return {
        text: all.substr(char, width),
        marks: run ? [...run.classList].filter((c) => c !== 'r') : [],
        x: box.left + (char + width / 2) * ch,
        y: box.top + box.height / 2,
      };
    },
    { offset, pane },
  );
  if (!found) throw new Error(`Byte at offset 0x${offset.toString(16)} is not on screen.`);
  return found;
}

export async function byteText(page: Page, offset: number): Promise<string> {
  return (await byteAt(page, offset)).text;
}

/** Clicks a byte (Shift held extends the selection). */
export async function clickByte(page: Page, offset: number, opts: { shift?: boolean; pane?: 'hex' | 'ascii' } = {}): Promise<void> {
  const b = await byteAt(page, offset, opts.pane);
  if (opts.shift) await page.keyboard.down('Shift');
  await page.mouse.click(b.x, b.y);
  if (opts.shift) await page.keyboard.up('Shift');
}

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
