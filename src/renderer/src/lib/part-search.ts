/**
 * Searching the part catalogue the way people type part names: "103f3", "STM8S103F3P6",
 * "s003", "stm8l15". Names are compared without case, an exact name or alias first, then
 * names starting with the text, then names containing it (also after dropping "stm8"), then
 * family matches.
 */
import type { PartSummary } from '../../../shared/ipc';

const norm = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '');

export function searchParts(parts: readonly PartSummary[], query: string, limit = 200): PartSummary[] {
  const q = norm(query);
  if (!q) return parts.slice(0, limit);
  const scored: { p: PartSummary; score: number }[] = [];
  for (const p of parts) {
    const s = score(p, q);
    if (s > 0) scored.push({ p, score: s });
  }
  scored.sort((a, b) => b.score - a.score || a.p.name.localeCompare(b.p.name));
  return scored.slice(0, limit).map((x) => x.p);
}

function score(p: PartSummary, q: string): number {
  const name = norm(p.name);
  const aliases = p.aliases.map(norm);
  if (name === q || aliases.includes(q)) return 100;
  // A full order code such as stm8s103f3p6 names the part it starts with.
  if (q.startsWith(name)) return 90;
  if (name.startsWith(q) || aliases.some((a) => a.startsWith(q))) return 80;
  if (name.replace(/^stm8/, '').startsWith(q)) return 70;
  if (name.includes(q) || aliases.some((a) => a.includes(q))) return 50;
  if (norm(p.family).includes(q)) return 20;
  return 0;
}
