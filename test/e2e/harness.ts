/**
 * End-to-end harness: the real renderer (built with Vite from the current source), served by
 * the real browser bridge around the real app service on virtual probes, driven in Debian's
 * Chromium through playwright-core. Nothing is mocked: what the test clicks is what a user
 * clicks after `npx swim-studio ui`.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startUiServer, type UiServer } from '../../src/main/bridge/start-ui';
import type { AppService } from '../../src/main/service/app-service';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OUTPUT = join(ROOT, 'test-output');
export const SCREENSHOTS = join(OUTPUT, 'screenshots');
const RENDERER_DIR = join(OUTPUT, 'e2e-renderer');
export const CHROMIUM = process.env.SWIM_CHROMIUM ?? '/usr/bin/chromium';

let built: Promise<string> | null = null;

/**
 * Builds the renderer once per test process into test-output/ (not out/renderer, which
 * `swim-studio ui` and other engineers' runs may be using), so the tests see the current source.
 */
export function buildRenderer(): Promise<string> {
  built ??= (async () => {
    const { build } = await import('vite');
    await build({
      configFile: join(ROOT, 'vite.renderer.config.ts'),
      logLevel: 'error',
      build: { outDir: RENDERER_DIR, emptyOutDir: true },
    });
    return RENDERER_DIR;
  })();
  return built;
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface App {
  bridge: UiServer;
  service: AppService;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Starts service + bridge + a fresh Chromium profile, and opens the app's URL. */
export async function startApp(opts: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<App> {
  const rendererDir = await buildRenderer();
  // What `npx swim-studio ui` runs: the app service on the real engine, behind the bridge.
  const bridge = await startUiServer({ port: 0, rendererDir });
  const service = bridge.service;
  const profile = await mkdtemp(join(tmpdir(), 'swim-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: opts.width ?? 1360, height: opts.height ?? 860 },
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    bridge,
    service,
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      await bridge.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
