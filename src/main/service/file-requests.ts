/**
 * Files: open (by dialog or by a path the user chose), load bytes the page already has
 * (drag and drop, browser upload), save (to a chosen path, or as bytes for a download).
 *
 * The page can only name files the user chose. Reading: a file picked in a dialog, opened or
 * saved before (recent files), or handed over by the host (command line, the OS). Writing
 * is narrower: only a path the user chose in a save dialog in this session. Opening a file
 * grants no right to overwrite it; "Save" on an opened file asks once, in the save dialog
 * with that file proposed, and later saves to it go through. Any other path gets
 * 'path-not-allowed': a page tricked into asking for ~/.ssh/id_rsa gets nothing, and one
 * tricked into saving over ~/.bashrc (opened once to look at) writes nothing.
 *
 * The file last opened or saved is kept here, not only in the page: a part change places it
 * over the new part's memories, and a reloaded page gets it back (reopenFile).
 */
import { AppError } from '#shared/errors';
import type { LoadedFile } from '#shared/ipc';
import { hex } from '#shared/hex';
import { findPart } from '#shared/catalogue/index';
import { saveExtension } from '#shared/image/extensions';
import { writeFileAtomic } from '../files/atomic-write';
import { readImageBytes } from '../files/image-files';
import { loadImage, serialiseSegments } from './image-load';
import { areaListWords, bytesWords } from './report-words';
import type { Handlers, ServiceContext } from './service-context';

type FileHandlers = Pick<Handlers, 'openFile' | 'loadFileBytes' | 'saveFile' | 'reopenFile'>;

/** The session's current file: its bytes as on disk, and the part they were last split over. */
interface CurrentFile {
  name: string;
  path?: string;
  bytes: Uint8Array;
  part: string;
}

export function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

export class PathGuard {
  private readonly readable = new Set<string>();
  private readonly writable = new Set<string>();

  constructor(private readonly recent: () => string[]) {}

  /** The user chose this file to read (open dialog, the OS, the command line). */
  allow(path: string): void {
    this.readable.add(path);
  }

  /** The user chose this path in a save dialog: it may be written, and read back. */
  allowWrite(path: string): void {
    this.writable.add(path);
    this.readable.add(path);
  }

  mayWrite(path: string): boolean {
    return this.writable.has(path);
  }

  check(path: string): void {
    if (this.readable.has(path) || this.recent().includes(path)) return;
    throw new AppError(
      'path-not-allowed',
      `${path} was not chosen in this session.`,
      'Open or save it through the File menu (the dialog), or drop the file on the window.',
      { path },
    );
  }

  checkWrite(path: string): void {
    if (this.mayWrite(path)) return;
    throw new AppError(
      'path-not-allowed',
      `${path} was not chosen in a save dialog in this session: opening a file does not allow overwriting it.`,
      'Save it with Save as… and choose the file in the dialog.',
      { path },
    );
  }
}

