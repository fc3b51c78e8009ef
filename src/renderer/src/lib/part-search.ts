/**
 * Searching the part catalogue the way people type part names: "103f3", "STM8S103F3P6",
 * "s003", "stm8l15". The catalogue names some entries by stm8flash pattern ("stm8s103?3")
 * with the chips it covers as aliases; the picker lists each chip by its own name, since that
 * is what is printed on it. Ranking: exact name first, then an order code that starts with a
 * name, then names starting with the text (also after dropping "stm8"), then names containing
 * it, then family matches.
 */
import type { PartSummary } from '#shared/ipc';

export interface PartChoice {
  /** What the list shows and what is passed to partInfo, lower case, e.g. "stm8s103f3". */
  name: string;
  part: PartSummary;
}

const norm = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * Part names are lower-case ASCII: plain code-unit order is their alphabetical order, and
 * costs nothing, where localeCompare spent ~14 ms of start-up sorting the catalogue.
 */
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One choice per concrete chip: a pattern entry is listed under each of its aliases. */
export function partChoices(parts: readonly PartSummary[]): PartChoice[] {
  const out: PartChoice[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const names = part.name.includes('?') && part.aliases.length ? part.aliases : [part.name];
    for (const n of names) {
      const name = n.toLowerCase();
      if (seen.has(name)) continue;
      seen.add(name);
      out.push({ name, part });
    }
  }
  return out.sort((a, b) => byName(a.name, b.name));
}

export function searchParts(choices: readonly PartChoice[], query: string, limit = 400): PartChoice[] {
  const q = norm(query);
  if (!q) return choices.slice(0, limit);
  const scored: { c: PartChoice; score: number }[] = [];
  for (const c of choices) {
    const s = score(c, q);
    if (s > 0) scored.push({ c, score: s });
  }
  scored.sort((a, b) => b.score - a.score || byName(a.c.name, b.c.name));
  return scored.slice(0, limit).map((x) => x.c);
}

function score(c: PartChoice, q: string): number {
  const name = norm(c.name);
  if (name === q) return 100;
  // A full order code such as stm8s103f3p6 names the chip it starts with.
  if (q.startsWith(name)) return 90;
  if (name.startsWith(q)) return 80;
  if (name.replace(/^stm8/, '').startsWith(q)) return 70;
  if (name.includes(q)) return 50;
  if (c.part.aliases.some((a) => norm(a).includes(q)) || norm(c.part.name).includes(q)) return 40;
  if (norm(c.part.family).includes(q)) return 20;
  return 0;
}
