/**
 * The application menu. File: open, open recent, save, save as; Target: connect,
 * disconnect, read, program, verify, erase, blank check; Help: about, open the log folder.
 *
 * Actions on the memory tabs live in the renderer (it holds the buffers), so most items
 * just send a `menuCommand` event. The shortcuts shown are the renderer's own
 * (src/renderer/src/app/shortcuts.ts); `registerAccelerator: false` shows them without
 * stealing the key press, so each shortcut has one implementation, in the page, and works
 * the same in the browser bridge.
 *
 * Only Electron types are imported: the template is plain data, built and tested under Node.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '#shared/ipc';

export interface MenuActions {
  send(command: MenuCommand): void;
  openLogFolder(): void;
  about(): void;
  clearRecent(): void;
}

export interface MenuInput {
  recentFiles: string[];
  isMac: boolean;
  isDev: boolean;
  appName: string;
  actions: MenuActions;
}

export function buildMenuTemplate(m: MenuInput): MenuItemConstructorOptions[] {
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
    click: () => m.actions.send(command),
  });
  const recent: MenuItemConstructorOptions[] = m.recentFiles.length
    ? [
        ...m.recentFiles.map((path) => cmd(path, { command: 'openRecent', path })),
        { type: 'separator' },
        { label: 'Clear recent files', click: () => m.actions.clearRecent() },
      ]
    : [{ label: 'No recent files', enabled: false }];

  const template: MenuItemConstructorOptions[] = [];
  if (m.isMac) {
    template.push({
      label: m.appName,
      submenu: [
        { label: `About ${m.appName}`, click: () => m.actions.about() },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    {
      label: '&File',
      submenu: [
        cmd('&Open…', { command: 'open' }, 'CmdOrCtrl+O'),
        { label: 'Open &recent', submenu: recent },
        { type: 'separator' },
        cmd('&Save', { command: 'save' }, 'CmdOrCtrl+S'),
        cmd('Save &as…', { command: 'saveAs' }, 'CmdOrCtrl+Shift+S'),
        ...(m.isMac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
      ],
    },
    { label: '&Edit', role: 'editMenu' },
    {
      label: '&Target',
      submenu: [
        cmd('&Connect', { command: 'connect' }, 'CmdOrCtrl+K'),
        cmd('&Disconnect', { command: 'disconnect' }),
        { type: 'separator' },
        cmd('&Read', { command: 'read' }, 'F5'),
        cmd('&Program', { command: 'program' }, 'F6'),
        cmd('&Verify', { command: 'verify' }, 'F7'),
        cmd('&Erase', { command: 'erase' }, 'CmdOrCtrl+Shift+E'),
        cmd('&Blank check', { command: 'blankCheck' }, 'F8'),
      ],
    },
    {
      label: '&View',
      submenu: [
        ...(m.isDev ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        ...(m.isMac ? [] : [{ label: `&About ${m.appName}`, click: () => m.actions.about() }]),
        { label: 'Open the &log folder', click: () => m.actions.openLogFolder() },
      ],
    },
  );
  return template;
}
