/**
 * Probes and the connection: the probe list (real probes plus one virtual probe per variant,
 * kept fresh by hot-plug events), the chosen probe and the faults a virtual probe should
 * play, and the live connection (firmware, target voltage) or the reason it was lost.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AppErrorData } from '#shared/errors';
import type { ConnectionInfo, ProbeInfo, ProbeSelection } from '#shared/ipc';
import { call } from '../api/client';

export interface FaultInfo {
  name: string;
  description: string;
}

export const useConnectionStore = defineStore('connection', () => {
  const probes = shallowRef<ProbeInfo[]>([]);
  const selectedId = ref<string | null>(null);
  const faults = shallowRef<FaultInfo[]>([]);
  /** Fault names for the chosen virtual probe ("unplug-after=200" style parameters allowed). */
  const activeFaults = ref<string[]>([]);
  const connection = shallowRef<ConnectionInfo | null>(null);
  const connecting = ref(false);
  /** Why the connection ended when nobody asked (unplugged, power lost...). */
  const lost = shallowRef<AppErrorData | null>(null);
  /** Why the last connect attempt failed. */
  const connectError = shallowRef<AppErrorData | null>(null);

  const selected = computed(() => probes.value.find((p) => p.id === selectedId.value) ?? null);
  const isVirtual = computed(() => selected.value?.selection.kind === 'virtual');

  async function loadFaults(): Promise<void> {
    faults.value = await call('listVirtualFaults', {});
  }

  function setProbes(list: ProbeInfo[]): void {
    probes.value = list;
    if (!list.some((p) => p.id === selectedId.value)) {
      // Prefer a real probe that can do SWIM; else the first virtual one people can try.
      const usable = list.find((p) => p.selection.kind === 'usb' && p.swim !== false && !p.problem);
      selectedId.value = (usable ?? list.find((p) => p.selection.kind === 'virtual') ?? list[0])?.id ?? null;
    }
  }

  /** Picks the probe matching a saved selection, if it is there. */
  function selectBySelection(sel: ProbeSelection | null): void {
    if (!sel) return;
    const match = probes.value.find((p) => sameProbe(p.selection, sel));
    if (match) selectedId.value = match.id;
    // A virtual probe saved (or preselected by `swim-studio --virtual P:PART:FAULTS ui`) with faults.
    if (match && sel.kind === 'virtual' && sel.faults) activeFaults.value = [...sel.faults];
  }

  /** The selection to pass to connect, with the chosen faults for a virtual probe. */
  function selectionToUse(): ProbeSelection | null {
    const p = selected.value;
    if (!p) return null;
    if (p.selection.kind === 'virtual') {
      const list = activeFaults.value.map((f) => f.trim()).filter(Boolean);
      return { ...p.selection, ...(list.length ? { faults: list } : {}) };
    }
    return p.selection;
  }

  async function connect(part: string, options: { underReset: boolean; highSpeed: boolean }): Promise<ConnectionInfo> {
    const probe = selectionToUse();
    if (!probe) throw new Error('Choose a probe first.');
    connecting.value = true;
    lost.value = null;
    try {
      const info = await call('connect', { probe, part, options });
      connection.value = info;
      return info;
    } finally {
      connecting.value = false;
    }
  }

  async function disconnect(): Promise<void> {
    await call('disconnect', {});
    connection.value = null;
  }

  function receiveConnection(info: ConnectionInfo | null, reason?: AppErrorData): void {
    connection.value = info;
    if (!info && reason) lost.value = reason;
    if (info) lost.value = null;
  }

  return {
    probes,
    selectedId,
    selected,
    isVirtual,
    faults,
    activeFaults,
    connection,
    connecting,
    lost,
    connectError,
    loadFaults,
    setProbes,
    selectBySelection,
    selectionToUse,
    connect,
    disconnect,
    receiveConnection,
  };
});

function sameProbe(a: ProbeSelection, b: ProbeSelection): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'usb' && b.kind === 'usb') return a.serial === b.serial;
  if (a.kind === 'virtual' && b.kind === 'virtual') return a.variant === b.variant;
  if (a.kind === 'socket' && b.kind === 'socket') return a.path === b.path;
  return false;
}
