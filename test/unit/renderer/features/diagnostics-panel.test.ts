// @vitest-environment happy-dom
/**
 * The diagnostics panel and the short automatic run, against the real app service and the
 * real diagnostics ladder on virtual probes: live step states, the right findings for an
 * unpowered target, firmware that disabled SWIM and a healthy chip, a finding's action, and
 * the Markdown report on the clipboard.
 */
import { describe, expect, it, vi } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import DiagnosticsPanel from '../../../../src/renderer/src/features/diagnostics/DiagnosticsPanel.vue';
import ConnectDiagnosis from '../../../../src/renderer/src/features/diagnostics/ConnectDiagnosis.vue';
import { useConnectionStore } from '../../../../src/renderer/src/stores/connection';
import { useSettingsStore } from '../../../../src/renderer/src/stores/settings';
import { selectPart } from '../../../../src/renderer/src/app/commands';
import { useUnlockStore } from '../../../../src/renderer/src/features/unlock/store';
import { useDiagnosticsStore } from '../../../../src/renderer/src/features/diagnostics/store';
import { connectVirtual, mountEach, type Started } from './helpers';

let s: Started;
let w: VueWrapper;
const T = (id: string) => `[data-testid="${id}"]`;

mountEach(DiagnosticsPanel, (started, wrapper) => {
  s = started;
  w = wrapper;
});

async function runWith(part: string, faults: string[]): Promise<void> {
  await selectPart(part);
  const conn = useConnectionStore();
  conn.selectedId = 'virtual:stlinkv3';
  conn.activeFaults = faults;
  const seen: string[] = [];
  const off = s.service.events.on('diagnosticsStep', (st) => seen.push(`${st.id}:${st.state}`));
  await w.find(T('diagnostics-run')).trigger('click');
  await vi.waitFor(() => expect(w.find(T('diagnostics-verdict')).exists()).toBe(true), { timeout: 20_000 });
  off();
  // The steps were reported live: the ladder announced up front (waiting), then each one
  // running and settled.
  const firstRun = seen.findIndex((e) => e.endsWith(':running'));
  expect(seen.slice(0, firstRun).every((e) => e.endsWith(':waiting'))).toBe(true);
  expect(seen[firstRun]).toBe('usb:running');
  expect(seen.indexOf('usb:passed')).toBeGreaterThan(firstRun);
}

const stepState = (id: string) => w.find(`${T('diagnostics-steps')} [data-step="${id}"]`).attributes('data-state');
const findingCodes = () => w.findAll(`${T('diagnostics-findings')} [data-testid="finding"]`).map((f) => f.attributes('data-code'));

describe('diagnostics panel', () => {
  it('finds an unpowered target, stops the ladder there, and copies the report', async () => {
    await runWith('stm8s103f3', ['no-power']);
    expect(stepState('target-voltage')).toBe('failed');
    expect(stepState('swim-entry')).toBe('skipped');
    expect(stepState('probe-open')).toBe('passed');
    expect(w.find(T('diagnostics-verdict')).attributes('data-code')).toBe('target-no-power');
    expect(findingCodes()).toContain('target-no-power');
    const card = w.find('[data-testid="finding"][data-code="target-no-power"]');
    expect(card.attributes('data-severity')).toBe('error');
    expect(card.findAll(`${T('finding-remedies')} li`).length).toBeGreaterThan(0);

    await w.find(T('diagnostics-copy')).trigger('click');
    await vi.waitFor(async () => expect(await navigator.clipboard.readText()).toContain('target-no-power'));
    expect(await navigator.clipboard.readText()).toBe(useDiagnosticsStore().report!.markdown);
  });

  it('finds firmware that disabled SWIM, and its action connects under reset', async () => {
    await runWith('stm8s103f3', ['swim-disabled']);
    expect(w.find(T('diagnostics-verdict')).attributes('data-code')).toBe('swim-disabled-by-firmware');
    expect(stepState('swim-entry')).toBe('failed');
    expect(useSettingsStore().settings.connectUnderReset).toBe(false);
    await w.find(T('finding-action-enable-connect-under-reset')).trigger('click');
    await vi.waitFor(() => expect(useConnectionStore().connection).not.toBeNull(), { timeout: 20_000 });
    expect(useSettingsStore().settings.connectUnderReset).toBe(true);
    expect(useConnectionStore().connection!.underReset).toBe(true);
  });

  it('passes every step on a healthy chip', async () => {
    await runWith('stm8s103f3', []);
    expect(w.find(T('diagnostics-verdict')).attributes('data-code')).toBe('all-good');
    const states = w.findAll(`${T('diagnostics-steps')} li`).map((li) => li.attributes('data-state'));
    expect(states.length).toBeGreaterThan(8);
    expect(states.filter((x) => x === 'failed')).toEqual([]);
  });

  it('finds read-out protection and opens the unlock wizard on a live connection', async () => {
    await runWith('stm8s103f3', ['rop']);
    const card = w.find('[data-testid="finding"][data-code="rop-active"]');
    expect(card.exists()).toBe(true);
    await card.find(T('finding-action-open-unlock-wizard')).trigger('click');
    await vi.waitFor(() => expect(useUnlockStore().isOpen).toBe(true), { timeout: 20_000 });
    expect(useUnlockStore().reason).toBe('diagnostics');
    expect(useConnectionStore().connection?.readProtected).toBe(true);
  });

  it('shows the udev rule a finding points to', async () => {
    const panel = useDiagnosticsStore();
    await panel.runAction({ code: 'probe-permission', severity: 'error', title: 't', explanation: 'e', remedies: [], action: 'show-udev-rule' });
    await vi.waitFor(() => expect(w.find(T('snippet-dialog')).exists()).toBe(true));
    expect(w.find(T('snippet-text')).text()).toMatch(/ATTRS\{idVendor\}=="0483"/);
  });

  it('runs by itself in short form when a connect fails, and says what it found', async () => {
    const card = mount(ConnectDiagnosis, { global: { plugins: [s.pinia] }, attachTo: document.body });
    await connectVirtual('stm8s103f3', ['no-power']);
    expect(useConnectionStore().connectError).not.toBeNull();
    await vi.waitFor(() => expect(card.find(T('connect-diagnosis')).attributes('data-state')).toBe('done'), { timeout: 20_000 });
    expect(card.find('[data-testid="finding"]').attributes('data-code')).toBe('target-no-power');
    // The full panel shows the same run and why it ran.
    expect(w.find(T('diagnostics-trigger')).text()).toMatch(/connecting failed/);
    card.unmount();
  });
});
