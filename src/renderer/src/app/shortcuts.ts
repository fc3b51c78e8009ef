/**
 * Keyboard shortcuts for the main actions. F-keys act on the current tab, with Shift on all
 * tabs; Ctrl (⌘ on macOS) for files and the connection. Keys typed into inputs are left to
 * them; the hex view handles its own editing keys (Ctrl+G/F/C/V) while it has focus.
 */
import { runOperation, connect, disconnect, openFile, save, saveAs } from './commands';
import { useConnectionStore } from '../stores/connection';
import { useJobsStore } from '../stores/jobs/store';
import { TAB_ORDER, isMemoryTab, useUiStore } from '../stores/ui';

export interface Shortcut {
  keys: string;
  what: string;
}

/** For the help dialog and tooltips. */
export const SHORTCUTS: Shortcut[] = [
  { keys: 'Ctrl+O', what: 'Open a file' },
  { keys: 'Ctrl+S', what: 'Save' },
  { keys: 'Ctrl+Shift+S', what: 'Save as…' },
  { keys: 'Ctrl+K', what: 'Connect / disconnect' },
  { keys: 'F5', what: 'Read the current tab (Shift: all tabs)' },
  { keys: 'F6', what: 'Program the current tab (Shift: all tabs)' },
  { keys: 'F7', what: 'Verify the current tab (Shift: all tabs)' },
  { keys: 'F8', what: 'Blank check (Shift: all tabs)' },
  { keys: 'Ctrl+Shift+E', what: 'Erase the current tab' },
  { keys: 'Esc', what: 'Cancel the running job' },
  { keys: 'Ctrl+1 … Ctrl+7', what: 'Switch tabs' },
  { keys: 'Ctrl+G', what: 'Go to address' },
  { keys: 'Ctrl+F / F3', what: 'Find bytes / find next (F3 in the hex view)' },
  { keys: 'Ctrl+L', what: 'Fill the selection' },
  { keys: 'Ctrl+C / Ctrl+V', what: 'Copy / paste bytes (hex view)' },
  { keys: 'F1', what: 'This list' },
];

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

/** Returns true when the key was a shortcut (and was handled). */
export function handleShortcut(e: KeyboardEvent): boolean {
  // Already handled where it happened (the hex grid's own keys).
  if (e.defaultPrevented) return false;
  const ui = useUiStore();
  const jobs = useJobsStore();
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const scope = e.shiftKey ? 'all' : undefined;
  const act = (fn: () => unknown): true => {
    e.preventDefault();
    void fn();
    return true;
  };
  if (key === 'Escape' && jobs.busy) return act(() => jobs.cancel());
  if (key === 'F1') return act(() => (ui.shortcutsDialog = true));
  if (!mod && !e.altKey) {
    if (key === 'F5') return act(() => runOperation('read', scope));
    if (key === 'F6') return act(() => runOperation('program', scope));
    if (key === 'F7') return act(() => runOperation('verify', scope));
    if (key === 'F8') return act(() => runOperation('blankCheck', scope));
  }
  if (mod && !e.altKey) {
    if (key === 'o') return act(() => openFile());
    if (key === 's') return act(() => (e.shiftKey ? saveAs() : save()));
    if (key === 'k') return act(() => (useConnectionStore().connection ? disconnect() : connect()));
    if (key === 'e' && e.shiftKey) return act(() => runOperation('erase'));
    if (!isTyping(e.target) && /^[1-7]$/.test(key)) return act(() => (ui.activeTab = TAB_ORDER[Number(key) - 1]));
    if (!e.shiftKey && isMemoryTab(ui.activeTab) && (key === 'g' || key === 'f' || key === 'l')) {
      return act(() => ui.requestTool(key === 'g' ? 'goto' : key === 'f' ? 'find' : 'fill'));
    }
  }
  return false;
}
