// @vitest-environment happy-dom
/**
 * The option-byte write and the unlock run as the jobs store's running job: while either runs
 * (against the real app service and a virtual stm8s103f3), the action bar is disabled, the job
 * bar shows the job with main's phase, another job is refused; afterwards everything is idle,
 * the job bar shows the outcome and the log holds it.
 *
 * To look at the app mid-job deterministically, the API the renderer gets holds back the answer
 * to chosen requests until the test lets it go: the real service has done the work (and sent
 * its progress events) by then, only the reply waits.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { defineComponent, h } from 'vue';
import type { JobKind, JobProgress, RequestName, SwimStudioApi } from '#shared/ipc';
import type { AppService } from '../../../../src/main/service/app-service';
import { ApiError, call } from '../../../../src/renderer/src/api/client';
import { bootstrap } from '../../../../src/renderer/src/app/bootstrap';
import ActionBar from '../../../../src/renderer/src/components/memory/ActionBar.vue';
import JobPanel from '../../../../src/renderer/src/components/JobPanel.vue';
import { useOptionEditorStore } from '../../../../src/renderer/src/features/option-bytes/store';
import { useUnlockStore } from '../../../../src/renderer/src/features/unlock/store';
import { useJobsStore } from '../../../../src/renderer/src/stores/jobs/store';
import { useLogStore } from '../../../../src/renderer/src/stores/log';
import { inProcessApi, newService } from '../in-process-api';
import { connectVirtual } from './helpers';

const T = (id: string) => `[data-testid="${id}"]`;
const ACTIONS = ['read', 'program', 'verify', 'erase', 'blankCheck'];

/** The in-process API, except that replies to the held requests wait for release(name). */
class HeldReplies {
  readonly api: SwimStudioApi;
  private readonly waiting = new Map<string, () => void>();
  constructor(
    service: AppService,
    private readonly held: Set<RequestName>,
  ) {
    const inner = inProcessApi(service);
    this.api = {
      invoke: async (name, arg) => {
        const reply = await inner.invoke(name, arg);
        if (this.held.has(name)) await new Promise<void>((go) => this.waiting.set(name, go));
        return reply;
      },
      on: (event, listener) => inner.on(event, listener),
    };
  }
  holding(name: RequestName): boolean {
    return this.waiting.has(name);
  }
  release(name: RequestName): void {
    const go = this.waiting.get(name);
    this.waiting.delete(name);
    go?.();
  }
}

let pinia: Pinia;
let service: AppService;
let held: HeldReplies;
let w: VueWrapper;
/** The last phase main reported for each job kind. */
let lastPhase: Map<JobKind, string>;

const Screen = defineComponent(() => () => [h(ActionBar, { area: 'flash' }), h(JobPanel)]);

beforeEach(async () => {
  pinia = createPinia();
  setActivePinia(pinia);
  service = newService();
  held = new HeldReplies(service, new Set<RequestName>(['writeOptionBytes', 'unlock', 'blankCheck']));
  lastPhase = new Map();
  service.events.on('jobProgress', (p: JobProgress) => void lastPhase.set(p.kind, p.phase));
  await bootstrap(held.api);
  w = mount(Screen, { global: { plugins: [pinia] }, attachTo: document.body });
});
afterEach(async () => {
  w.unmount();
  await service.dispose();
});

async function actionStates(): Promise<Record<string, boolean>> {
  await w.vm.$nextTick();
  return Object.fromEntries(ACTIONS.map((op) => [op, w.find(T(`action-${op}`)).attributes('disabled') !== undefined]));
}
const all = (disabled: boolean) => Object.fromEntries(ACTIONS.map((op) => [op, disabled]));

/** While a job runs: the action bar is off, the job bar names it, another job is refused. */
async function expectLockedBy(title: string, kind: JobKind): Promise<void> {
  const jobs = useJobsStore();
  expect(jobs.busy).toBe(true);
  expect(await actionStates()).toEqual(all(true));
  expect(w.find(T('action-read')).attributes('title')).toBe('A job is running.');
  expect(w.find(T('job-progress')).text()).toContain(title);
  expect(lastPhase.get(kind)).toBeTruthy();
  expect(w.find(T('job-phase')).text()).toBe(lastPhase.get(kind));
  const work = vi.fn(async () => ({ ok: true, message: 'should not run' }));
  await expect(jobs.runExternal('Another job', work)).rejects.toMatchObject({ code: 'busy' });
  expect(work).not.toHaveBeenCalled();
  expect((await jobs.run('read', 'flash')).message).toBe('A job is running.');
}

