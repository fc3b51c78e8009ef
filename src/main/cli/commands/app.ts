import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand } from '../command';
import { EXIT } from '../command';
import { browserFallbackLine, checkElectron, runAttached } from '../electron-launch';
import { packageRoot } from '../../package-root';

/**
 * `swim-studio app`: the desktop app in its Electron window where Electron can start here;
 * otherwise one sentence saying why, then the same app served to the browser (`ui --open`:
 * the URL with its token is printed, and opened where there is a default browser).
 * `npm start` is `app --dev`: electron-vite's development mode instead of the built app.
 */
export const command: CliCommand = {
  name: 'app',
  summary: 'start the desktop app; where Electron cannot start, the same app in your browser',
  usage: [
    'Usage: swim-studio [global options] app [ui options]',
    '',
    'Starts the desktop app (Electron). Where Electron is not installed, its binary cannot be',
    'downloaded, or there is no display, says so in one sentence and serves the same app to the',
    'browser instead, exactly as "swim-studio ui --open" (its options and the global options',
    'apply there too).',
    '  --dev   electron-vite development mode (what "npm start" runs)',
  ].join('\n'),
  async run(args, io, globals) {
    const dev = args.includes('--dev');
    const uiArgs = args.filter((a) => a !== '--dev');
    const root = packageRoot();
    const check = root ? checkElectron(root) : { why: 'Electron is not installed' };
    if (root && 'binary' in check) {
      if (dev) return runAttached(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'dev', ...uiArgs], root);
      if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
        const built = await runAttached(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], root);
        if (built !== 0) {
          io.err('swim-studio app: building the app (electron-vite build) failed; "swim-studio ui" serves it to a browser.');
          return EXIT.failed;
        }
      }
      return runAttached(check.binary, [root], root);
    }
    io.out(browserFallbackLine('why' in check ? check.why : 'Electron is not installed'));
    const { command: ui } = await import('./ui');
    return ui.run(['--open', ...uiArgs], io, globals);
  },
};
