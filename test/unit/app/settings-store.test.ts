import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '#shared/ipc';
import { SettingsStore } from '../../../src/main/service/settings-store';

const dirs: string[] = [];
function tempFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'swim-settings-'));
  dirs.push(d);
  return join(d, 'sub', 'settings.json');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('settings in the user data folder', () => {
  it('starts from defaults and persists every change for the next run', () => {
    const file = tempFile();
    const a = new SettingsStore(file);
    expect(a.get()).toEqual(DEFAULT_SETTINGS);
    a.update({ lastPart: 'stm8s103f3', verifyAfterWrite: false, lastProbe: { kind: 'virtual', variant: 'stlinkv3' } });
    const b = new SettingsStore(file);
    expect(b.get()).toMatchObject({ lastPart: 'stm8s103f3', verifyAfterWrite: false, lastProbe: { kind: 'virtual', variant: 'stlinkv3' }, highSpeed: true });
  });

  it('keeps recent files most recent first, without duplicates, at most 10', () => {
    const s = new SettingsStore(tempFile());
    for (let i = 0; i < 12; i++) s.addRecentFile(`/f${i}.hex`);
    s.addRecentFile('/f5.hex');
    const r = s.get().recentFiles;
    expect(r[0]).toBe('/f5.hex');
    expect(r).toHaveLength(10);
    expect(new Set(r).size).toBe(10);
  });

  it('survives a corrupt file and keeps the valid fields of a hand-edited one', () => {
    const file = tempFile();
    new SettingsStore(file).update({ lastPart: 'x' });
    writeFileSync(file, '{ not json');
    expect(new SettingsStore(file).get()).toEqual(DEFAULT_SETTINGS);
    writeFileSync(file, JSON.stringify({ lastPart: 'stm8l152c6', highSpeed: 'yes', theme: 'purple', unknown: 1 }));
    const s = new SettingsStore(file).get();
    expect(s.lastPart).toBe('stm8l152c6');
    expect(s.highSpeed).toBe(true);
    expect(s.theme).toBe('system');
    expect(s).not.toHaveProperty('unknown');
  });

  it('returns copies: callers cannot change the stored settings behind its back', () => {
    const file = tempFile();
    const s = new SettingsStore(file);
    s.get().recentFiles.push('/evil');
    expect(s.get().recentFiles).toEqual([]);
    s.update({ theme: 'dark' });
    expect(JSON.parse(readFileSync(file, 'utf8')).recentFiles).toEqual([]);
  });
});
