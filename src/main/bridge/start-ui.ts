/**
 * `swim-studio ui` in one call: the app service on the real engine (in-memory settings,
 * no native dialogs), the built renderer (built on the fly when missing) and the bridge.
 * The CLI command and the end-to-end tests both start the UI through this.
 */
import { AppService } from '../service/app-service';
import { AppProbes } from '../service/app-probes';
import { SettingsStore } from '../service/settings-store';
import type { Settings } from '#shared/ipc';
import { startBridge } from './server';
import type { Bridge } from './server';
import { ensureRendererBuilt } from './renderer-build';
import { packageVersion } from '../diagnostics/environment';

export interface UiServerOptions {
  port?: number;
  token?: string;
  /** Build the renderer even when out/renderer exists. */
  rebuild?: boolean;
  /** Serve this folder instead of out/renderer (tests). */
  rendererDir?: string;
  /** Persist settings here; in memory when absent. */
  settingsFile?: string;
  /** Other probes (tests that need a specific virtual clock); USB, the sockets below and a fresh virtual pool by default. */
  probes?: AppProbes;
  /** Virtual probes on sockets (`swim-studio sim serve`) to offer in the probe list. */
  socketPaths?: string[];
  /** Settings to start with over the stored ones, e.g. the probe and part to preselect. */
  initialSettings?: Partial<Settings>;
  log?: (line: string) => void;
}

export interface UiServer extends Bridge {
  service: AppService;
}

export async function startUiServer(opts: UiServerOptions = {}): Promise<UiServer> {
  const rendererDir = opts.rendererDir ?? (await ensureRendererBuilt({ force: opts.rebuild, log: opts.log }));
  const settings = new SettingsStore(opts.settingsFile ?? null);
  if (opts.initialSettings) settings.update(opts.initialSettings);
  const service = new AppService({
    host: 'bridge',
    version: packageVersion(),
    settings,
    userDataPath: null,
    probes: opts.probes ?? new AppProbes({ socketPaths: opts.socketPaths ?? [] }),
  });
  service.start();
  service.log.add('info', `SWIM Studio ${packageVersion()} serving its user interface in the browser.`);
  let bridge: Bridge;
  try {
    bridge = await startBridge({ service, rendererDir, port: opts.port ?? 0, ...(opts.token ? { token: opts.token } : {}) });
  } catch (e) {
    await service.dispose();
    throw e;
  }
  return {
    ...bridge,
    service,
    close: async () => {
      await bridge.close();
      await service.dispose();
    },
  };
}
