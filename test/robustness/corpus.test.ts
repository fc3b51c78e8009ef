/**
 * The bad-input scorecard (issue 13): the real executable on every input of the corpus
 * (bad-inputs.ts), each run bounded, each answer judged, and a scorecard printed:
 *
 *   inputs tried, handled well (the expected documented error code with its documented
 *   exit code and a message, or success for the controls; under 10 s and 1 GB RSS;
 *   nothing damaged), crashes (stack trace, signal, unknown exit code, no JSON document),
 *   hangs (killed after 30 s), over bounds (slower than 10 s or above 1 GB).
 *
 * Peak memory comes from /usr/bin/time (its %M, the maximum resident set) when the machine
 * has it, else from polling /proc/PID/status (VmHWM, the kernel's own high-water mark).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/main/cli/exit-codes';
import { CORPUS_PART, makeBadInputs, type BadInput } from './bad-inputs';

const BIN = join(__dirname, '..', '..', 'bin', 'swim-studio.mjs');
const TIME = '/usr/bin/time';
const TIME_BOUND_MS = 10_000;
const RSS_BOUND_KB = 1024 * 1024;
const HANG_MS = 30_000;
/** Runs at once: the machine is shared, and each run is a whole Node process. */
const PARALLEL = 3;

interface Outcome {
  input: BadInput;
  verdict: 'well' | 'wrong' | 'crash' | 'hang' | 'over';
  why: string;
  ms: number;
  rssKb: number | undefined;
}

interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  rssKb: number | undefined;
  killed: boolean;
}

function runCli(argv: string[], scratch: string, n: number): Promise<Run> {
  const useTime = existsSync(TIME);
  const timeFile = join(scratch, `time-${n}.txt`);
  const node = [process.execPath, BIN, ...argv];
  const [cmd, ...args] = useTime ? [TIME, '-f', '%M', '-o', timeFile, ...node] : node;
  const started = performance.now();
  const child = spawn(cmd, args, {
    env: { ...process.env, SWIM_STUDIO_VIRTUAL: `stlinkv3:${CORPUS_PART}`, SWIM_STUDIO_SIM_SOCKET: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a hang is killed with /usr/bin/time's child
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let polledKb: number | undefined;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polledKb = Math.max(polledKb ?? 0, Number(m[1]));
        } catch {
          // gone already
        }
      }, 20);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, HANG_MS);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      const ms = performance.now() - started;
      let rssKb = polledKb;
      if (useTime && existsSync(timeFile)) {
        const kb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop());
        if (Number.isFinite(kb)) rssKb = kb;
      }
      resolve({ code, signal, stdout, stderr, ms, rssKb, killed });
    });
  });
}

/** Signs of a crash in stderr: a JavaScript stack trace or Node's own fatal messages. */
const CRASH_TEXT = /^\s+at .+:\d+:\d+\)?$|Unhandled|FATAL ERROR|heap out of memory|Segmentation fault/m;

