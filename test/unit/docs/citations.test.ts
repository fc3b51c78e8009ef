/**
 * Every citation of a spec document must resolve inside the repository: the file exists,
 * each § number names a heading of that file, each rule id (T9, W3, Q10, ...) is defined
 * there. A clone has nothing outside the checkout, so `shared/spec/...`, `../shared/...`
 * leaving the repository, a bare `simulator.md §4` or `anchors T9` resolve nowhere and fail.
 * scripts/rewrite-spec-citations.mjs fixes the old forms mechanically.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, specCitationFiles } from '../../../scripts/spec-citation-files.mjs';

/**
 * A markdown file named with or without a folder, then the §s and ids that follow it (also
 * across a line break inside a `*` or `//` comment).
 */
const MD_CITATION = /(?<![\w./-])((?:\.{1,2}\/)*[\w.-]+(?:\/[\w.-]+)*\.md)\b((?:[`'"]?[ \t]*(?:§[ \t]?\d+(?:\.\d+)*|[TUPWHQ]\d+\b|item \d+|,|and\b|or\b|–|-|\/|&|\r?\n[ \t]*(?:\*(?!\/)|\/\/)?)[ \t]*)*)/g;
/** `anchors T9`, `anchors §6`: the old short form with no file at all. */
const BARE_ANCHORS = /(?<![\w./-])anchors (?=§|[TUPWH]\d)/g;
/** Any path through `shared/spec/` or climbing out through `../shared/`. */
const SHARED_PATH = /(?<![\w./-])((?:\.\.\/)*)shared\/([\w./-]*[\w-])/g;

interface Citation {
  file: string;
  line: number;
  text: string;
}

function inRepo(path: string): boolean {
  const rel = relative(ROOT, path);
  return !rel.startsWith('..') && !rel.startsWith(sep) && existsSync(path);
}

/**
 * Where a cited markdown path points: a markdown link target or a `./`, `../` path relative to
 * the citing file only; a path in prose relative to the citing file, then to the repository root.
 */
function resolveMarkdown(cited: string, from: string, isLinkTarget: boolean): string | undefined {
  const relativeOnly = isLinkTarget || cited.startsWith('.');
  const candidates = relativeOnly ? [resolve(dirname(from), cited)] : [resolve(dirname(from), cited), resolve(ROOT, cited)];
  return candidates.find((path) => inRepo(path) && statSync(path).isFile());
}

/** A `../shared/x` path as an import would resolve it (extension optional). */
function resolveSharedPath(climb: string, rest: string, from: string): boolean {
  // Without a climb, `shared/...` is a folder named loosely (src/shared); only the old
  // outside spec folder is a citation that resolves nowhere.
  if (!climb) return !rest.startsWith('spec');
  const base = resolve(dirname(from), `${climb}shared/${rest}`);
  return ['', '.ts', '.js', '.vue', '.json', '/index.ts'].some((ext) => inRepo(base + ext));
}

const headingCache = new Map<string, { sections: Set<string>; text: string }>();

function specFacts(path: string): { sections: Set<string>; text: string } {
  let facts = headingCache.get(path);
  if (!facts) {
    const text = readFileSync(path, 'utf8');
    const sections = new Set<string>();
    for (const m of text.matchAll(/^#{1,6}[ \t]+(\d+(?:\.\d+)*)\.?(?=[ \t]|$)/gm)) sections.add(m[1]);
    facts = { sections, text };
    headingCache.set(path, facts);
  }
  return facts;
}

/** An id counts as defined where it opens a table row, a heading or a bold label. */
function definesId(text: string, id: string): boolean {
  return new RegExp(`(^\\|[ \\t]*${id}[ \\t]*\\|)|(^#{1,6}[ \\t]+${id}\\b)|(\\*\\*${id}\\*\\*)`, 'm').test(text);
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Every citation in the scanned files that resolves nowhere, as `path:line: what`. */
function unresolvedCitations(): Citation[] {
  const bad: Citation[] = [];
  for (const { path: file, rel } of specCitationFiles()) {
    const text = readFileSync(file, 'utf8');
    const report = (index: number, what: string): void => {
      bad.push({ file: rel, line: lineOf(text, index), text: what });
    };
    for (const m of text.matchAll(SHARED_PATH)) {
      if (!resolveSharedPath(m[1], m[2], file)) report(m.index, `${m[0]}: outside the repository`);
    }
    for (const m of text.matchAll(BARE_ANCHORS)) report(m.index, `${m[0].trim()} ...: no file named`);
    for (const m of text.matchAll(MD_CITATION)) {
      const [, cited, tail] = m;
      const sections = [...tail.matchAll(/§[ \t]?(\d+(?:\.\d+)*)/g)].map((s) => s[1]);
      const ids = [...tail.matchAll(/\b([TUPWHQ]\d+)\b/g)].map((s) => s[1]);
      const isSpec = /(^|\/)(stlink-swim|stm8-target|simulator|anchors|usbip-rig)\.md$/.test(cited) || cited.includes('spec/');
      // Other markdown files matter only when a section or id is cited in them.
      if (!isSpec && sections.length === 0 && ids.length === 0) continue;
      // A markdown link target and a `new URL('...', import.meta.url)` argument are relative
      // to their file, whatever a reader of the prose would assume.
      const before = text.slice(Math.max(0, m.index - 9), m.index);
      const isLinkTarget = (file.endsWith('.md') && before.endsWith('](')) || /new URL\(['"`]$/.test(before);
      const target = resolveMarkdown(cited, file, isLinkTarget);
      if (!target) {
        report(m.index, `${cited}: no such file in the repository`);
        continue;
      }
      const facts = specFacts(target);
      for (const s of sections) if (!facts.sections.has(s)) report(m.index, `${cited} §${s}: no heading starts with ${s}`);
      for (const id of ids) if (!definesId(facts.text, id)) report(m.index, `${cited} ${id}: not defined there`);
    }
  }
  return bad;
}

describe('citations of spec documents', () => {
  it('all resolve inside the repository', () => {
    const bad = unresolvedCitations().map((c) => `${c.file}:${c.line}: ${c.text}`);
    expect(bad, `${bad.length} citation(s) resolve nowhere:\n${bad.join('\n')}`).toEqual([]);
  });

  it('finds the spec documents the citations point at', () => {
    // Guards the scan itself: were docs/spec missing or its headings unreadable, every
    // citation above would be reported, not silently skipped.
    const facts = specFacts(join(ROOT, 'docs/spec/simulator.md'));
    expect(facts.sections.has('4')).toBe(true);
    expect(definesId(readFileSync(join(ROOT, 'docs/spec/anchors.md'), 'utf8'), 'T9')).toBe(true);
  });
});
