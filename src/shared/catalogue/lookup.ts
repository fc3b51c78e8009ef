/**
 * Finding a part by what a user types: an exact catalogue name, a concrete chip that an
 * stm8flash pattern answers to ("?" = any one character, stm8flash stm8.c / main.c), the pattern
 * itself, or a full ordering code with package/temperature/packing suffix (STM8S103F3P6TR).
 * Case-insensitive. An unknown name is an AppError listing the closest names.
 */
import { AppError } from '../errors';
import type { Part } from './types';
import { allParts, concretePart } from './parts';

interface Index {
  byName: Map<string, Part>;
  byChip: Map<string, Part>;
  patterns: Part[];
  names: string[];
}

let index: Index | null = null;

function getIndex(): Index {
  if (index) return index;
  const byName = new Map<string, Part>();
  const byChip = new Map<string, Part>();
  const patterns: Part[] = [];
  for (const p of allParts()) {
    byName.set(p.name, p);
    if (p.name.includes('?')) patterns.push(p);
    for (const chip of p.aliases) byChip.set(chip.toLowerCase(), p);
  }
  const names = [...new Set([...byChip.keys(), ...byName.keys()])].sort();
  index = { byName, byChip, patterns, names };
  return index;
}

/** stm8flash-style match: same length, "?" in the pattern stands for any one character. */
export function matchesPattern(pattern: string, name: string): boolean {
  if (pattern.length !== name.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '?' && pattern[i] !== name[i]) return false;
  }
  return true;
}

function normalise(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, '');
}

/** Resolve an already-normalised name without suffix stripping; null when nothing answers. */
function resolveExact(q: string): Part | null {
  const ix = getIndex();
  const entry = ix.byName.get(q);
  if (entry) return entry;
  const chip = ix.byChip.get(q);
  if (chip) return concretePart(chip, q);
  const pat = ix.patterns.find((p) => matchesPattern(p.name, q));
  return pat ? concretePart(pat, q) : null;
}

/**
 * ST ordering codes append package letter + temperature code (+ optional packing such as "TR"):
 * STM8S103F3P6, STM8L152C6T6, STM8AF6266TCY. Accept a tail of 2-5 characters that starts with a
 * letter, trying the longest remaining name first.
 */
const ORDERING_SUFFIX = /^[a-z][a-z0-9]{1,4}$/;

function resolve(q: string): Part | null {
  const direct = resolveExact(q);
  if (direct) return direct;
  for (let cut = 2; cut <= 5 && cut < q.length; cut++) {
    const tail = q.slice(q.length - cut);
    if (!ORDERING_SUFFIX.test(tail)) continue;
    const hit = resolveExact(q.slice(0, q.length - cut));
    if (hit) return hit;
  }
  return null;
}

/** Concrete chip names (from stm8flash/GX matches) plus every catalogue name, sorted. For pickers. */
export function partNames(): string[] {
  return [...getIndex().names];
}

/** Edit distance where "?" in the candidate costs nothing against any character. */
function distance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  const cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const same = a[i - 1] === b[j - 1] || b[j - 1] === '?';
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1));
    }
    for (let j = 0; j <= b.length; j++) prev[j] = cur[j];
  }
  return prev[b.length];
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && (a[i] === b[i] || b[i] === '?')) i++;
  return i;
}

/** The n catalogue names nearest to `query` (edit distance, then longest shared prefix). */
export function closestPartNames(query: string, n = 5): string[] {
  const q = normalise(query);
  const scored = getIndex().names.map((name) => {
    // An ordering code longer than the name is compared on the name's length too, so
    // "stm8s103x3p6" still ranks stm8s103?3 first.
    const d = Math.min(distance(q, name), q.length > name.length ? distance(q.slice(0, name.length), name) + 1 : Infinity);
    return { name, d, prefix: commonPrefix(q, name) };
  });
  scored.sort((x, y) => x.d - y.d || y.prefix - x.prefix || x.name.localeCompare(y.name));
  return scored.slice(0, Math.max(0, n)).map((s) => s.name);
}

/** Like findPart, but null instead of an error. */
export function tryFindPart(name: string): Part | null {
  const q = normalise(name);
  return q ? resolve(q) : null;
}

/**
 * Look a part up by exact name, stm8flash pattern, concrete chip name or ordering code.
 * A name that came through a pattern gives a Part whose `name` is that chip (e.g. "stm8s103f3",
 * pattern "stm8s103?3").
 * @throws AppError code "unknown-part" listing the closest names.
 */
export function findPart(name: string): Part {
  const q = normalise(name);
  const hit = q ? resolve(q) : null;
  if (hit) return hit;
  const closest = closestPartNames(q, 5);
  const shown = q ? `"${name.trim()}"` : '(empty name)';
  throw new AppError('unknown-part', `Unknown part ${shown}. Closest: ${closest.join(', ')}`, 'Run `swim-studio parts` to list every supported part, then pass one of those names (e.g. stm8s103f3).', {
    query: name,
    closest,
  });
}
