/** What the window shows: the active tab, open dialogs, and start-up trouble. */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AppErrorData } from '#shared/errors';
import type { MemoryArea } from '#shared/ipc';

export type TabId = MemoryArea | 'diagnostics' | 'production' | 'log';

export const TAB_ORDER: readonly TabId[] = ['flash', 'eeprom', 'ram', 'option', 'diagnostics', 'production', 'log'];

export const useUiStore = defineStore('ui', () => {
  const activeTab = ref<TabId>('flash');
  /** Fatal start-up problem (no backend, bridge refused): shown instead of the app. */
  const startupError = shallowRef<AppErrorData | null>(null);
  const ready = ref(false);
  const saveDialog = ref(false);
  const aboutDialog = ref(false);
  const shortcutsDialog = ref(false);
  /** A short message at the bottom ("Copied 16 bytes") that fades. */
  const toast = ref<string | null>(null);
  let toastTimer: ReturnType<typeof setTimeout> | null = null;
  /** A keyboard shortcut asked the current memory tab's tools for a field (Ctrl+G / F / L). */
  const toolRequest = ref<{ what: 'goto' | 'find' | 'fill'; seq: number } | null>(null);
  let toolSeq = 0;

  function requestTool(what: 'goto' | 'find' | 'fill'): void {
    toolRequest.value = { what, seq: ++toolSeq };
  }

  /** Set by the app shell: opens the browser file picker. */
  let filePicker: (() => void) | null = null;

  function showToast(text: string): void {
    toast.value = text;
    if (toastTimer) clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (toast.value = null), 2500);
  }

  function setFilePicker(fn: (() => void) | null): void {
    filePicker = fn;
  }

  function pickFile(): void {
    filePicker?.();
  }

  return { activeTab, startupError, ready, saveDialog, aboutDialog, shortcutsDialog, toast, toolRequest, showToast, requestTool, setFilePicker, pickFile };
});

export function isMemoryTab(t: TabId): t is MemoryArea {
  return t === 'flash' || t === 'eeprom' || t === 'ram' || t === 'option';
}
