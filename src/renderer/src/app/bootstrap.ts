/**
 * Start-up: find the backend (Electron preload or bridge), load settings, catalogue, probes
 * and log, and route main's events to the stores. What the window shows first is the
 * service's state of now — the live connection (its probe, faults and part, its ROP flag) and
 * the current file — else the last part and probe from the settings: a reloaded page shows
 * what is, not what was. Also keeps the window title and the "unsaved edits" state in step
 * with the area buffers.
 */
import { watch } from 'vue';
import type { AppStatus, SwimStudioApi } from '#shared/ipc';
import { call, detectApi, errorData, useApiInstance } from '../api/client';
import { BridgeClient } from '../api/bridge-client';
import { useConnectionStore } from '../stores/connection';
import { useDiagnosticsStore } from '../features/diagnostics/store';
import { useFilesStore } from '../stores/files';
import { useJobsStore } from '../stores/jobs/store';
import { useLogStore } from '../stores/log';
import { useMemoryStore } from '../stores/memory';
import { DEFAULT_PART, usePartStore } from '../stores/part';
import { useSettingsStore } from '../stores/settings';
import { useUiStore } from '../stores/ui';
import { handleMenuCommand } from './commands';

export async function bootstrap(given?: SwimStudioApi | null): Promise<void> {
  const ui = useUiStore();
  const api = given === undefined ? detectApi() : given;
  if (!api) {
    ui.startupError = {
      code: 'no-backend',
      message: 'This page is not connected to SWIM Studio.',
      remedy: 'Start it with "npx swim-studio ui" and open the address it prints: the address carries a token.',
    };
    return;
  }
  performance.mark?.('swim:bootstrap');
  useApiInstance(api);
  const connection = useConnectionStore();
  const jobs = useJobsStore();
  const log = useLogStore();
  const settings = useSettingsStore();
  const part = usePartStore();
  const memory = useMemoryStore();
  const files = useFilesStore();
  const diagnostics = useDiagnosticsStore();

  if (api instanceof BridgeClient) {
    api.onLost = (err) => {
      connection.receiveConnection(null, err);
      ui.startupError = err;
    };
  }
  api.on('log', (e) => log.receive(e));
  api.on('jobProgress', (p) => jobs.onProgress(p));
  api.on('jobState', (s) => jobs.onState(s));
  api.on('probesChanged', ({ probes }) => connection.setProbes(probes));
  api.on('connectionChanged', ({ connection: c, reason }) => connection.receiveConnection(c, reason));
  api.on('diagnosticsStep', (s) => diagnostics.onStep(s));
  api.on('menuCommand', (c) => void handleMenuCommand(c));
  api.on('settingsChanged', (s) => settings.receive(s));

  // The window appears as soon as the settings, the status and the part are known (the part
  // is looked up while the rest loads: no request waits on another it does not need). The
  // probe list (a USB scan) and the catalogue (for the part picker) are asked for now and
  // shown once the window has been painted, so they do not hold up its first frame.
  const probesP = call('listProbes', {});
  const catalogueP = call('listParts', {});
  // Awaited below, once the window is up; a failure meanwhile is not an unhandled one.
  for (const p of [probesP, catalogueP]) p.catch(() => undefined);
  let status: AppStatus;
  try {
    const infoP = call('appInfo', {});
    const statusP = call('status', {});
    const partP = Promise.all([settings.load(), statusP]).then(([, s]) => selectStartPart(settings.settings.lastPart ?? DEFAULT_PART, s.connection?.part));
    const [info, s] = await Promise.all([infoP, statusP, partP]);
    files.host = info.host;
    status = s;
  } catch (e) {
    ui.startupError = errorData(e);
    return;
  }
  memory.reset(part.regions);
  if (status.connection) connection.receiveConnection(status.connection);
  if (status.job) jobs.adopt(status.job);
  // Extras the window works without; they fill in when they arrive.
  void connection.loadFaults().catch(() => undefined);
  void log.load().catch(() => undefined);
  // The current file comes back, unless the user opened another one meanwhile.
  void call('reopenFile', { part: part.part!.name })
    .then((file) => file && memory.fileName === null && memory.applyFile(file))
    .catch(() => undefined);
  trackTitle(files.host);
  ui.ready = true;
  performance.mark?.('swim:ready');

  try {
    const [probes, parts] = await Promise.all([probesP, catalogueP, afterFirstPaint()]);
    connection.setProbes(probes);
    part.parts = parts;
  } catch (e) {
    ui.startupError = errorData(e);
    return;
  }
  // The probe of the live connection (with its faults), else the one used last.
  connection.selectBySelection(status.connection?.probe.selection ?? settings.settings.lastProbe);
}

/** Resolves once the browser has painted the next frame (or after 100 ms, e.g. in a hidden tab). */
function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => void setTimeout(resolve, 0);
    const timer = setTimeout(resolve, 100);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => (clearTimeout(timer), done()));
  });
}

/**
 * The connected part; else the last part, or the default one when the last is no longer in
 * the catalogue. The last part's chip name is kept when it is the connected part.
 */
async function selectStartPart(name: string, connected: string | undefined): Promise<void> {
  const part = usePartStore();
  try {
    const p = await part.select(name);
    if (connected && p.name !== connected) await part.select(connected);
  } catch {
    await part.select(connected ?? DEFAULT_PART);
  }
}

function trackTitle(host: 'electron' | 'bridge'): void {
  const memory = useMemoryStore();
  const part = usePartStore();
  watch(
    () => [memory.fileName, memory.dirty, part.part?.name] as const,
    ([file, dirty, partName]) => {
      const title = `${dirty ? '● ' : ''}${file ?? 'Untitled'}${partName ? ` (${partName.toUpperCase()})` : ''} — SWIM Studio`;
      document.title = title;
      void call('setDirty', { dirty, title }).catch(() => undefined);
    },
    { immediate: true },
  );
  if (host === 'bridge') {
    // In a browser tab, closing with unsaved edits asks through the browser's own prompt.
    // (Electron asks in main, through setDirty, so the renderer must not block there.)
    window.addEventListener('beforeunload', (e) => {
      if (memory.dirty) {
        e.preventDefault();
        e.returnValue = '';
      }
    });
  }
}
