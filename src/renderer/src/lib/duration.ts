/** Durations for people: "850 ms", "4.2 s", "1 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
}

/** Byte counts for people: "512 B", "8 KB", "128 KB" (STM8 memories are powers of two). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  return `${Number.isInteger(kb) ? kb : kb.toFixed(1)} KB`;
}

/**
 * Time left from the progress so far: the rate since the phase began, projected over what
 * remains. Null until there is enough to go on (a few percent done).
 */
export function estimateRemaining(done: number, total: number, elapsedMs: number): number | null {
  if (total <= 0 || done <= 0 || elapsedMs <= 0 || done / total < 0.02) return null;
  if (done >= total) return 0;
  return (elapsedMs / done) * (total - done);
}
