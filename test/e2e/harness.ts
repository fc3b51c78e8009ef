/**
 * End-to-end harness: the real renderer (built with Vite from the current source), served by
 * the real browser bridge around the real app service on virtual probes, driven in Debian's
 * Chromium through playwright-core. Nothing is mocked: what the test clicks is what a user
 * clicks after `npx swim-studio ui`.
 */
import { mkdtemp, mkdir, rename, rm } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startUiServer, type UiServer } from '../../src/main/bridge/start-ui';
import type { AppService } from '../../src/main/service/app-service';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OUTPUT = join(ROOT, 'test-output');
export const SCREENSHOTS = join(OUTPUT, 'screenshots');
const RENDERER_ROOT = join(OUTPUT, 'e2e-renderer');
export const CHROMIUM = process.env.SWIM_CHROMIUM ?? '/usr/bin/chromium';

let built: Promise<string> | null = null;

/** A fingerprint of everything the renderer bundle is made of (paths, sizes, mtimes). */
function sourceStamp(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        hash.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  walk(join(ROOT, 'src/renderer'));
  walk(join(ROOT, 'src/shared'));
  hash.update(readFileSync(join(ROOT, 'vite.renderer.config.ts')));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds the renderer from the current source into test-output/ (not out/renderer, which
 * `swim-studio ui` may be serving), once per source state: every e2e file (each runs in its own
 * process, possibly at the same time) reuses a finished build of the same sources. A build goes
 * to a private folder first and is renamed into place, so no file ever sees a half-built one.
 */
export function buildRenderer(): Promise<string> {
  built ??= (async () => {
    const dir = join(RENDERER_ROOT, sourceStamp());
    if (existsSync(join(dir, 'index.html'))) return dir;
    const tmp = join(RENDERER_ROOT, `building-${process.pid}-${Date.now()}`);
    const { build } = await import('vite');
    await build({
      configFile: join(ROOT, 'vite.renderer.config.ts'),
      logLevel: 'error',
      build: { outDir: tmp, emptyOutDir: true },
    });
    try {
      await rename(tmp, dir);
    } catch {
      // Another process finished the same build first: use theirs.
      await rm(tmp, { recursive: true, force: true });
    }
    await pruneOldBuilds(dir);
    return dir;
  })();
  return built;
}

/** Builds of older sources, left by earlier runs; an hour is far longer than any run. */
async function pruneOldBuilds(keep: string): Promise<void> {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(RENDERER_ROOT)) {
    const p = join(RENDERER_ROOT, name);
    if (p !== keep && statSync(p).mtimeMs < hourAgo) await rm(p, { recursive: true, force: true });
  }
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
