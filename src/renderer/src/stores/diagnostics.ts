/** The Diagnostics tab: run the ladder of checks and show each step as it reports. */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { DiagnosticStep, DiagnosticsReport } from '../../../shared/ipc';
import { call } from '../api/client';
import { useConnectionStore } from './connection';
import { usePartStore } from './part';

export const useDiagnosticsStore = defineStore('diagnostics', () => {
  const steps = shallowRef<DiagnosticStep[]>([]);
  const report = shallowRef<DiagnosticsReport | null>(null);
  const running = ref(false);
  const error = ref<string | null>(null);

  function onStep(step: DiagnosticStep): void {
    const list = steps.value.slice();
    const i = list.findIndex((s) => s.id === step.id);
    if (i >= 0) list[i] = step;
    else list.push(step);
    steps.value = list;
  }

  async function run(): Promise<void> {
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

  return { steps, report, running, error, onStep, run };
});
