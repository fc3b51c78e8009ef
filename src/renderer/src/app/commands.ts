/**
 * Everything a user can ask for, in one place: the buttons, the keyboard shortcuts and the
 * Electron menu all call these, so they behave the same whichever way they are reached.
 */
import type { MenuCommand } from '#shared/ipc';
import { errorData } from '../api/client';
import { useConnectionStore } from '../stores/connection';
import { useFilesStore, formatFromName } from '../stores/files';
import { useJobsStore } from '../stores/jobs/store';
import type { Operation, Scope } from '../stores/jobs/operations';
import { useMemoryStore } from '../stores/memory';
import { usePartStore } from '../stores/part';
import { useSettingsStore } from '../stores/settings';
import { isMemoryTab, useUiStore } from '../stores/ui';

/** The memory tab the actions apply to ("Flash" when the Log or Diagnostics tab is open). */
function currentArea(): Scope {
  const ui = useUiStore();
  return isMemoryTab(ui.activeTab) ? ui.activeTab : 'flash';
}

export async function runOperation(op: Operation, scope: Scope = currentArea()): Promise<void> {
  const jobs = useJobsStore();
  await jobs.run(op, scope);
}

export async function connect(): Promise<void> {
  const conn = useConnectionStore();
  const part = usePartStore();
  const settings = useSettingsStore();
  const memory = useMemoryStore();
  if (!part.part || conn.connecting || conn.connection) return;
  conn.connectError = null;
  try {
    const s = settings.settings;
    // Main logs the connection (firmware, voltage, speed); a new target's bytes are unknown.
    const info = await conn.connect(part.chosenName ?? part.part.name, { underReset: s.connectUnderReset, highSpeed: s.highSpeed });
    memory.forgetDevice();
    const selection = conn.selected?.selection ?? null;
    void settings.update({ lastProbe: selection, lastPart: part.chosenName ?? info.part }).catch(() => undefined);
  } catch (e) {
    conn.connectError = errorData(e);
  }
}

export async function disconnect(): Promise<void> {
  const conn = useConnectionStore();
  if (!conn.connection) return;
  try {
    await conn.disconnect();
  } catch (e) {
    conn.connectError = errorData(e);
  }
}

/**
 * Picks another part: the tabs are rebuilt for its memories and the open file is placed over
 * them again (the file notice says which bytes fall outside). Asks first when hand edits
 * would be lost.
 */
export async function selectPart(name: string): Promise<boolean> {
  const part = usePartStore();
  const memory = useMemoryStore();
  if (part.chosenName === name.toLowerCase()) return true;
  if (memory.dirty && !window.confirm('Changing the part rebuilds the memory tabs, and they hold unsaved edits. Continue?')) return false;
  try {
    const hadFile = memory.fileName !== null;
    const p = await part.select(name);
    memory.reset(part.regions);
    if (hadFile) await useFilesStore().reopen(p.name).catch(() => undefined);
    // The chip name as picked (the catalogue resolves it again next time).
    void useSettingsStore().update({ lastPart: part.chosenName ?? p.name }).catch(() => undefined);
    return true;
  } catch (e) {
    // Main has logged it; the picker shows it too.
    part.error = errorData(e);
    return false;
  }
}

export async function openFile(path?: string): Promise<void> {
  const files = useFilesStore();
  const ui = useUiStore();
  if (path || files.host === 'electron') {
    await files.openPath(path).catch(() => undefined);
    return;
  }
  ui.pickFile();
}

/** Save: to the same file when Electron knows its path, else ask (format and tabs). */
export async function save(): Promise<void> {
  const files = useFilesStore();
  const memory = useMemoryStore();
  const fmt = memory.filePath ? formatFromName(memory.filePath) : null;
  if (files.host === 'electron' && memory.filePath && fmt && fmt !== 'bin') {
    await files.save('all', fmt, memory.filePath).catch(() => undefined);
    return;
  }
  useUiStore().saveDialog = true;
}

export function saveAs(): void {
  useUiStore().saveDialog = true;
}

export async function handleMenuCommand(c: MenuCommand): Promise<void> {
  switch (c.command) {
    case 'open':
      return openFile();
    case 'openRecent':
      return openFile(c.path);
    case 'save':
      return save();
    case 'saveAs':
      return saveAs();
    case 'connect':
      return connect();
    case 'disconnect':
      return disconnect();
    case 'read':
    case 'program':
    case 'verify':
    case 'erase':
    case 'blankCheck':
      return runOperation(c.command);
    case 'about':
      useUiStore().aboutDialog = true;
      return;
  }
}
