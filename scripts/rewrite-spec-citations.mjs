#!/usr/bin/env node
/**
 * Points every citation of a spec document at the copy inside the repository.
 *
 * The code once cited research notes that lived beside the checkout (`../shared/spec/*.md`,
 * or just `simulator.md §4`, `anchors T9`); a clone has none of them. The facts now live in
 * docs/spec/ with the same section numbers and rule ids, so a citation is fixed by rewriting
 * its path alone:
 *   (../)*shared/spec/X.md          -> docs/spec/X.md
 *   X.md (no folder in front)       -> docs/spec/X.md     (X one of the five spec names)
 *   anchors T9 / anchors §6         -> docs/spec/anchors.md T9 / §6
 *   (../)*shared/spec/stm8-devices.json -> src/shared/catalogue/stm8-devices.json
 *
 * Idempotent: a rewritten citation has a folder in front of it and matches no rule again,
 * so the lead can re-run this after merging branches that added old-style citations.
 *
 * Usage: node scripts/rewrite-spec-citations.mjs [--check]
 *   --check  change nothing; list what would change and exit 1 if anything would.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { specCitationFiles } from './spec-citation-files.mjs';

const SPEC_NAMES = 'stlink-swim|stm8-target|simulator|anchors|usbip-rig';
// "Not preceded by a path character" keeps already rewritten citations (docs/spec/X.md)
// and unrelated files that merely end in the same name (foo-simulator.md) untouched; a
// markdown link target `](X.md)` is relative to its own file and stays as written.
const NO_PATH_BEFORE = '(?<![\\w./-])(?<!\\]\\()';

/**
 * Each rule: a pattern and its replacement (a string, or a function of the file's path relative
 * to the repository root), applied in this order.
 */
export const RULES = [
  {
    // A path in a string literal is code (`new URL('../../../../shared/spec/anchors.md', …)`):
    // it must stay relative to its own file, so it becomes the climb to the repository copy.
    name: 'spec path in code',
    pattern: /(['"`])((?:\.\.\/)+)shared\/spec\/([\w.-]+)/g,
    replacement: (file, match) => {
      const [, quote, , name] = match;
      const target = name === 'stm8-devices.json' ? 'src/shared/catalogue/stm8-devices.json' : `docs/spec/${name}`;
      let rel = posix.relative(dirname(file), target);
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `${quote}${rel}`;
    },
  },
  {
    name: 'device table',
    pattern: new RegExp(`${NO_PATH_BEFORE}(?:\\.\\./)*shared/spec/stm8-devices\\.json`, 'g'),
    replacement: 'src/shared/catalogue/stm8-devices.json',
  },
  {
    name: 'shared/spec path',
    pattern: new RegExp(`${NO_PATH_BEFORE}(?:\\.\\./)*shared/spec/`, 'g'),
    replacement: 'docs/spec/',
  },
  {
    name: 'bare spec name',
    pattern: new RegExp(`${NO_PATH_BEFORE}(${SPEC_NAMES})\\.md\\b`, 'g'),
    replacement: 'docs/spec/$1.md',
  },
  {
    // One citation named the wrong file: the read-protection symptom T1 is a diagnostic rule
    // of anchors.md §6.4; stlink-swim.md has no §6.4.
    name: 'known wrong file',
    pattern: /stlink-swim\.md §6\.4 T1\b/g,
    replacement: 'anchors.md §6.4 T1',
  },
  {
    name: 'anchors rule',
    pattern: new RegExp(`${NO_PATH_BEFORE}anchors(?= (?:§|[TUPWH]\\d))`, 'g'),
    replacement: 'docs/spec/anchors.md',
  },
];

/**
 * Rewrites one file's text; `file` is its path relative to the repository root, with `/`.
 * Returns the new text and how many citations changed.
 */
export function rewriteCitations(text, file) {
  let count = 0;
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (...args) => {
      count += 1;
      const match = args.slice(0, -2).filter((a) => typeof a === 'string' || a === undefined);
      if (typeof rule.replacement === 'function') return rule.replacement(file, match);
      return rule.replacement.replace(/\$1/g, match[1] ?? '');
    });
  }
  return { text: out, count };
}

function main() {
  const check = process.argv.includes('--check');
  let total = 0;
  const touched = [];
  for (const { path: file, rel } of specCitationFiles()) {
    const before = readFileSync(file, 'utf8');
    const { text, count } = rewriteCitations(before, rel);
    if (count === 0 || text === before) continue;
    total += count;
    touched.push(`${rel} (${count})`);
    if (!check) writeFileSync(file, text);
  }
  for (const line of touched) console.log(line);
  const verb = check ? 'would rewrite' : 'rewrote';
  console.log(`${verb} ${total} citation(s) in ${touched.length} file(s)`);
  if (check && total > 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
