/** `swim-studio diagnose` on the virtual probe: Markdown or JSON, exit codes by cause. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { forgetVirtualProbes } from '../../../src/main/probes/index';
import { runCli } from '../../../src/main/cli/main';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('swim-studio diagnose', () => {
  // Each test starts from a fresh virtual chip (the CLI keeps one per spec for the process).
  beforeEach(() => forgetVirtualProbes());

  it('healthy virtual probe: Markdown report, exit 0; the --virtual part counts as selected', async () => {
    const r = await cli(['--virtual', 'stlinkv3:stm8s103f3', 'diagnose']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\*\*Result: OK — Probe and target are fine\*\*/);
    expect(r.out).toMatch(/\| Part selected \| stm8s103f3 \|/);
  });

  it('--json prints the report object; a protected chip exits 1', async () => {
    const r = await cli(['--json', '--virtual', 'stlinkv3:stm8s103f3:rop', 'diagnose']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { verdict: { code: string }; findings: { code: string; remedies: string[] }[]; steps: unknown[] };
    expect(doc.verdict.code).toBe('rop-active');
    expect(doc.steps).toHaveLength(12);
  });

  it('no target: exit 3, like the other commands', async () => {
    const r = await cli(['--virtual', 'stlinkv2:stm8s103f3:no-swim-wire', 'diagnose']);
    expect(r.code).toBe(3);
  });

  it('--part overrides the virtual chip and reports the mismatch; -c checks the stm8flash programmer', async () => {
    const r = await cli(['--json', '--virtual', 'stlinkv3:stm8s103f3', '--part', 'stm8s105c6', 'diagnose', '-c', 'stlinkv2']);
    const doc = JSON.parse(r.out) as { findings: { code: string }[] };
    expect(doc.findings.map((f) => f.code)).toEqual(['stm8flash-wrong-programmer', 'part-mismatch']);
    expect(r.code).toBe(0);
  });

  it('--save writes the Markdown; bad options are usage errors', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'diag-')), 'report.md');
    const r = await cli(['--virtual', 'stlinkv3:stm8s103f3:ubc', 'diagnose', '--save', file]);
    expect(readFileSync(file, 'utf8')).toBe(r.out);
    expect((await cli(['--virtual', 'stlinkv3:stm8s103f3', 'diagnose', '-c', 'usbasp'])).code).toBe(2);
    expect((await cli(['--virtual', 'stlinkv3:stm8s103f3', 'diagnose', 'extra'])).code).toBe(2);
    expect((await cli(['--part', 'stm8s999', '--virtual', 'stlinkv3:stm8s103f3', 'diagnose'])).code).toBe(2);
  });
});
