/**
 * The Production tab's state: the opened recipe's preview, one card per station, the totals
 * and the boards logged in this session. Fed by the productionStation / productionRecord /
 * productionTotals events; the run itself lives in main (src/main/production).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppErrorData } from '#shared/errors';
import type { ProductionRecordInfo, ProductionTotals, RecipePreview, StationStatus } from '#shared/production';
import { api, call, errorData } from '../../api/client';

/** Boards kept for the log at the bottom of the tab (the full log is the recipe's file). */
const SHOWN_RECORDS = 200;

export const useProductionStore = defineStore('production', () => {
  const recipePath = ref('');
  const preview = ref<RecipePreview | null>(null);
  const stationsText = ref('virtual:stlinkv3:stm8s103f3');
  const count = ref<number | null>(null);
  const stations = ref<Record<string, StationStatus>>({});
  const records = ref<ProductionRecordInfo[]>([]);
  const totals = ref<ProductionTotals>({ running: false, passed: 0, failed: 0, failedByCode: {}, boardsPerHour: 0 });
  const error = ref<AppErrorData | null>(null);
  let listening = false;

  function listen(): void {
    if (listening) return;
    listening = true;
    const a = api();
    a.on('productionStation', (s) => (stations.value = { ...stations.value, [s.station]: s }));
    a.on('productionRecord', (r) => (records.value = [r, ...records.value].slice(0, SHOWN_RECORDS)));
    a.on('productionTotals', (t) => (totals.value = t));
  }

  const yieldPercent = computed(() => {
    const n = totals.value.passed + totals.value.failed;
    return n ? (100 * totals.value.passed) / n : null;
  });

  async function openRecipe(): Promise<void> {
    error.value = null;
    try {
      listen();
      preview.value = await call('productionOpenRecipe', { path: recipePath.value.trim() });
    } catch (e) {
      preview.value = null;
      error.value = errorData(e);
    }
  }

  async function start(): Promise<void> {
    error.value = null;
    const specs = stationsText.value
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      listen();
      stations.value = Object.fromEntries(specs.map((s) => [s, { station: s, state: 'connecting' } satisfies StationStatus]));
      records.value = [];
      totals.value = await call('productionStart', { stations: specs, continuous: count.value === null, ...(count.value !== null ? { count: count.value } : {}) });
    } catch (e) {
      error.value = errorData(e);
    }
  }

  async function stop(): Promise<void> {
    try {
      totals.value = await call('productionStop', {});
    } catch (e) {
      error.value = errorData(e);
    }
  }

  return { recipePath, preview, stationsText, count, stations, records, totals, yieldPercent, error, openRecipe, start, stop };
});
