/**
 * The Electron main process: one window (size and position remembered), the application
 * menu, single instance, settings and logs in the user data folder, and the IPC handlers —
 * all requests go to the Electron-free app service (src/main/service), the same code the
 * browser bridge serves. Built by electron-vite (electron.vite.config.ts) to out/main.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MenuCommand } from '#shared/ipc';
import { eventChannel } from '#shared/ipc';
import { formatFromFileName } from '#shared/image/extensions';
import { AppService } from '../service/app-service';
import { attachLogFile } from '../service/log-file';
import { SettingsStore } from '../service/settings-store';
import { electronDialogs } from './dialogs';
import { forwardEvents, makeUrlTrust, registerIpcHandlers } from './ipc-handlers';
import { buildMenuTemplate } from './menu';
import { hardenApp } from './security';
import { fitOnScreen, loadWindowState, MIN_WINDOW, saveWindowState } from './window-state';

const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(here, '..', 'preload', 'index.cjs');
const RENDERER_INDEX = join(here, '..', 'renderer', 'index.html');
const DEV_URL = process.env.ELECTRON_RENDERER_URL;
/** A command-line argument that names a firmware file (the app opens it). */
const isFirmwareFile = (a: string): boolean => formatFromFileName(a) !== undefined;

let mainWindow: BrowserWindow | null = null;
let service: AppService | null = null;
let dirty = false;
/** A file given on the command line or by the OS before the page was ready. */
let pendingOpen: string | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
    const file = argv.slice(1).find(isFirmwareFile);
    if (file) openFromOs(file);
  });
  // macOS: a file dropped on the dock icon or opened from Finder.
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (mainWindow && service) openFromOs(path);
    else pendingOpen = path;
  });
  app.on('window-all-closed', () => app.quit());
  // Quitting mid-job: cancel it and let it stop between blocks (flash locked, target
  // reset) before the process ends; dispose() bounds the wait.
  let disposed = false;
  app.on('will-quit', (e) => {
    if (disposed || !service) return;
    e.preventDefault();
    void service.dispose().finally(() => {
      disposed = true;
      app.quit();
    });
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const logDir = join(userData, 'logs');
  const isOurUrl = makeUrlTrust(pathToFileURL(RENDERER_INDEX).href, DEV_URL);
  hardenApp(app, isOurUrl);

  const settings = new SettingsStore(join(userData, 'settings.json'));
  service = new AppService({
    host: 'electron',
    version: app.getVersion(),
    settings,
    userDataPath: userData,
    dialogs: electronDialogs(() => mainWindow),
    onDirty: (d, title) => {
      dirty = d;
      if (mainWindow) {
        if (title) mainWindow.setTitle(title);
        // The dot in the close button (macOS only).
        if (process.platform === 'darwin') mainWindow.setDocumentEdited(d);
      }
    },
  });
  attachLogFile(service.log, join(logDir, 'swim-studio.log'));
  service.log.add('info', `SWIM Studio ${app.getVersion()} started (Electron ${process.versions.electron}, ${process.platform}).`);
  registerIpcHandlers(ipcMain, service, isOurUrl);
  forwardEvents(service, () => (mainWindow ? [mainWindow.webContents] : []));
  service.start();

  const updateMenu = (): void => {
    const template = buildMenuTemplate({
      recentFiles: settings.get().recentFiles,
      isMac: process.platform === 'darwin',
      isDev: !app.isPackaged,
      appName: app.getName(),
      actions: {
        send: sendMenu,
        openLogFolder: () => void shell.openPath(logDir),
        about: () => void showAbout(),
        clearRecent: () => {
          settings.update({ recentFiles: [] });
          service?.events.emit('settingsChanged', settings.get());
        },
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  updateMenu();
  service.events.on('settingsChanged', updateMenu);

  const argFile = process.argv.slice(1).find(isFirmwareFile);
  if (argFile) pendingOpen = argFile;
  createWindow(join(userData, 'window-state.json'));
}

function createWindow(stateFile: string): void {
  const saved = fitOnScreen(
    loadWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : {}),
    width: saved.width,
    height: saved.height,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: 'SWIM Studio',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow = win;
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.webContents.once('did-finish-load', () => {
    if (pendingOpen) {
      openFromOs(pendingOpen);
      pendingOpen = null;
    }
  });

  const remember = (): void => {
    const b = win.getNormalBounds();
    saveWindowState(stateFile, { ...b, maximized: win.isMaximized() });
  };
  win.on('close', (e) => {
    remember();
    if (!dirty) return;
    e.preventDefault();
    void dialog
      .showMessageBox(win, {
        type: 'warning',
        buttons: ['Discard edits and close', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        message: 'Some memory tabs have edits that are not saved or programmed.',
        detail: 'Closing now loses them.',
      })
      .then((r) => {
        if (r.response === 0) {
          dirty = false;
          win.close();
        }
      });
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });

  if (DEV_URL) void win.loadURL(DEV_URL);
  else void win.loadFile(RENDERER_INDEX);
}

/** A file the user handed to the app through the OS: the page may open it by path. */
function openFromOs(path: string): void {
  service?.allowPath(path);
  sendMenu({ command: 'openRecent', path });
}

function sendMenu(command: MenuCommand): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(eventChannel('menuCommand'), command);
}

async function showAbout(): Promise<void> {
  const opts = {
    type: 'info' as const,
    title: 'About SWIM Studio',
    message: `SWIM Studio ${app.getVersion()}`,
    detail: [
      'Programs STM8 microcontrollers through ST-LINK probes over SWIM.',
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
      'MIT licence.',
    ].join('\n'),
  };
  if (mainWindow) await dialog.showMessageBox(mainWindow, opts);
  else await dialog.showMessageBox(opts);
}
