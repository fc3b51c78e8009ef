/** Settings live in main (persisted in the user data folder); this store mirrors them. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { DEFAULT_SETTINGS, type Settings } from '#shared/ipc';
import { call } from '../api/client';

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>({ ...DEFAULT_SETTINGS });

  async function load(): Promise<void> {
    settings.value = await call('getSettings', {});
  }

  async function update(patch: Partial<Settings>): Promise<void> {
    // Show the change at once; main answers with the stored whole.
    settings.value = { ...settings.value, ...patch };
    settings.value = await call('setSettings', patch);
  }

  function receive(s: Settings): void {
    settings.value = s;
  }

  return { settings, load, update, receive };
});
