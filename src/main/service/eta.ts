/**
 * Time left for a job, from how fast it has gone so far. Jobs are dominated by per-block
 * work of near-constant cost (program, verify, read), so a straight-line estimate over the
 * elapsed time is good; it is withheld until 2 % is done so the first block's connection
 * overhead does not produce a wild number.
 */
export function estimateRemainingMs(elapsedMs: number, done: number, total: number): number | null {
  if (total <= 0 || done <= 0 || done >= total) return done >= total && total > 0 ? 0 : null;
  if (done / total < 0.02) return null;
  return Math.max(0, Math.round((elapsedMs * (total - done)) / done));
}
