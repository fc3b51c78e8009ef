import { AppError } from '#shared/errors';
import type { CliCommand } from '../command';
import { EXIT } from '../command';
import { parseArgs, usageError } from '../args';
import { untilStopSignal } from '../stop-signal';
import { startUiServer } from '../../bridge/start-ui';
import { openInBrowser } from '../../bridge/open-browser';
import { uiPreselection } from '../ui-preselection';
import type { Settings } from '#shared/ipc';

/**
 * `swim-studio ui [--port N]`: the desktop app's user interface in a browser, served on
 * 127.0.0.1 with the same IPC contract over a WebSocket. Runs until Ctrl+C.
 */
export const command: CliCommand = {
  name: 'ui',
  summary: 'serve the app in a browser on 127.0.0.1 (virtual probes to try it without hardware)',
  usage: [
    'Usage: swim-studio [global options] ui [--port N] [--open] [--rebuild] [--settings FILE]',
    '',
    'Serves the SWIM Studio user interface and its IPC over a WebSocket, bound to 127.0.0.1 only.',
    'Open the printed URL: it carries a random access token; requests without it are refused.',
    'Real probes and virtual probes (simulated ST-LINK + STM8) are offered in the probe picker.',
    '',
    '  --port N         listen on port N (default: any free port)',
    '  --open           also open the URL in the default browser, where the system has one',
    '  --rebuild        rebuild the user interface (out/renderer) first',
    '  --settings FILE  keep settings in FILE (default: in memory, forgotten on exit)',
    '',
    'JSON (--json): one line {"url","port","token"} once listening.',
    'The global options choose what the app starts with: --virtual PROBE:PART[:FAULT,...] selects',
    'that virtual probe, its part and its faults; --sim-socket PATH adds the probe served there to',
    'the list and selects it; --part selects the part; --connect-under-reset ticks that option.',
    'Example: swim-studio --virtual stlinkv3:stm8s103f3:rop ui',
    'SWIM_STUDIO_UI_DIR serves another build of the interface instead of out/renderer.',
    'Stop with Ctrl+C.',
  ].join('\n'),
  async run(args, io, globals) {
    let port = 0;
    let rebuild: boolean;
    let settingsFile: string | undefined;
    let open: boolean;
    let initialSettings: Partial<Settings>;
    try {
      const { options } = parseArgs(args, [{ name: 'port', short: 'p', value: true }, { name: 'open' }, { name: 'rebuild' }, { name: 'settings', value: true }], 0);
      const p = options.get('port');
      if (p !== undefined) {
        port = Number(p);
        if (!/^\d+$/.test(p) || port > 65535) throw usageError(`--port needs a number from 0 to 65535, not "${p}"`);
      }
      rebuild = options.has('rebuild');
      open = options.has('open');
      settingsFile = options.get('settings');
      initialSettings = uiPreselection(globals);
    } catch (e) {
      // Bad options, or a --virtual spec or --part the parsers refuse (they say what to write).
      const err = e as AppError;
      io.err(`swim-studio ui: ${err.message}`);
      if (err.remedy) io.err(`  ${err.remedy}`);
      return EXIT.usage;
    }
    let server;
    try {
      server = await startUiServer({
        port,
        rebuild,
        settingsFile,
        initialSettings,
        // --sim-socket (or SWIM_STUDIO_SIM_SOCKET): offer that virtual probe in the list too.
        socketPaths: globals.simSocket ? [globals.simSocket] : [],
        // Serve another build of the interface (tests, packagers); out/renderer by default.
        ...(process.env.SWIM_STUDIO_UI_DIR ? { rendererDir: process.env.SWIM_STUDIO_UI_DIR } : {}),
        log: (l) => io.err(l),
      });
    } catch (e) {
      const err = e as { code?: string; message: string; remedy?: string };
      const inUse = err.code === 'EADDRINUSE';
      io.err(`swim-studio ui: ${inUse ? `port ${port} is already in use` : err.message}`);
      if (inUse) io.err('Pick another with --port, or leave it out to use any free port.');
      else if (err.remedy) io.err(err.remedy);
      return inUse ? EXIT.usage : EXIT.failed;
    }
    // A long-running server must not die of one stray rejection deep in a library (e.g. USB
    // polling on a machine without USB): log it, keep serving.
    const onStray = (e: unknown): void => {
      const message = e instanceof Error ? e.message : String(e);
      server.service.log.add('error', `Unexpected error (the UI keeps running): ${message}`);
      io.err(`swim-studio ui: unexpected error: ${message}`);
    };
    process.on('unhandledRejection', onStray);
    if (globals.json) io.out(JSON.stringify({ url: server.url, port: server.port, token: server.token }));
    else {
      io.out('SWIM Studio is serving its user interface. Open this URL in a browser:');
      io.out(`  ${server.url}`);
      io.out('Stop with Ctrl+C.');
    }
    if (open && !openInBrowser(server.url)) io.err('(No default browser to open here: open the URL above yourself.)');
    await untilStopSignal();
    process.off('unhandledRejection', onStray);
    await server.close();
    return EXIT.ok;
  },
};
