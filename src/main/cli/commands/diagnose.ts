import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import { requireNumber, usageError } from '../args';
import { partName } from '../connect';
import { formatReportMarkdown, runDiagnostics, STM8FLASH_PROGRAMMER_PIDS } from '../../diagnostics/index';
import type { DiagnosticsReport, StepId, StepRecord } from '../../diagnostics/index';
import { writeFileAtomic } from '../../files/atomic-write';

/** Steps whose failure means "no probe" or "no target" (exit 3), as for the other commands. */
const NO_TARGET_STEPS: ReadonlySet<StepId> = new Set(['usb', 'probe-present', 'probe-open', 'firmware', 'target-voltage', 'swim-entry', 'nrst']);

/**
 * Exit code: 0 when nothing is wrong (warnings allowed), 3 when an error finding says there
 * is no usable probe or target, 1 for any other error finding (protection, option bytes …).
 */
export function diagnoseExitCode(r: DiagnosticsReport): number {
  const err = r.findings.find((f) => f.severity === 'error');
  if (!err) return r.cancelled ? EXIT.failed : EXIT.ok;
  return NO_TARGET_STEPS.has(err.step) ? EXIT.noProbe : EXIT.failed;
}

const MARK: Record<StepRecord['state'], string> = { waiting: '  ', running: '..', passed: 'ok', failed: '!!', skipped: '--' };

/** `swim-studio diagnose`: the connection diagnostics ladder, as Markdown or JSON. */
export const command = defineCommand({
  name: 'diagnose',
  summary: 'check USB, probe, wiring, power and chip step by step and say what is wrong and how to fix it',
  usage: [
    'Usage: swim-studio [--probe SERIAL | --virtual SPEC | --sim-socket PATH] [--part PART] diagnose [options]',
    '',
    'Runs twelve checks in order (USB, probe, permissions, firmware, target voltage, SWIM entry,',
    'NRST, speed, chip identity, option bytes, protection, flash keys), stops where later checks',
    'cannot mean anything, and prints a Markdown report to paste into a forum post or an issue.',
    'Nothing is written to the chip except a RAM byte and CLK_CKDIVR, both restored by the',
    'reset at the end.',
    '',
    '  --programmer NAME, -c NAME   the stm8flash -c value you use (stlink, stlinkv2, stlinkv21,',
    '                               stlinkv3): says whether it matches the attached probe',
    '  --save FILE                  also write the Markdown report to FILE',
    '  --trace N                    USB exchanges to include in the report (default 40)',
    '',
    'Exit codes: 0 nothing wrong (warnings allowed), 1 a problem with the chip (protection,',
    'option bytes, flash), 2 usage, 3 no usable probe or target.',
    'JSON (--json): the report object: {"format":1,"verdict":{code,severity,title},"steps":[...],',
    '"findings":[{code,severity,title,explanation,remedies,evidence,action,step,rules}],',
    '"probe","firmware","targetVoltage","part","environment","traceTail"}.',
  ],
  options: [
    { name: 'programmer', short: 'c', value: true },
    { name: 'save', value: true },
    { name: 'trace', value: true },
  ],
  async run({ args, out, io, globals }) {
    const programmer = args.options.get('programmer');
    if (programmer !== undefined && !STM8FLASH_PROGRAMMER_PIDS[programmer.toLowerCase()]) {
      throw usageError(`unknown stm8flash programmer "${programmer}"`, `Use one of: ${Object.keys(STM8FLASH_PROGRAMMER_PIDS).join(', ')}.`);
    }
    const traceText = args.options.get('trace');
    const traceTail = traceText === undefined ? undefined : requireNumber(traceText, 'trace length');
    const live = !globals.json && Boolean(io.errIsTty);
    const part = partName(globals);
    const report = await runDiagnostics({
      ...(globals.probe ? { probe: globals.probe } : {}),
      ...(globals.virtual ? { virtual: globals.virtual } : {}),
      ...(globals.simSocket ? { simSocket: globals.simSocket } : {}),
      ...(part ? { part } : {}),
      ...(programmer ? { stm8flashProgrammer: programmer } : {}),
      ...(traceTail !== undefined ? { traceTail } : {}),
      onStep: (s) => {
        if (live && s.state !== 'running') io.err(`[${MARK[s.state]}] ${String(s.index).padStart(2)} ${s.title}${s.evidence ? `: ${s.evidence}` : ''}`);
      },
    });
    const markdown = formatReportMarkdown(report);
    const save = args.options.get('save');
    if (save) await writeFileAtomic(save, new TextEncoder().encode(markdown));
    out.result(report);
    out.line(markdown);
    if (save) out.note(`Report saved to ${save}.`);
    return diagnoseExitCode(report);
  },
});
