/**
 * The one diagnostics store: the ladder of checks main runs (its steps as the live
 * `diagnosticsStep` events report them, then the report), who started the run (the user, or a
 * failed connect for the short automatic run), the verdict, the card shown after a failed
 * connect, and the report as Markdown to copy or save. What a finding's action does lives in
 * finding-actions.ts.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AppErrorData } from '#shared/errors';
import type { DiagnosticFinding, DiagnosticStep, AppDiagnosticsReport, FindingSeverity } from '#shared/ipc';
import { call } from '../../api/client';
import { useConnectionStore } from '../../stores/connection';
import { usePartStore } from '../../stores/part';
import { useUiStore } from '../../stores/ui';
import { copyText } from '../../lib/clipboard';
import { downloadText } from '../../lib/download';
import { runFindingAction, type FindingSnippet } from './finding-actions';

export type RunTrigger = 'manual' | 'connect-failed';

const RANK: Record<FindingSeverity, number> = { error: 3, warning: 2, info: 1, ok: 0 };

/** The finding that matters most: the first error, else the first warning, else the first one. */
function verdictOf(findings: readonly DiagnosticFinding[]): DiagnosticFinding | null {
  let best: DiagnosticFinding | null = null;
  for (const f of findings) if (!best || RANK[f.severity] > RANK[best.severity]) best = f;
  return best;
}

export const useDiagnosticsStore = defineStore('diagnostics', () => {
  const steps = shallowRef<DiagnosticStep[]>([]);
  const report = shallowRef<AppDiagnosticsReport | null>(null);
  const running = ref(false);
  /** Why the run itself failed (not a finding: the request did not complete). */
  const error = ref<string | null>(null);
  const trigger = ref<RunTrigger>('manual');
  /** The connect error that started the automatic run. */
  const connectError = shallowRef<AppErrorData | null>(null);
  /** The short card after a failed connect is showing. */
  const cardOpen = ref(false);
  /** The udev rule (or another snippet) shown in a dialog. */
  const snippet = shallowRef<FindingSnippet | null>(null);

  /** Main's verdict when it names one of the findings, else the worst finding. */
  const verdict = computed(() => {
    const r = report.value;
    if (!r) return null;
    return r.findings.find((f) => f.code === r.verdict?.code) ?? verdictOf(r.findings);
  });
  const doneSteps = computed(() => steps.value.filter((s) => s.state !== 'waiting' && s.state !== 'running').length);
  const currentStep = computed(() => steps.value.find((s) => s.state === 'running') ?? null);

  /** A step main reported while the run goes on: replaces the step's earlier state. */
  function onStep(step: DiagnosticStep): void {
    const list = steps.value.slice();
    const i = list.findIndex((s) => s.id === step.id);
    if (i >= 0) list[i] = step;
    else list.push(step);
    steps.value = list;
  }

  async function run(by: RunTrigger = 'manual'): Promise<void> {
    if (running.value) return;
    trigger.value = by;
    if (by === 'manual') cardOpen.value = false;
    const probe = useConnectionStore().selectionToUse();
    const part = usePartStore().part?.name;
    running.value = true;
    error.value = null;
    steps.value = [];
    report.value = null;
    try {
      const r = await call('runDiagnostics', { ...(probe ? { probe } : {}), ...(part ? { part } : {}) });
      report.value = r;
      steps.value = r.steps;
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    } finally {
      running.value = false;
    }
  }

  /** A connect failed: run the ladder at once and show what it found in a short card. */
  async function diagnoseConnectFailure(err: AppErrorData): Promise<void> {
    if (running.value) return;
    connectError.value = err;
    cardOpen.value = true;
    await run('connect-failed');
  }

  function closeCard(): void {
    cardOpen.value = false;
  }

  function openPanel(): void {
    cardOpen.value = false;
    useUiStore().activeTab = 'diagnostics';
  }

  async function copyReport(): Promise<boolean> {
    const md = report.value?.markdown;
    if (!md) return false;
    const ok = await copyText(md);
    useUiStore().showToast(ok ? 'Diagnostics report copied as Markdown.' : 'Could not reach the clipboard: use Save instead.');
    return ok;
  }

  function saveReport(): void {
    const md = report.value?.markdown;
    if (!md) return;
    const part = usePartStore().part?.name ?? 'target';
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    downloadText(`swim-studio-diagnostics-${part}-${stamp}.md`, md, 'text/markdown');
    useUiStore().showToast('Diagnostics report saved.');
  }

  /** Does what a finding's action offers; the card closes first. */
  async function runAction(f: DiagnosticFinding): Promise<void> {
    cardOpen.value = false;
    await runFindingAction(f, { showSnippet: (s) => (snippet.value = s), runAgain: () => run('manual') });
  }

  return {
    steps,
    report,
    running,
    error,
    trigger,
    connectError,
    cardOpen,
    snippet,
    verdict,
    doneSteps,
    currentStep,
    onStep,
    run,
    diagnoseConnectFailure,
    closeCard,
    openPanel,
    copyReport,
    saveReport,
    runAction,
  };
});
