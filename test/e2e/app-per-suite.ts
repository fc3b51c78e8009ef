/**
 * The app for one describe block: started, opened in Chromium and ready before its tests,
 * closed after them. The object is filled in before the first test runs, so tests read
 * `app.page` as usual.
 */
import { afterAll, beforeAll } from 'vitest';
import { startApp, type App } from './harness';
import { waitReady } from './ui';

export interface SuiteOptions {
  width?: number;
  height?: number;
  /** Let the page read and write the clipboard (copy and paste tests). */
  clipboard?: boolean;
}

export function appPerSuite(opts: SuiteOptions = {}): App {
  const app = {} as App;
  beforeAll(async () => {
    Object.assign(app, await startApp({ ...(opts.width ? { width: opts.width } : {}), ...(opts.height ? { height: opts.height } : {}) }));
    if (opts.clipboard) await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.bridge.url).origin });
    await app.page.goto(app.bridge.url);
    await waitReady(app.page);
  });
  afterAll(async () => {
    await app.close?.();
  });
  return app;
}
