/**
 * What each diagnostic finding's action button does in the app: connect under reset, the
 * unlock wizard, the udev rule, the option-byte fixes, pointing at a picker, a virtual probe.
 * Kept apart from the diagnostics store, which only runs the checks and holds their result.
 */
import type { DiagnosticFinding } from '#shared/ipc';
import { connect } from '../../app/commands';
import { useConnectionStore } from '../../stores/connection';
import { useSettingsStore } from '../../stores/settings';
import { useUiStore } from '../../stores/ui';
import { useOptionEditorStore } from '../option-bytes/store';
import { useUnlockStore } from '../unlock/store';

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

/** What an action may do to the diagnostics run itself: show a snippet, run the checks again. */
export interface ActionTarget {
  showSnippet(s: FindingSnippet): void;
  runAgain(): Promise<void>;
}

/** Does what a finding's action offers. */
export async function runFindingAction(f: DiagnosticFinding, target: ActionTarget): Promise<void> {
  const ui = useUiStore();
  const conn = useConnectionStore();
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
      const snippets = f.snippets ?? [];
      target.showSnippet(snippets.find((x) => x.language === 'udev') ?? snippets[0] ?? (await fallbackUdevSnippet()));
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
      await target.runAgain();
  }
}

function focusTestId(id: string): void {
  const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  el?.focus();
}

/** The project's udev rule file, bundled, for when main sends no snippet with the finding. */
async function fallbackUdevSnippet(): Promise<FindingSnippet> {
  const text = (await import('../../../../../assets/udev/49-stlink-swim-studio.rules?raw')).default;
  return { title: 'Linux udev rule: /etc/udev/rules.d/49-stlink-swim-studio.rules', language: 'udev', text };
}
