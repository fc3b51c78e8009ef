// @vitest-environment happy-dom
/**
 * A page that starts while the service already has state (a reload, or a second window)
 * shows the service's state of now: the live connection with its probe, faults, part and
 * current ROP flag, the job that is running, and the current file. The "earlier page" here
 * is the service driven directly, as the page before the reload did.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from '../../../src/renderer/src/app/bootstrap';
import { useConnectionStore } from '../../../src/renderer/src/stores/connection';
import { useJobsStore } from '../../../src/renderer/src/stores/jobs/store';
import { useMemoryStore } from '../../../src/renderer/src/stores/memory';
import { usePartStore } from '../../../src/renderer/src/stores/part';
import type { AppService } from '../../../src/main/service/app-service';
import type { IpcResult } from '#shared/ipc';
import { inProcessApi, newService } from './in-process-api';

const blink = readFileSync(join(process.cwd(), 'test/fixtures/image/blink.ihx'));

let service: AppService;
beforeEach(() => {
  setActivePinia(createPinia());
  service = newService();
});
afterEach(async () => {
  await service.dispose();
});

function value<T>(r: IpcResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('a page loaded while the service holds state', () => {
  it('shows the connection after an unlock: its probe and faults, its part, ROP off', async () => {
    value(await service.request('connect', { probe: { kind: 'virtual', variant: 'stlinkv21', faults: ['rop'] }, part: 'stm8l152c6' }));
    value(await service.request('unlock', { confirm: 'erase-everything' }));
    // The settings still name another part: the connection wins.
    value(await service.request('setSettings', { lastPart: 'stm8s103f3' }));
    await bootstrap(inProcessApi(service));
    const conn = useConnectionStore();
    expect(conn.connection).toMatchObject({ part: 'stm8l152c6', readProtected: false });
    expect(conn.selectedId).toBe('virtual:stlinkv21');
    expect(conn.activeFaults).toEqual(['rop']);
    expect(usePartStore().part?.name).toBe('stm8l152c6');
    expect(useMemoryStore().buffer('flash')?.size).toBe(32 * 1024);
  });

  it('shows the job that is running, and its outcome when it ends', async () => {
    value(await service.request('connect', { probe: { kind: 'virtual', variant: 'stlinkv2' }, part: 'stm8s103f3' }));
    const data = new Uint8Array(8192).fill(0x5a);
    const program = service.request('program', { segments: [{ region: 'flash', address: 0x8000, data }], options: { verifyAfterWrite: false, skipUnchanged: false } });
    await bootstrap(inProcessApi(service));
    const jobs = useJobsStore();
    expect(jobs.running?.title).toBe('Program');
    expect(jobs.blocker('read', 'flash')).toBe('A job is running.');
    value(await program);
    await vi.waitFor(() => expect(jobs.running).toBeNull());
    expect(jobs.outcome).toMatchObject({ ok: true, title: 'Program', message: expect.stringMatching(/^Programmed/) });
  });

  it('shows the current file in its tabs', async () => {
    value(await service.request('loadFileBytes', { name: 'blink.ihx', bytes: blink, part: 'stm8s103f3' }));
    await bootstrap(inProcessApi(service));
    const memory = useMemoryStore();
    await vi.waitFor(() => expect(memory.fileName).toBe('blink.ihx'));
    expect(memory.buffer('flash')?.state).toBe('loaded');
    expect(memory.buffer('flash')?.edited[0]).toBe(0x82);
  });
});
