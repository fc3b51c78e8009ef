/** The Markdown report: everything a forum post or an issue needs, from a real run. */
import { describe, expect, it } from 'vitest';
import { formatReportMarkdown } from '../../../src/main/diagnostics/markdown';
import { STEP_DEFINITIONS } from '../../../src/main/diagnostics/steps';
import type { AppDiagnosticsReport } from '#shared/ipc';
import { diagnose } from './helpers';

describe('formatReportMarkdown', () => {
  it('a failed run: result, probe, firmware, OS, app version, part, findings with numbered remedies, steps, trace', async () => {
    const { r } = await diagnose('stlinkv2:stm8s103f3:no-swim-wire');
    const md = formatReportMarkdown(r);
    expect(md).toMatch(/^# SWIM Studio connection diagnostics/);
    expect(md).toMatch(/\*\*Result: Error — The target does not answer on SWIM\*\* \(`swim-no-response`\)/);
    expect(md).toMatch(/\| Probe \| ST-LINK\/V2 \(0483:3748\), serial [0-9A-F]+/);
    expect(md).toMatch(/\| Firmware \| V2J37S7 — SWIM v7/);
    expect(md).toMatch(/\| Target voltage \| 3\.30 V \|/);
    expect(md).toMatch(/\| Part selected \| stm8s103f3 \|/);
    expect(md).toMatch(new RegExp(`\\| OS \\| ${process.platform} `));
    expect(md).toMatch(new RegExp(`\\| SWIM Studio \\| ${r.environment.appVersion.replace(/\./g, '\\.')} \\(Node ${process.versions.node.replace(/\./g, '\\.')}`));
    expect(r.environment.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(md).toMatch(/### 1\. Error: The target does not answer on SWIM \(`swim-no-response`\)/);
    expect(md).toMatch(/^1\. Check the SWIM wire/m);
    expect(md).toMatch(/^2\. Check GND/m);
    for (const d of STEP_DEFINITIONS) expect(md).toContain(`| ${d.title} |`);
    expect(md).toMatch(/\| 7 \| NRST and connect under reset \| FAILED \|/);
    expect(md).toMatch(/\| 8 \| SWIM speed and link quality \| skipped \|/);
    expect(md).toMatch(/## USB trace \(\d+ exchanges up to the first failed step \(swim-entry\), virtual clock, ms\)/);
    expect(md).toMatch(/OUT\s+ep 02\s+16\s+F4 04 00 .*SWIM ENTER_SEQ/);
    expect(md).toMatch(/IN\s+ep 81\s+4\s+04 00 00 00/);
  });

  it('a healthy run reads as all good, with the identified chip', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3');
    const md = formatReportMarkdown(r);
    expect(md).toMatch(/\*\*Result: OK — Probe and target are fine\*\* \(`all-good`\)/);
    expect(md).toMatch(/\| Chip identified as \| STM8S low density: .*1 KB RAM/);
    expect(md).not.toMatch(/FAILED/);
  });

  it('shows snippets as code blocks and keeps table cells on one line', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3');
    r.findings.push({
      code: 'probe-permission',
      severity: 'error',
      title: 'T',
      explanation: 'E',
      remedies: ['a'],
      step: 'probe-open',
      rules: ['U3'],
      snippets: [{ title: 'udev rule', language: 'udev', text: 'SUBSYSTEMS=="usb"' }],
    });
    r.part.identified = 'a | b\nc';
    const md = formatReportMarkdown(r);
    expect(md).toMatch(/udev rule:\n\n```\nSUBSYSTEMS=="usb"\n```/);
    expect(md).toContain('| Chip identified as | a \\| b c |');
  });

  it('fits the IPC contract once the Markdown is added (what the app sends to the renderer)', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:ubc');
    const ipc: AppDiagnosticsReport = { ...r, markdown: formatReportMarkdown(r) };
    expect(ipc.steps.map((s) => s.id)).toEqual(STEP_DEFINITIONS.map((d) => d.id));
    expect(ipc.markdown).toContain(ipc.findings[0].title);
  });

  it('the JSON form carries the same facts', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:rop');
    const back = JSON.parse(JSON.stringify(r)) as typeof r;
    expect(back.verdict.code).toBe('rop-active');
    expect(back.findings.map((f) => f.code)).toEqual(r.findings.map((f) => f.code));
    expect(formatReportMarkdown(back)).toBe(formatReportMarkdown(r));
  });
});
