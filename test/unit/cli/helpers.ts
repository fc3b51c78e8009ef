import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/main/cli/command';
import { runCli } from '../../../src/main/cli/main';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
  /** stdout parsed as the one JSON document --json promises. */
  json: () => unknown;
}

/** Runs the CLI in process with captured stdout/stderr lines. */
export async function cli(...argv: string[]): Promise<CliRun> {
  return cliWith({}, ...argv);
}

/** Same, with extra io (a cancel signal, a progress hook). */
export async function cliWith(extra: Partial<CliIo>, ...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false, ...extra });
  return { code, out, err, json: () => JSON.parse(out.join('\n')) };
}

/** A scratch folder removed after the test file. */
export function scratch(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'swim-cli-'));
  return { dir, path: (n) => join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
