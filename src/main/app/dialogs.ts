/** Native file dialogs for the app service (Electron only; the bridge has none). */
import { dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import type { DialogsPort } from '../service/dialogs-port';

const FIRMWARE_FILTERS = [
  { name: 'Firmware', extensions: ['hex', 'ihx', 'ihex', 's19', 's28', 's37', 'srec', 'mot', 'bin', 'elf'] },
  { name: 'All files', extensions: ['*'] },
];
const SAVE_FILTERS: Record<'hex' | 'srec' | 'bin', { name: string; extensions: string[] }[]> = {
  hex: [{ name: 'Intel HEX', extensions: ['hex'] }],
  srec: [{ name: 'Motorola S-record', extensions: ['s19', 'srec'] }],
  bin: [{ name: 'Raw binary', extensions: ['bin'] }],
};

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
      const opts = { title: 'Save firmware', defaultPath: suggestedName, filters: SAVE_FILTERS[format] };
      const r = w ? await dialog.showSaveDialog(w, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
