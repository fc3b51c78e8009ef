/**
 * Issue 13 item 11: `swim-studio opt | head -3`. A reader that closes the pipe early is no
 * failure: the command ends quietly with its own exit code (0 here), no EPIPE stack trace.
 * The real executable runs with its stdout a pipe whose reading end is closed before the
 * first line is written, the harshest form of `| head`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(__dirname, '..', '..', 'bin', 'swim-studio.mjs');

function runWithClosedStdout(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, SWIM_STUDIO_VIRTUAL: 'stlinkv3:stm8s103f3', SWIM_STUDIO_SIM_SOCKET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before the command prints anything
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the command did not end'));
    }, 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe('a closed stdout', () => {
  it.each(['opt', '--json opt', 'parts'])('swim-studio %s ends quietly with exit 0', async (command) => {
    const r = await runWithClosedStdout(command.split(' '));
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\.ts:\d+/);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
  });

  it('keeps the command’s own failure code', async () => {
    const r = await runWithClosedStdout(['--json', 'write', '/nonexistent/fw.hex']);
    expect(r.stderr).not.toMatch(/EPIPE/);
    expect(r.code).toBe(1);
  });
});