export function fileRequests(c: ServiceContext, paths: PathGuard): FileHandlers {
  let current: CurrentFile | null = null;

  const remember = (file: string): void => {
    paths.allow(file);
    c.settings.addRecentFile(file);
    c.events.emit('settingsChanged', c.settings.get());
  };

  const forgetRecent = (file: string): void => {
    const recent = c.settings.get().recentFiles;
    if (!recent.includes(file)) return;
    c.settings.update({ recentFiles: recent.filter((f) => f !== file) });
    c.events.emit('settingsChanged', c.settings.get());
  };

  /**
   * Parses and splits over the part: the one given, else the connected one, else the last
   * used. The file becomes the current one.
   */
  const load = async (name: string, bytes: Uint8Array, partName: string | undefined, path?: string): Promise<Omit<LoadedFile, 'path'>> => {
    const wanted = partName ?? c.connectedPart()?.name ?? c.settings.get().lastPart;
    if (!wanted) {
      throw new AppError('part-required', `Cannot place ${name}: no part is chosen.`, 'Pick the part first, so the file can be split over its memories.');
    }
    const part = findPart(wanted);
    const loaded = await loadImage(name, bytes, part);
    const where = loaded.segments.length ? areaListWords(loaded.segments) : 'no memory';
    c.log.add('info', `Opened ${name} (${loaded.format}, ${bytesWords(loaded.totalBytes)}) into ${where} of ${part.name}.`);
    logOutside(loaded, part.name);
    current = { name, bytes, part: part.name, ...(path ? { path } : {}) };
    return loaded;
  };

  const logOutside = (loaded: Omit<LoadedFile, 'path'>, partName: string): void => {
    if (!loaded.outside.length) return;
    const ranges = loaded.outside.map((r) => `${hex(r.start)}–${hex(r.end)}`).join(', ');
    c.log.add('warn', `${loaded.name} has data outside every memory of ${partName}: ${ranges}. Those bytes are not shown and will not be programmed.`);
  };

  return {
    async openFile({ path, part }) {
      let file = path;
      if (file === undefined) {
        if (!c.dialogs) throw new AppError('not-supported', 'There is no file dialog here.', 'Use the Open button or drop the file on the window.');
        const picked = await c.dialogs.pickOpenPath();
        if (picked === null) return null;
        file = picked;
        paths.allow(file);
      }
      paths.check(file);
      let bytes: Uint8Array;
      try {
        bytes = await readImageBytes(file);
      } catch (e) {
        // A recent file that was moved or deleted leaves the list.
        if ((e as { code?: unknown }).code === 'file-not-found') forgetRecent(file);
        throw e;
      }
      const loaded = await load(baseName(file), bytes, part, file);
      remember(file);
      return { ...loaded, path: file };
    },

    async loadFileBytes({ name, bytes, part }) {
      return load(name, bytes, part);
    },

    async saveFile(a) {
      const suggested = a.suggestedName ?? `image.${saveExtension(a.format)}`;
      let file = a.path;
      if (c.dialogs && (file === undefined || !paths.mayWrite(file))) {
        // A path not yet chosen for saving is proposed in the dialog: the user confirms it.
        const picked = await c.dialogs.pickSavePath(file ?? suggested, a.format);
        if (picked === null) return null;
        file = picked;
        paths.allowWrite(file);
      }
      if (file !== undefined) paths.checkWrite(file);
      // Serialised completely before the disk is touched: a bad image never half-writes a file.
      const bytes = serialiseSegments(a.segments, a.format, file ? baseName(file) : suggested, a.fill);
      // What was saved is the file from now on (the page's title names it); a .bin carries no
      // addresses (it would be placed at the start of flash), so the file before it stays.
      const part = current?.part ?? c.connectedPart()?.name ?? c.settings.get().lastPart ?? '';
      const becomeCurrent = (f: CurrentFile): void => {
        if (a.format !== 'bin') current = f;
      };
      if (file === undefined) {
        c.log.add('info', `Prepared ${suggested} (${bytesWords(bytes.length)}) for download.`);
        becomeCurrent({ name: suggested, bytes, part });
        return { name: suggested, bytes, size: bytes.length };
      }
      await writeFileAtomic(file, bytes);
      remember(file);
      becomeCurrent({ name: baseName(file), path: file, bytes, part });
      c.log.add('info', `Saved ${areaListWords(a.segments)} to ${file} (${bytesWords(bytes.length)}).`);
      return { path: file, name: baseName(file), size: bytes.length };
    },

    async reopenFile({ part: partName }) {
      if (!current) return null;
      const part = findPart(partName);
      const loaded = await loadImage(current.name, current.bytes, part);
      // A reloaded page asks again for the same part: only a new part is news for the log.
      if (part.name !== current.part) {
        const where = loaded.segments.length ? areaListWords(loaded.segments) : 'no memory';
        c.log.add('info', `Placed ${current.name} into ${where} of ${part.name}.`);
        logOutside(loaded, part.name);
        current = { ...current, part: part.name };
      }
      return { ...loaded, ...(current.path ? { path: current.path } : {}) };
    },
  };
}
