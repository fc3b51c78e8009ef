/**
 * docs/diagnostics.md lists the ladder and every finding; the code is the source. A finding
 * added, renamed, re-titled or moved to another step without the docs fails here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDINGS, makeFinding } from '../../../src/main/diagnostics/findings';
import { STEP_DEFINITIONS } from '../../../src/main/diagnostics/steps';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/diagnostics.md', import.meta.url)), 'utf8');

/** The rows of the Markdown table whose header line starts with `header`, as cells. */
function tableRows(header: string): string[][] {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  expect(start, `table "${header}" in docs/diagnostics.md`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(l.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

describe('docs/diagnostics.md', () => {
  it('lists every finding with the code\'s severity, step, rules and title, in the code\'s order', () => {
    const documented = tableRows('| Code | Severity | Step |').map(([code, severity, step, rules, title]) => ({
      code: code.replace(/`/g, ''),
      severity,
      step,
      rules,
      title,
    }));
    const fromCode = [...FINDINGS.keys()].map((code) => {
      const f = makeFinding(code);
      return { code, severity: f.severity, step: f.step, rules: f.rules.join(', '), title: f.title };
    });
    expect(documented).toEqual(fromCode);
  });

  it('lists the twelve ladder steps with their ids and titles, in order', () => {
    const documented = tableRows('| # | Step (`id`) |').map(([n, step]) => ({ n: Number(n), step }));
    expect(documented).toEqual(STEP_DEFINITIONS.map((s, i) => ({ n: i + 1, step: `${s.title} (\`${s.id}\`)` })));
  });
});
