/**
 * The files that may cite a spec document: every text file below the scanned folders, less the
 * two that name the old citation forms on purpose. scripts/rewrite-spec-citations.mjs rewrites
 * their citations and test/unit/docs/citations.test.ts checks that each one resolves.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SCANNED = ['src', 'test', 'bench', 'docs', 'bin', 'README.md'];
const SKIPPED_DIRS = new Set(['node_modules', 'out', 'dist', '.git']);
const TEXT_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.vue', '.md', '.c', '.h', '.sh', '.py']);
// The rewriting script and the citation test name the old forms on purpose; they must stay as they are.
const SELF_CITING = new Set(['scripts/rewrite-spec-citations.mjs', 'test/unit/docs/citations.test.ts']);

function* walk(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (!SKIPPED_DIRS.has(entry)) yield* walk(join(path, entry));
    }
  } else if (TEXT_EXTENSIONS.has(extname(path))) {
    yield path;
  }
}

/**
 * Each file that may cite a spec document, in a stable order: its absolute path and its path
 * relative to the repository root, with `/`.
 */
export function* specCitationFiles() {
  for (const top of SCANNED) {
    for (const path of walk(join(ROOT, top))) {
      const rel = relative(ROOT, path).split(sep).join('/');
      if (!SELF_CITING.has(rel)) yield { path, rel };
    }
  }
}
