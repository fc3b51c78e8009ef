/**
 * The area buffers, one per area of the chosen part (flash, EEPROM, RAM, option bytes):
 * "as edited" and "as on device" live in AreaBuffer objects kept out of Vue's deep
 * reactivity (128 KB of proxied numbers would crawl); `revisions` is the reactive signal
 * that a buffer changed, which views and getters read.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowRef } from 'vue';
import type { AddressRange, LoadedFile, MemoryArea, OptionBytesResult, RegionInfo, AreaSegment } from '#shared/ipc';
import { AreaBuffer } from '../lib/area-buffer';

export interface FileNotice {
  name: string;
  /** Bytes per area that the file put in. */
  counts: Partial<Record<MemoryArea, number>>;
  outside: AddressRange[];
  outsideBytes: number;
}

export const AREA_LABEL: Record<MemoryArea, string> = {
  flash: 'Flash',
  eeprom: 'EEPROM',
  ram: 'RAM',
  option: 'Option bytes',
};

export const useMemoryStore = defineStore('memory', () => {
  const buffers = shallowRef<Partial<Record<MemoryArea, AreaBuffer>>>({});
  const revisions = reactive<Record<MemoryArea, number>>({ flash: 0, eeprom: 0, ram: 0, option: 0 });
  /** The last file opened (name shown in the title), and what happened to its bytes. */
  const fileName = ref<string | null>(null);
  const filePath = ref<string | null>(null);
  const lastLoad = ref<FileNotice | null>(null);
  /** The option bytes as last read and decoded by main (the Option bytes tab shows them). */
  const optionReading = shallowRef<OptionBytesResult | null>(null);

  function buffer(area: MemoryArea): AreaBuffer | undefined {
    return buffers.value[area];
  }

  /**
   * Call after changing a buffer so views redraw. Always a new number: a fresh buffer's own
   * revision can equal the old signal (a file opened right after start-up), and Vue would
   * see no change.
   */
  function touch(area: MemoryArea): void {
    revisions[area]++;
  }

  /** New, blank buffers for a part's areas (the part changed). */
  function reset(regions: RegionInfo[]): void {
    const next: Partial<Record<MemoryArea, AreaBuffer>> = {};
    for (const r of regions) next[r.region] = markRaw(new AreaBuffer(r.region, r.start, r.size));
    buffers.value = next;
    fileName.value = null;
    filePath.value = null;
    lastLoad.value = null;
    optionReading.value = null;
    for (const a of Object.keys(revisions) as MemoryArea[]) revisions[a]++;
  }

  /** The device side is unknown again (another target connected). */
  function forgetDevice(): void {
    for (const [area, img] of Object.entries(buffers.value) as [MemoryArea, AreaBuffer][]) {
      img.forgetDevice();
      touch(area);
    }
  }

  /**
   * A file's segments land in their tabs; each area the file touches is filled blank first.
   * Areas the file does not touch keep what they hold. Returns what went where.
   */
  function applyFile(file: LoadedFile): FileNotice {
    const pieces = new Map<MemoryArea, { offset: number; data: Uint8Array }[]>();
    const counts: Partial<Record<MemoryArea, number>> = {};
    const outside = [...file.outside];
    for (const seg of file.segments) {
      const img = buffers.value[seg.region];
      if (!img || seg.address < img.start || seg.address + seg.data.length - 1 > img.end) {
        // The part here has no such area (e.g. file split for another part): report, do not drop silently.
        outside.push({ start: seg.address, end: seg.address + seg.data.length - 1 });
        continue;
      }
      const list = pieces.get(seg.region) ?? [];
      list.push({ offset: seg.address - img.start, data: seg.data });
      pieces.set(seg.region, list);
      counts[seg.region] = (counts[seg.region] ?? 0) + seg.data.length;
    }
    for (const [area, list] of pieces) {
      buffers.value[area]!.loadPieces(list, file.name);
      touch(area);
    }
    fileName.value = file.name;
    filePath.value = file.path ?? null;
    const notice: FileNotice = {
      name: file.name,
      counts,
      outside,
      outsideBytes: outside.reduce((n, r) => n + (r.end - r.start + 1), 0),
    };
    lastLoad.value = notice;
    return notice;
  }

  /** Bytes read from the chip replace the bytes they cover. */
  function applyRead(segments: AreaSegment[]): void {
    for (const seg of segments) {
      const img = buffers.value[seg.region];
      if (!img) continue;
      if (seg.address === img.start && seg.data.length >= img.size) img.takeRead(seg.data);
      else {
        // A partial read (sub-range): patch both views where it lands.
        const offset = seg.address - img.start;
        const data = seg.data.subarray(0, Math.max(0, img.size - offset));
        const device = img.device ?? img.edited.slice();
        device.set(data, offset);
        img.device = device;
        img.edited.set(data, offset);
        img.state = 'read';
        img.revision++;
      }
      touch(seg.region);
    }
  }

  /** An area's whole buffer as one segment (what Program and Verify send). */
  function segmentOf(area: MemoryArea): AreaSegment | null {
    const img = buffers.value[area];
    return img ? { region: area, address: img.start, data: img.edited.slice() } : null;
  }

  function setByte(area: MemoryArea, offset: number, value: number): void {
    const img = buffers.value[area];
    if (img?.setByte(offset, value)) touch(area);
  }

  function fill(area: MemoryArea, from: number, to: number, value: number): number {
    const img = buffers.value[area];
    if (!img) return 0;
    const n = img.fill(from, to, value);
    touch(area);
    return n;
  }

  function paste(area: MemoryArea, offset: number, bytes: Uint8Array): number {
    const img = buffers.value[area];
    if (!img) return 0;
    const n = img.paste(offset, bytes);
    touch(area);
    return n;
  }

  function markSaved(areas: MemoryArea[], name: string, path?: string): void {
    for (const a of areas) {
      buffers.value[a]?.markSaved(name);
      touch(a);
    }
    fileName.value = name;
    filePath.value = path ?? null;
  }

  /** Any area with hand edits not yet saved to a file. */
  const dirty = computed(() => {
    for (const a of Object.keys(revisions) as MemoryArea[]) void revisions[a];
    return Object.values(buffers.value).some((img) => img?.unsaved);
  });

  const areas = computed(() => Object.keys(buffers.value) as MemoryArea[]);

  return { buffers, revisions, fileName, filePath, lastLoad, optionReading, areas, dirty, buffer, touch, reset, forgetDevice, applyFile, applyRead, segmentOf, setByte, fill, paste, markSaved };
});
