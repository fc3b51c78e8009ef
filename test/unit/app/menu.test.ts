import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from '../../../src/main/app/menu';
import type { MenuCommand } from '#shared/ipc';

function build(recent: string[], isMac = false) {
  const sent: MenuCommand[] = [];
  const calls: string[] = [];
  const template = buildMenuTemplate({
    recentFiles: recent,
    isMac,
    isDev: false,
    appName: 'SWIM Studio',
    actions: { send: (c) => sent.push(c), openLogFolder: () => calls.push('log'), about: () => calls.push('about'), clearRecent: () => calls.push('clear') },
  });
  return { template, sent, calls };
}

function find(items: MenuItemConstructorOptions[], label: RegExp): MenuItemConstructorOptions {
  for (const it of items) {
    if (it.label && label.test(it.label.replace(/&/g, ''))) return it;
    if (Array.isArray(it.submenu)) {
      const hit = (() => {
        try {
          return find(it.submenu, label);
        } catch {
          return null;
        }
      })();
      if (hit) return hit;
    }
  }
  throw new Error(`no menu item ${label}`);
}

const click = (item: MenuItemConstructorOptions) => (item.click as unknown as () => void)();

describe('application menu', () => {
  it('has File, Target and Help items that send the matching commands', () => {
    const { template, sent } = build([]);
    for (const [label, command] of [
      [/^Open…$/, 'open'],
      [/^Save$/, 'save'],
      [/^Save as…$/, 'saveAs'],
      [/^Connect$/, 'connect'],
      [/^Read$/, 'read'],
      [/^Program$/, 'program'],
      [/^Verify$/, 'verify'],
      [/^Erase$/, 'erase'],
      [/^Blank check$/, 'blankCheck'],
    ] as const) {
      click(find(template, label));
      expect(sent.at(-1)).toEqual({ command });
    }
  });

  it('lists recent files, opens them by path, and can clear them', () => {
    const { template, sent, calls } = build(['/a/fw.hex', '/b/old.s19']);
    click(find(template, /old\.s19/));
    expect(sent.at(-1)).toEqual({ command: 'openRecent', path: '/b/old.s19' });
    click(find(template, /Clear recent/));
    expect(calls).toContain('clear');
    expect(() => find(build([]).template, /No recent files/)).not.toThrow();
  });

  it('Help opens the log folder and shows About', () => {
    const { template, calls } = build([]);
    click(find(template, /log folder/));
    click(find(template, /About/));
    expect(calls).toEqual(['log', 'about']);
  });

  it('shows the renderer shortcuts without registering them (one implementation, in the page)', () => {
    const { template } = build([]);
    const program = find(template, /^Program$/);
    expect(program.accelerator).toBe('F6');
    expect(program.registerAccelerator).toBe(false);
    expect(find(template, /^Open…$/).accelerator).toBe('CmdOrCtrl+O');
  });

  it('on macOS puts About in the app menu', () => {
    const { template } = build([], true);
    expect(template[0].label).toBe('SWIM Studio');
    expect(find([template[0]], /About SWIM Studio/)).toBeTruthy();
  });
});
