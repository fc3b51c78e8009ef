import type { AppErrorData } from '#shared/errors';
import { toErrorData } from '#shared/errors';
import type { CliIo, GlobalOptions } from './command';
import { exitCodeFor } from './exit-codes';
import { hexDigits } from '#shared/hex';

/**
 * How a command speaks. In --json mode a command prints exactly one JSON document on
 * stdout (its result, or {"error":{...}}) and nothing else there; human lines go to
 * stderr only as warnings. Without --json, results are plain lines on stdout and
 * errors go to stderr as "swim-studio: MESSAGE" plus an indented remedy.
 */
export interface Output {
  readonly json: boolean;
  /** A human line on stdout (suppressed in JSON mode). */
  line(text: string): void;
  /** A note or warning on stderr (kept in JSON mode: stderr is not the document). */
  note(text: string): void;
  /** Prints the command's JSON document (JSON mode only). */
  result(doc: unknown): void;
  /** Prints an error in the mode's form and returns the exit code it deserves. */
  fail(e: unknown): number;
}

export function createOutput(io: CliIo, globals: GlobalOptions): Output {
  return {
    json: globals.json,
    line(text) {
      if (!globals.json) io.out(text);
    },
    note(text) {
      io.err(text);
    },
    result(doc) {
      if (globals.json) io.out(JSON.stringify(doc, null, 2));
    },
    fail(e) {
      const data = toErrorData(e);
      if (globals.json) io.out(JSON.stringify(errorDocument(data), null, 2));
      else printHumanError(io, data);
      return exitCodeFor(data.code);
    },
  };
}

/** The stable error document: {"error":{"code","message","remedy"}} (remedy omitted when none). */
export function errorDocument(data: AppErrorData): { error: { code: string; message: string; remedy?: string } } {
  return {
    error: { code: data.code, message: data.message, ...(data.remedy ? { remedy: data.remedy } : {}) },
  };
}

export function printHumanError(io: CliIo, data: AppErrorData): void {
  io.err(`swim-studio: ${data.message}`);
  if (data.remedy) io.err(`  ${data.remedy}`);
}

/** A byte as two upper-case hex digits, no prefix: 0x0A → "0A". */
export function hexByte(n: number): string {
  return hexDigits(n, 2);
}

/** Size for people: 8192 → "8 KB", 640 → "640 B". */
export function size(n: number): string {
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024} KB` : `${n} B`;
}
