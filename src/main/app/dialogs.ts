/** Native file dialogs for the app service (Electron only; the bridge has none). */
import { dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import { FIRMWARE_EXTENSIONS, FORMAT_EXTENSIONS, type ImageFormat } from '#shared/image/extensions';
import { FORMAT_NAMES } from '#shared/image/format';
import type { DialogsPort } from '../service/dialogs-port';

const FIRMWARE_FILTERS = [
  { name: 'Firmware', extensions: [...FIRMWARE_EXTENSIONS] },
  { name: 'All files', extensions: ['*'] },
];

function saveFilters(format: Exclude<ImageFormat, 'elf'>): { name: string; extensions: string[] }[] {
  return [{ name: FORMAT_NAMES[format], extensions: FORMAT_EXTENSIONS[format].map((e) => e.slice(1)) }];
}

export function electronDialogs(window: () => BrowserWindow | null): DialogsPort {
  return {
    async pickOpenPath() {
      const w = window();
      const opts = { title: 'Open firmware', properties: ['openFile' as const], filters: FIRMWARE_FILTERS };
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    },
    async pickSavePath(suggestedName, format) {
      const w = window();
      const opts = { title: 'Save firmware', defaultPath: suggestedName, filters: saveFilters(format) };
      const r = w ? await dialog.showSaveDialog(w, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
