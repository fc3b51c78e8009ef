/**
 * The diagnostics panel's state on top of the shell's diagnostics store (which receives the
 * live `diagnosticsStep` events): who started the run (the user, or a failed connect for the
 * short automatic run), the verdict, the report as Markdown to copy or save, and what each
 * finding's action does in the app (connect under reset, the unlock wizard, the udev rule...).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AppErrorData } from '../../../../shared/errors';
import type { DiagnosticFinding, DiagnosticsReport, FindingSeverity } from '../../../../shared/ipc';
import { connect } from '../../app/commands';
import { useConnectionStore } from '../../stores/connection';
import { useDiagnosticsStore } from '../../stores/diagnostics';
import { usePartStore } from '../../stores/part';
import { useSettingsStore } from '../../stores/settings';
import { useUiStore } from '../../stores/ui';
import { useOptionEditorStore } from '../option-bytes/store';
import { useUnlockStore } from '../unlock/store';
import { copyText } from '../../lib/clipboard';
import { downloadText } from '../../lib/download';

export type RunTrigger = 'manual' | 'connect-failed';

/** A snippet the user may copy (udev rule, commands), when main sends them with a finding. */
export interface FindingSnippet {
  title: string;
  language: string;
  text: string;
}

/** What the app can do for a finding, with the button's words. */
export const ACTION_LABEL: Record<string, string> = {
  'enable-connect-under-reset': 'Enable connect under reset',
  'open-unlock-wizard': 'Open the unlock wizard',
  'show-udev-rule': 'Show the udev rule',
  'restore-factory-option-bytes': 'Factory option bytes…',
  'clear-ubc': 'Clear UBC in the option bytes…',
  'choose-part': 'Choose the part',
  'choose-probe': 'Choose the probe',
  'use-virtual-probe': 'Try a virtual probe',
  retry: 'Run again',
};

const RANK: Record<FindingSeverity, number> = { error: 3, warning: 2, info: 1, ok: 0 };

/** The finding that matters most: the first error, else the first warning, else the first one. */
export function verdictOf(findings: readonly DiagnosticFinding[]): DiagnosticFinding | null {
  let best: DiagnosticFinding | null = null;
  for (const f of findings) if (!best || RANK[f.severity] > RANK[best.severity]) best = f;
  return best;
}

/** Snippets carried by a finding (udev rule, commands). */
export function snippetsOf(f: DiagnosticFinding): FindingSnippet[] {
  return f.snippets ?? [];
}

export const useDiagnosticsPanelStore = defineStore('diagnostics-panel', () => {
  const shell = useDiagnosticsStore();
  const trigger = ref<RunTrigger>('manual');
  /** The connect error that started the automatic run. */
  const connectError = shallowRef<AppErrorData | null>(null);
  /** The short card after a failed connect is showing. */
  const cardOpen = ref(false);
  /** The udev rule (or another snippet) shown in a dialog. */
  const snippet = shallowRef<FindingSnippet | null>(null);

  const report = computed<DiagnosticsReport | null>(() => shell.report);
  /** Main's verdict when it names one of the findings, else the worst finding. */
  const verdict = computed(() => {
    const r = report.value;
    if (!r) return null;
    return r.findings.find((f) => f.code === r.verdict?.code) ?? verdictOf(r.findings);
  });
  const doneSteps = computed(() => shell.steps.filter((s) => s.state !== 'waiting' && s.state !== 'running').length);
  const currentStep = computed(() => shell.steps.find((s) => s.state === 'running') ?? null);

  async function run(by: RunTrigger = 'manual'): Promise<void> {
    if (shell.running) return;
    trigger.value = by;
    if (by === 'manual') cardOpen.value = false;
    await shell.run();
  }

  /** A connect failed: run the ladder at once and show what it found in a short card. */
  async function diagnoseConnectFailure(err: AppErrorData): Promise<void> {
    if (shell.running) return;
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

  /** Does what a finding's action offers. */
  async function runAction(f: DiagnosticFinding): Promise<void> {
    const ui = useUiStore();
    const conn = useConnectionStore();
    cardOpen.value = false;
    switch (f.action) {
      case 'enable-connect-under-reset':
        await useSettingsStore().update({ connectUnderReset: true });
        ui.showToast('Connect under reset is on: connecting again…');
        if (!conn.connection) await connect();
        return;
      case 'open-unlock-wizard':
        // The wizard works on a live connection; a protected chip still connects.
        if (!conn.connection) await connect();
        useUnlockStore().open('diagnostics');
        return;
      case 'show-udev-rule': {
        const s = snippetsOf(f).find((x) => x.language === 'udev') ?? snippetsOf(f)[0];
        snippet.value = s ?? (await fallbackUdevSnippet());
        return;
      }
      case 'restore-factory-option-bytes':
      case 'clear-ubc': {
        if (!conn.connection) await connect();
        ui.activeTab = 'option';
        const ed = useOptionEditorStore();
        if (!ed.chipKnown && conn.connection) await ed.read();
        if (f.action === 'restore-factory-option-bytes') ed.factoryDefaults();
        else {
          const ubc = ed.rows.flatMap((r) => r.fields).find((x) => x.name === 'UBC' || x.name === 'UCB');
          if (ubc) ed.setField(ubc.byte, ubc.name, 0);
        }
        ui.showToast('Review the change and press “Write to chip…”.');
        return;
      }
      case 'choose-part':
        focusTestId('part-picker');
        return;
      case 'choose-probe':
        focusTestId('probe-picker');
        return;
      case 'use-virtual-probe': {
        const v = conn.probes.find((p) => p.selection.kind === 'virtual' && p.swim !== false);
        if (v) conn.selectedId = v.id;
        ui.showToast('A virtual probe is selected: press Connect to try the app without hardware.');
        return;
      }
      case 'retry':
      default:
        await run('manual');
    }
  }

  return {
    trigger,
    connectError,
    cardOpen,
    snippet,
    report,
    verdict,
    doneSteps,
    currentStep,
    run,
    diagnoseConnectFailure,
    closeCard,
    openPanel,
    copyReport,
    saveReport,
    runAction,
  };
});

function focusTestId(id: string): void {
  const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  el?.focus();
}

/** The project's udev rule file, bundled, for when main sends no snippet with the finding. */
async function fallbackUdevSnippet(): Promise<FindingSnippet> {
  const text = (await import('../../../../../assets/udev/49-stlink-swim-studio.rules?raw')).default;
  return { title: 'Linux udev rule: /etc/udev/rules.d/49-stlink-swim-studio.rules', language: 'udev', text };
}
