/**
 * The part catalogue and the part the user picked. The picker lists every catalogue part
 * (listParts); the chosen part's full description (memories, option bytes) comes from
 * partInfo and decides which memory tabs exist and their address ranges.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Part } from '#shared/catalogue/types';
import type { AppErrorData } from '#shared/errors';
import type { MemoryArea, PartSummary, RegionInfo } from '#shared/ipc';
import { call } from '../api/client';
import { partChoices, type PartChoice } from '../lib/part-search';

export const DEFAULT_PART = 'stm8s103f3';

export const usePartStore = defineStore('part', () => {
  /** The catalogue (listParts), filled in at start-up. */
  const parts = shallowRef<PartSummary[]>([]);
  const part = shallowRef<Part | null>(null);
  /** Chip names for the picker, one per concrete part (worked out when the picker first needs them). */
  const choices = computed<PartChoice[]>(() => partChoices(parts.value));
  /** The chip name the user picked (the catalogue entry may be a pattern such as stm8s103?3). */
  const chosenName = ref<string | null>(null);
  const loading = ref(false);
  /** Why the last pick failed (unknown part), for the picker to show. */
  const error = shallowRef<AppErrorData | null>(null);

  /** Picks a part by name, alias or stm8flash pattern; throws ApiError 'unknown-part'. */
  async function select(name: string): Promise<Part> {
    loading.value = true;
    try {
      const p = await call('partInfo', { name });
      part.value = p;
      chosenName.value = name.toLowerCase();
      error.value = null;
      return p;
    } finally {
      loading.value = false;
    }
  }

  /** What to show for the picked part: the chip name typed or chosen, else the catalogue name. */
  const displayName = computed(() => (chosenName.value ?? part.value?.name ?? '').toUpperCase());

  /** The memory areas the app shows for this part, in tab order. */
  const regions = computed<RegionInfo[]>(() => {
    const p = part.value;
    if (!p) return [];
    const list: RegionInfo[] = [{ region: 'flash', start: p.flash.start, size: p.flash.size, end: p.flash.end }];
    if (p.eeprom) list.push({ region: 'eeprom', start: p.eeprom.start, size: p.eeprom.size, end: p.eeprom.end });
    list.push({ region: 'ram', start: p.ram.start, size: p.ram.size, end: p.ram.end });
    list.push({ region: 'option', start: p.option.start, size: p.option.size, end: p.option.end });
    return list;
  });

  function region(area: MemoryArea): RegionInfo | undefined {
    return regions.value.find((r) => r.region === area);
  }

  return { parts, choices, part, chosenName, displayName, loading, error, regions, region, select };
});
