import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../../src/main/service/job-runner';
import type { JobProgress, JobStateEvent } from '#shared/ipc';

function runner(now: () => number) {
  const progress: JobProgress[] = [];
  const states: JobStateEvent[] = [];
  const r = new JobRunner({ progress: (p) => progress.push(p), state: (s) => states.push(s) }, now, 50, () => 0);
  return { r, progress, states };
}

const report = (_: unknown, ms: number, jobId: string) => ({ jobId, kind: 'program' as const, summary: 'done', durationMs: ms, bytes: 0 });

describe('one job at a time', () => {
  it('refuses a second job while one runs, naming the running one, and accepts it afterwards', async () => {
    const { r } = runner(() => 0);
    let release!: () => void;
    const first = r.run('program', () => new Promise<number>((res) => (release = () => res(1))), report);
    await expect(r.run('read', async () => 2, report)).rejects.toMatchObject({ code: 'busy', message: expect.stringMatching(/read.*program/) });
    expect(() => r.assertIdle('disconnect')).toThrow(/program is still running/);
    release();
    await expect(first).resolves.toBe(1);
    await expect(r.run('read', async () => 2, report)).resolves.toBe(2);
  });

  it('emits running then done with the report', async () => {
    let t = 0;
    const { r, states } = runner(() => t);
    await r.run('program', async () => {
      t = 1234;
      return 0;
    }, report);
    expect(states.map((s) => s.state)).toEqual(['running', 'done']);
    expect(states[1].report?.durationMs).toBe(1234);
    expect(states[0].jobId).toBe(states[1].jobId);
  });

  it('throttles progress by wall time but keeps phase changes and the last step, with an ETA', async () => {
    let t = 0;
    const { r, progress } = runner(() => t);
    await r.run('program', async (ctx) => {
      for (let i = 1; i <= 100; i++) {
        t += 10; // 10 ms per block: one event per 5 blocks
        ctx.progress('writing flash', i, 100);
      }
      for (let i = 1; i <= 50; i++) {
        t += 2; // verifying is faster: 2 ms per block
        ctx.progress('verifying', i, 50);
      }
      return 0;
    }, report);
    const writing = progress.filter((p) => p.phase === 'writing flash');
    expect(writing.length).toBeGreaterThan(10);
    expect(writing.length).toBeLessThan(30);
    expect(writing[writing.length - 1].done).toBe(100);
    expect(progress[progress.length - 1].phase).toBe('verifying');
    // The estimate restarts with the phase: verifying's own pace, not writing's.
    const v = progress.find((p) => p.phase === 'verifying' && p.done >= 25)!;
    expect(v.etaMs).toBe((50 - v.done) * 2);
    const mid = writing.find((p) => p.done >= 50)!;
    // 10 ms per block so far → about 10 ms × remaining blocks.
    expect(mid.etaMs).toBe((100 - mid.done) * 10);
  });

  it('cancels the running job: its signal aborts and it ends as cancelled', async () => {
    const { r, states } = runner(() => 0);
    const job = r.run('program', (ctx) => new Promise((_res, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason))), report);
    expect(r.cancel('job-999')).toBe(false);
    expect(r.cancel()).toBe(true);
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    expect(states.at(-1)).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } });
    expect(r.running).toBeNull();
    expect(r.cancel()).toBe(false);
  });

  it('a failure ends as failed with the error as data', async () => {
    const { r, states } = runner(() => 0);
    await expect(r.run('erase', async () => {
      throw Object.assign(new Error('gone'), { code: 'probe-unplugged', remedy: 'Plug it back in.' });
    }, report)).rejects.toMatchObject({ code: 'probe-unplugged', remedy: 'Plug it back in.' });
    expect(states.at(-1)).toMatchObject({ state: 'failed', error: { code: 'probe-unplugged', message: 'gone' } });
  });
});
