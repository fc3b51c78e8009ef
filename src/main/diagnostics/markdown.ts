/**
 * The report as Markdown a user can paste into a forum post or an issue: what was tested
 * (probe, firmware, OS, app version, part), the findings with their remedies, every step,
 * and the tail of the USB trace. GitHub-flavoured Markdown; the only HTML is one <details>
 * block that folds the raw values (GitHub and Discourse forums render it).
 */
import type { DiagnosticsReport, Finding, Severity, StepState, TraceLine } from './types';
import { hexDigits } from '#shared/hex';

const SEVERITY_WORD: Record<Severity, string> = { ok: 'OK', info: 'Info', warning: 'Warning', error: 'Error' };
const STATE_WORD: Record<StepState, string> = { waiting: 'not run', running: 'running', passed: 'passed', failed: 'FAILED', skipped: 'skipped' };

/** Table cells: no pipes or line breaks. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function fence(text: string, lang = ''): string[] {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return [f + lang, text.trimEnd(), f];
}

function findingBlock(f: Finding, n: number): string[] {
  const lines = [`### ${n}. ${SEVERITY_WORD[f.severity]}: ${f.title} (\`${f.code}\`)`, '', f.explanation, ''];
  if (f.remedies.length > 0) {
    lines.push('What to do:', '');
    f.remedies.forEach((r, i) => lines.push(`${i + 1}. ${r}`));
    lines.push('');
  }
  if (f.evidence) lines.push(`Evidence: \`${f.evidence.replace(/`/g, "'")}\``, '');
  for (const s of f.snippets ?? []) lines.push(`${s.title}:`, '', ...fence(s.text, s.language === 'udev' ? '' : s.language), '');
  if (f.rules.length > 0 || f.action) {
    const bits = [`step: ${f.step}`];
    if (f.action) bits.push(`action: ${f.action}`);
    if (f.rules.length > 0) bits.push(`field rules: ${f.rules.join(', ')}`);
    lines.push(`_${bits.join(' · ')}_`, '');
  }
  return lines;
}

function traceLine(l: TraceLine): string {
  const t = l.t.toFixed(3).padStart(10);
  const op = l.op.toUpperCase().padEnd(5);
  const ep = l.op === 'out' || l.op === 'in' ? `ep ${l.endpoint.toString(16).padStart(2, '0')}` : '     ';
  const len = l.op === 'out' || l.op === 'in' ? String(l.length).padStart(4) : '    ';
  const what = l.decoded ? `  ${l.decoded}` : '';
  const err = l.error ? `  !! ${l.error}` : '';
  return `${t} ${op} ${ep} ${len}  ${l.hex}${what}${err}`.trimEnd();
}

export function formatReportMarkdown(r: DiagnosticsReport): string {
  const out: string[] = [];
  out.push('# SWIM Studio connection diagnostics', '');
  out.push(`**Result: ${SEVERITY_WORD[r.verdict.severity]} — ${r.verdict.title}** (\`${r.verdict.code}\`)${r.cancelled ? ' — run cancelled' : ''}`, '');
  const p = r.probe;
  const rows: [string, string][] = [
    ['Probe', p ? `${p.name} (${hexDigits(p.vendorId, 4)}:${hexDigits(p.productId, 4)}), serial ${p.serial || '(none)'}${p.portPath ? `, port ${p.portPath}` : ''}, ${p.transport}` : 'none'],
    ['Firmware', r.firmware ? `${r.firmware.version} — SWIM v${r.firmware.swim} (${r.firmware.versionLine})` : 'not read'],
    ['Target voltage', r.targetVoltage === null ? (r.steps.find((s) => s.id === 'target-voltage')?.state === 'passed' ? 'not measured by this probe' : 'not read') : `${r.targetVoltage.toFixed(2)} V`],
    ['Part selected', r.part.selected ?? 'none'],
    ['Chip identified as', r.part.identified ?? 'not identified'],
    ['Part used for the checks', r.part.used ?? 'none'],
    ['OS', r.environment.os],
    ['SWIM Studio', `${r.environment.appVersion} (Node ${r.environment.node}${r.environment.electron ? `, Electron ${r.environment.electron}` : ''})`],
    ['Date', r.environment.createdAt],
  ];
  if (r.probesSeen.length > 1) rows.splice(1, 0, ['Other probes', r.probesSeen.filter((x) => x !== p).map((x) => `${x.name} ${hexDigits(x.productId, 4)} ${x.serial}`).join('; ')]);
  out.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), '');

  out.push('## Findings', '');
  if (r.findings.length === 0) out.push('None.', '');
  r.findings.forEach((f, i) => out.push(...findingBlock(f, i + 1)));

  out.push('## Steps', '', '| # | Check | Result | Seen |', '|---|---|---|---|');
  for (const s of r.steps) {
    const seen = [s.evidence, s.note && s.state === 'skipped' ? s.note : undefined].filter(Boolean).join(' — ');
    out.push(`| ${s.index} | ${cell(s.title)} | ${STATE_WORD[s.state]} | ${cell(seen ?? '')} |`);
  }
  out.push('');
  const withFacts = r.steps.filter((s) => Object.keys(s.facts).length > 0);
  if (withFacts.length > 0) {
    out.push('<details><summary>Values seen per step</summary>', '');
    const text = withFacts.map((s) => `${s.id}: ${Object.entries(s.facts).map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`).join(', ')}`).join('\n');
    out.push(...fence(text), '', '</details>', '');
  }

  out.push(`## USB trace (${r.traceTail.length} exchanges ${r.traceNote}, ${r.clock} clock, ms)`, '');
  if (r.traceTail.length === 0) out.push('No exchanges with a probe.', '');
  else out.push(...fence(r.traceTail.map(traceLine).join('\n')), '');
  return out.join('\n');
}
