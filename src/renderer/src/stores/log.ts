/**
 * The log: lines from main (jobs, probes, errors) merged with the renderer's own (files
 * loaded, results shown), time-stamped, filterable by level and text, capped so a long
 * session cannot grow without bound.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { LogEntry, LogLevel } from '#shared/ipc';
import { call } from '../api/client';

export interface LogLine extends LogEntry {
  /** Unique across both sources, for list keys. */
  key: string;
  source: 'main' | 'ui';
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const MAX_LINES = 5000;

export const useLogStore = defineStore('log', () => {
  const lines = shallowRef<LogLine[]>([]);
  const shown = ref<Record<LogLevel, boolean>>({ debug: false, info: true, warn: true, error: true });
  const text = ref('');
  let uiSeq = 0;
  /** Main's sequence numbers already shown: the initial fetch and live events may overlap. */
  const seenMain = new Set<number>();
  let lastMainSeq = -1;

  function push(line: LogLine): void {
    const list = lines.value;
    list.push(line);
    if (list.length > MAX_LINES) list.splice(0, list.length - MAX_LINES);
    triggerRef(lines);
  }

  /** A line from main (event or initial fetch); duplicates by seq are ignored, order kept by time. */
  function receive(entry: LogEntry): void {
    if (seenMain.has(entry.seq)) return;
    seenMain.add(entry.seq);
    const late = entry.seq < lastMainSeq;
    lastMainSeq = Math.max(lastMainSeq, entry.seq);
    push({ ...entry, key: `m${entry.seq}`, source: 'main' });
    if (late) {
      lines.value.sort((a, b) => a.time - b.time);
      triggerRef(lines);
    }
  }

  /** A line the renderer adds itself. */
  function add(level: LogLevel, message: string, details?: Record<string, unknown>): void {
    const seq = ++uiSeq;
    push({ seq, time: Date.now(), level, message, ...(details ? { details } : {}), key: `u${seq}`, source: 'ui' });
  }

  async function load(): Promise<void> {
    const entries = await call('getLog', {});
    for (const e of entries) receive(e);
  }

  const filtered = computed(() => {
    const needle = text.value.trim().toLowerCase();
    return lines.value.filter((l) => shown.value[l.level] && (!needle || l.message.toLowerCase().includes(needle)));
  });

  function clear(): void {
    lines.value = [];
  }

  return { lines, shown, text, filtered, receive, add, load, clear };
});

/** One line of the log as text (for copy and save): "12:03:04.123 INFO  message". */
export function formatLogLine(l: LogEntry): string {
  const details = l.details && Object.keys(l.details).length ? ' ' + JSON.stringify(l.details) : '';
  return `${formatClock(l.time)} ${l.level.toUpperCase().padEnd(5)} ${l.message}${details}`;
}

export function formatClock(time: number): string {
  const d = new Date(time);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
