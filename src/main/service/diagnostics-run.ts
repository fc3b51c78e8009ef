/** The diagnostics ladder (src/main/diagnostics) run as an app job: steps as events, the report as contract data. */
import type { Part } from '#shared/catalogue/types';
import type { AppDiagnosticsReport, DiagnosticStep } from '#shared/ipc';
import { formatReportMarkdown, initialSteps, runDiagnostics, STEP_DEFINITIONS } from '../diagnostics/index';
import type { StepRecord } from '../diagnostics/types';
import type { DiagnosticsSource } from './app-probes';
import type { RunningJob } from './job-runner';

function stepOf(s: StepRecord): DiagnosticStep {
  return { id: s.id, title: s.title, state: s.state, ...(s.evidence ? { evidence: s.evidence } : {}) };
}

export async function runAppDiagnostics(source: DiagnosticsSource, part: Part | undefined, onStep: (s: DiagnosticStep) => void, job: RunningJob): Promise<AppDiagnosticsReport> {
  // The whole ladder first, every step 'waiting', so the panel can show it before it runs.
  for (const s of initialSteps()) onStep(stepOf(s));
  const r = await runDiagnostics({
    ...source,
    ...(part ? { part: part.name } : {}),
    signal: job.signal,
    onStep: (s) => {
      onStep(stepOf(s));
      const i = STEP_DEFINITIONS.findIndex((d) => d.id === s.id);
      if (i >= 0) job.progress(s.title, i + (s.state === 'running' ? 0 : 1), STEP_DEFINITIONS.length);
    },
  });
  return {
    steps: r.steps.map(stepOf),
    findings: r.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      title: f.title,
      explanation: f.explanation,
      remedies: [...f.remedies],
      ...(f.evidence ? { evidence: f.evidence } : {}),
      ...(f.action ? { action: f.action } : {}),
      ...(f.snippets?.length ? { snippets: f.snippets.map((x) => ({ title: x.title, language: x.language, text: x.text })) } : {}),
    })),
    verdict: { ...r.verdict },
    markdown: formatReportMarkdown(r),
  };
}