describe('jobs started outside the action bar', () => {
  it('locks the action bar while option bytes are written, and reports the write when done', async () => {
    await connectVirtual('stm8s103f3');
    const jobs = useJobsStore();
    expect(await actionStates()).toEqual({ read: false, program: false, verify: false, erase: false, blankCheck: false });

    const ed = useOptionEditorStore();
    await ed.read();
    ed.setField('OPT2', 'AFR0', 1);
    await ed.prepareWrite();
    expect(ed.plan?.dangers).toEqual([]);
    const writing = ed.confirmWrite();
    await vi.waitFor(() => expect(held.holding('writeOptionBytes')).toBe(true), { timeout: 10_000 });
    await expectLockedBy('Write option bytes', 'writeOptionBytes');

    held.release('writeOptionBytes');
    await writing;
    expect(jobs.busy).toBe(false);
    expect(await actionStates()).toEqual(all(false));
    expect(ed.outcome?.ok).toBe(true);
    expect(w.find(T('job-outcome')).attributes('data-kind')).toBe('ok');
    expect(w.find(T('job-outcome')).text()).toContain('Write option bytes — done');
    const line = useLogStore().lines.find((l) => l.source === 'ui' && l.message.startsWith('Write option bytes: '));
    expect(line?.message).toMatch(/Wrote \d+ option bytes? \(.*OPT2.*\) and read them back/);
  });

  it('records a job main refuses as failed, with main\'s error in the log, and is idle after', async () => {
    // Not connected: main refuses the write with its own error, which it logs.
    const jobs = useJobsStore();
    const refused = jobs.runExternal('Write option bytes', async () => {
      const r = await call('writeOptionBytes', { raw: [{ address: 0x4803, value: 0x01 }], confirmations: [] });
      return { ok: true, message: r.report.summary };
    });
    await vi.waitFor(() => expect(held.holding('writeOptionBytes')).toBe(true), { timeout: 10_000 });
    expect(jobs.busy).toBe(true);
    held.release('writeOptionBytes');
    const err = await refused.then(
      () => null,
      (e: unknown) => e as ApiError,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(jobs.busy).toBe(false);
    expect(jobs.outcome).toMatchObject({ ok: false, cancelled: false, title: 'Write option bytes', code: err!.code, message: err!.message });
    await w.vm.$nextTick();
    expect(w.find(T('job-outcome')).attributes('data-kind')).toBe('err');
    expect(w.find(T('job-outcome')).text()).toContain('Write option bytes — failed');
    await vi.waitFor(() => expect(useLogStore().lines.some((l) => l.source === 'main' && l.level === 'error' && l.message === err!.message)).toBe(true));
    // Main's line is the record; the renderer does not log it twice.
    expect(useLogStore().lines.filter((l) => l.source === 'ui' && l.message.includes(err!.message))).toEqual([]);
  });

  it('locks the action bar through the unlock and its checks, and reports the unlock when done', async () => {
    await connectVirtual('stm8s103f3', ['rop']);
    const jobs = useJobsStore();
    const u = useUnlockStore();
    u.open('manual');
    u.consent = true;
    const unlocking = u.run();
    await vi.waitFor(() => expect(held.holding('unlock')).toBe(true), { timeout: 20_000 });
    await expectLockedBy('Unlock', 'unlock');

    // Still one job while the wizard checks the chip afterwards.
    held.release('unlock');
    await vi.waitFor(() => expect(held.holding('blankCheck')).toBe(true), { timeout: 20_000 });
    expect(u.step).toBe('verify');
    await expectLockedBy('Unlock', 'blankCheck');

    held.release('blankCheck');
    await unlocking;
    expect(u.step).toBe('done');
    expect(jobs.busy).toBe(false);
    expect(await actionStates()).toEqual(all(false));
    expect(w.find(T('job-outcome')).text()).toContain('Unlock — done');
    expect(useLogStore().lines.some((l) => l.source === 'ui' && /^Unlock: .*unprotected and blank/.test(l.message))).toBe(true);
  });
});
