/**
 * The user's settings, persisted as JSON in the user data folder (Electron) or kept in
 * memory (the browser bridge, tests). A file that is missing, unreadable or hand-edited
 * into nonsense never stops the app: each valid field is kept, the rest fall back to
 * defaults. Writes go to a temporary file renamed over the old one, so a crash mid-write
 * never leaves half a settings file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings } from '#shared/ipc';
import { DEFAULT_SETTINGS } from '#shared/ipc';
import { SCHEMAS } from './schemas';

export const MAX_RECENT_FILES = 10;

export class SettingsStore {
  private value: Settings;

  /** `file` null = in memory only. */
  constructor(private readonly file: string | null) {
    this.value = file ? loadSettings(file) : cloneDefaults();
  }

  get(): Settings {
    return structuredClone(this.value);
  }

  /** Applies an already-validated partial update and persists it. */
  update(patch: Partial<Settings>): Settings {
    const next: Settings = { ...this.value };
    for (const [k, v] of Object.entries(patch) as [keyof Settings, unknown][]) {
      if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
    }
    next.recentFiles = dedupe(next.recentFiles).slice(0, MAX_RECENT_FILES);
    this.value = next;
    this.save();
    return this.get();
  }

  /** Puts `path` first in the recent-files list. */
  addRecentFile(path: string): Settings {
    return this.update({ recentFiles: [path, ...this.value.recentFiles.filter((p) => p !== path)] });
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.value, null, 2) + '\n');
    renameSync(tmp, this.file);
  }
}

function cloneDefaults(): Settings {
  return structuredClone(DEFAULT_SETTINGS);
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/** Reads the file field by field; anything invalid is dropped in favour of the default. */
export function loadSettings(file: string): Settings {
  const settings = cloneDefaults();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return settings;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return settings;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(k in DEFAULT_SETTINGS)) continue;
    const one = SCHEMAS.setSettings.safeParse({ [k]: v });
    if (one.success) Object.assign(settings, one.data);
  }
  settings.recentFiles = dedupe(settings.recentFiles).slice(0, MAX_RECENT_FILES);
  return settings;
}