function judge(input: BadInput, r: Run): Omit<Outcome, 'input' | 'ms' | 'rssKb'> {
  if (r.killed) return { verdict: 'hang', why: `no answer after ${HANG_MS / 1000} s` };
  // /usr/bin/time reports a child killed by a signal as "Command terminated by signal N".
  const signalled = r.signal ?? /Command terminated by signal (\d+)/.exec(r.stderr)?.[1];
  if (signalled) return { verdict: 'crash', why: `killed by signal ${signalled}` };
  if (r.code === null || ![0, 1, 2, 3].includes(r.code)) return { verdict: 'crash', why: `exit code ${r.code}` };
  if (CRASH_TEXT.test(r.stderr)) return { verdict: 'crash', why: `stack trace: ${r.stderr.split('\n').slice(0, 3).join(' | ')}` };
  let code: string | undefined;
  if (!input.plain) {
    let doc: { error?: { code?: string; message?: string } };
    try {
      doc = JSON.parse(r.stdout) as typeof doc;
    } catch {
      return { verdict: 'crash', why: `stdout is not one JSON document: ${JSON.stringify(r.stdout.slice(0, 80))}` };
    }
    code = doc.error?.code;
    if (code !== undefined && !(doc.error?.message && doc.error.message.length > 10)) return { verdict: 'wrong', why: 'an error without a message' };
  }
  if (r.ms > TIME_BOUND_MS) return { verdict: 'over', why: `${(r.ms / 1000).toFixed(1)} s` };
  if (r.rssKb !== undefined && r.rssKb > RSS_BOUND_KB) return { verdict: 'over', why: `${Math.round(r.rssKb / 1024)} MB` };
  const damage = input.after?.();
  if (damage) return { verdict: 'wrong', why: damage };
  if (input.expect === 'ok') {
    return r.code === 0 ? { verdict: 'well', why: '' } : { verdict: 'wrong', why: `expected success, got exit ${r.code} ${code ?? ''}` };
  }
  if (input.plain) {
    // stm8flash mode has no JSON: the documented exit code and a message on stderr.
    if (r.code !== exitCodeFor(input.expect)) return { verdict: 'wrong', why: `exit ${r.code}, expected ${exitCodeFor(input.expect)}` };
    return /\w{4,}/.test(r.stderr) ? { verdict: 'well', why: '' } : { verdict: 'wrong', why: 'no message' };
  }
  if (code !== input.expect) return { verdict: 'wrong', why: `code ${code ?? '(none)'}, expected ${input.expect}` };
  if (r.code !== exitCodeFor(code)) return { verdict: 'wrong', why: `exit ${r.code}, but ${code} is documented as exit ${exitCodeFor(code)}` };
  return { verdict: 'well', why: '' };
}

async function pool<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

function scorecard(outcomes: Outcome[], seconds: number): string {
  const count = (v: Outcome['verdict']): number => outcomes.filter((o) => o.verdict === v).length;
  const maxMs = Math.max(...outcomes.map((o) => o.ms));
  const rss = outcomes.map((o) => o.rssKb).filter((k): k is number => k !== undefined);
  const lines = [
    '',
    'Bad-input scorecard',
    `  inputs tried   ${outcomes.length}`,
    `  handled well   ${count('well')}`,
    `  wrong answer   ${count('wrong')}`,
    `  crashes        ${count('crash')}`,
    `  hangs          ${count('hang')}`,
    `  over bounds    ${count('over')}   (bounds: ${TIME_BOUND_MS / 1000} s, ${RSS_BOUND_KB / 1024} MB)`,
    `  slowest run    ${(maxMs / 1000).toFixed(2)} s; largest peak RSS ${rss.length ? `${Math.round(Math.max(...rss) / 1024)} MB` : 'not measured'}; whole run ${seconds.toFixed(1)} s`,
  ];
  for (const o of outcomes.filter((x) => x.verdict !== 'well')) lines.push(`  ${o.verdict.toUpperCase().padEnd(6)} ${o.input.name}: ${o.why}`);
  const heaviest = [...outcomes].sort((a, b) => (b.rssKb ?? 0) - (a.rssKb ?? 0)).slice(0, 3);
  lines.push(`  heaviest: ${heaviest.map((o) => `${o.input.name} ${Math.round((o.rssKb ?? 0) / 1024)} MB ${(o.ms / 1000).toFixed(1)} s`).join('; ')}`);
  return lines.join('\n');
}

describe.runIf(process.platform === 'linux')('bad-input corpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swim-corpus-'));
  const scratch = mkdtempSync(join(tmpdir(), 'swim-corpus-time-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('every input is handled well: 0 crashes, 0 hangs, nothing over the bounds', { timeout: 300_000 }, async () => {
    const inputs = makeBadInputs(dir);
    const started = performance.now();
    const outcomes = await pool(inputs, PARALLEL, async (input, n) => {
      const r = await runCli(input.plain ? input.argv : ['--json', ...input.argv], scratch, n);
      return { input, ms: r.ms, rssKb: r.rssKb, ...judge(input, r) };
    });
    console.log(scorecard(outcomes, (performance.now() - started) / 1000));
    const bad = outcomes.filter((o) => o.verdict !== 'well').map((o) => `${o.verdict}: ${o.input.name}: ${o.why}`);
    expect(outcomes.filter((o) => o.verdict === 'crash')).toHaveLength(0);
    expect(outcomes.filter((o) => o.verdict === 'hang')).toHaveLength(0);
    expect(outcomes.filter((o) => o.verdict === 'over')).toHaveLength(0);
    expect(bad).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(60);
  });
});
