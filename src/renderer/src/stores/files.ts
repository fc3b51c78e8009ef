/**
 * Opening and saving image files. Parsing and splitting happen in main (shared image code):
 * a path in Electron (dialog or recent file), or bytes the renderer holds (drag and drop, the
 * browser's file input). Saving sends the tabs' bytes; the bridge hands the bytes back for a
 * download, Electron writes them where its dialog says. The service keeps the current file, so
 * another part (or a reloaded page) gets it placed again.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AppErrorData } from '#shared/errors';
import type { ImageFormat, LoadedFile, MemoryArea, AreaSegment } from '#shared/ipc';
import { FIRMWARE_EXTENSIONS, formatFromFileName, saveExtension } from '#shared/image/extensions';
import { ApiError, call, errorData } from '../api/client';
import { download } from '../lib/download';
import { useMemoryStore, type FileNotice } from './memory';
import { usePartStore } from './part';

export type SaveFormat = Exclude<ImageFormat, 'elf'>;
export type SaveScope = MemoryArea | 'all';

/** What the open picker offers: every extension of the shared table, and .out (ELF, found by content). */
export const OPEN_ACCEPT = [...FIRMWARE_EXTENSIONS, 'out'].map((e) => `.${e}`).join(',');

export const useFilesStore = defineStore('files', () => {
  const host = ref<'electron' | 'bridge'>('bridge');
  const loading = ref(false);
  /** Why the last file could not be opened (shown until dismissed or the next open). */
  const openError = shallowRef<(AppErrorData & { name: string }) | null>(null);

  function partName(): string | undefined {
    return usePartStore().part?.name;
  }

  /** Main has logged what the file held and what lay outside; the tabs take the bytes. */
  function apply(file: LoadedFile): FileNotice {
    return useMemoryStore().applyFile(file);
  }

  async function guarded<T>(name: string, fn: () => Promise<T>): Promise<T> {
    loading.value = true;
    openError.value = null;
    try {
      return await fn();
    } catch (e) {
      openError.value = { ...errorData(e), name };
      throw e;
    } finally {
      loading.value = false;
    }
  }

  /** A file the renderer holds (drop or file input). */
  function openBytes(name: string, bytes: Uint8Array): Promise<FileNotice> {
    const part = partName();
    return guarded(name, async () => apply(await call('loadFileBytes', { name, bytes, ...(part ? { part } : {}) })));
  }

  /** Electron: a path (recent file) or the open dialog; null when the user cancelled. */
  function openPath(path?: string): Promise<FileNotice | null> {
    const part = partName();
    return guarded(path ?? 'the file', async () => {
      const file = await call('openFile', { ...(path ? { path } : {}), ...(part ? { part } : {}) });
      return file ? apply(file) : null;
    });
  }

  /**
   * The service's current file, placed over `part` (after a part change, or at start-up);
   * null when no file was opened in this session.
   */
  async function reopen(part: string): Promise<FileNotice | null> {
    const file = await call('reopenFile', { part });
    return file ? apply(file) : null;
  }

  /** Which areas a save covers: one tab, or every tab that holds something (RAM is left out). */
  function areasToSave(scope: SaveScope): MemoryArea[] {
    const memory = useMemoryStore();
    if (scope !== 'all') return [scope];
    return (['flash', 'eeprom', 'option'] as MemoryArea[]).filter((a) => {
      const img = memory.buffer(a);
      return img && img.state !== 'empty';
    });
  }

  /**
   * Saves a tab or all tabs. `toPath` reuses a known path (Save); without it Electron asks
   * (Save as) and the bridge downloads. Returns the file name, or null when cancelled.
   */
  async function save(scope: SaveScope, format: SaveFormat, toPath?: string): Promise<string | null> {
    const memory = useMemoryStore();
    const areas = areasToSave(scope);
    if (areas.length === 0) throw new ApiError({ code: 'nothing-to-save', message: 'There is nothing to save yet.', remedy: 'Read the chip or open a file first.' });
    if (format === 'bin' && areas.length > 1) {
      throw new ApiError({
        code: 'bin-one-area',
        message: 'A .bin file holds one memory area: the gaps between areas would be megabytes of filler.',
        remedy: 'Save one tab as .bin, or all tabs as .hex or .s19.',
      });
    }
    const segments = areas.map((a) => memory.segmentOf(a)).filter((s): s is AreaSegment => s !== null);
    const base = (memory.fileName ?? usePartStore().chosenName ?? 'image').replace(/\.[^.]+$/, '');
    const suffix = scope === 'all' ? '' : scope === 'flash' ? '' : `-${scope}`;
    const suggestedName = `${base}${suffix}.${saveExtension(format)}`;
    const result = await call('saveFile', { segments, format, suggestedName, ...(toPath ? { path: toPath } : {}) });
    if (!result) return null;
    if (result.bytes) download(result.name, result.bytes);
    memory.markSaved(areas, result.name, result.path);
    return result.name;
  }

  return { host, loading, openError, openBytes, openPath, reopen, save, areasToSave };
});

/** The format a save to this name keeps (by the shared extension table); null for ELF or an unknown extension. */
export function formatFromName(name: string): SaveFormat | null {
  const f = formatFromFileName(name);
  return f && f !== 'elf' ? f : null;
}
