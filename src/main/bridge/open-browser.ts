/**
 * Opens a URL in the user's default browser, where the system has a way to: `open` on macOS,
 * `start` (through cmd) on Windows, `xdg-open` elsewhere when it is installed and there is a display. Returns false
 * when there is none (a server, a container): the caller has printed the URL anyway.
 * The opener runs detached and unwaited: a browser that stays open must not keep us waiting,
 * and one that fails to start is not our error.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      /* not in this folder */
    }
  }
  return false;
}

function opener(url: string): [string, string[]] | null {
  if (process.platform === 'darwin') return ['open', [url]];
  // `start`'s first quoted argument is a window title, hence the empty one.
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  // Without a display xdg-open falls back to a text browser, which has no terminal here.
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return null;
  return onPath('xdg-open') ? ['xdg-open', [url]] : null;
}

export function openInBrowser(url: string): boolean {
  const cmd = opener(url);
  if (!cmd) return false;
  try {
    const child = spawn(cmd[0], cmd[1], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
