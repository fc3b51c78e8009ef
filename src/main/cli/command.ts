import type { OptionSpec } from './args';

/** A subcommand of `swim-studio`. Each lives in its own file under ./commands. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** True when stdout is a terminal. */
  isTty: boolean;
  /**
   * True when stderr is a terminal: the progress bar is drawn there, and only then
   * (defaults to false when a caller does not say, so captured output stays clean).
   */
  errIsTty?: boolean;
  /** Raw write to stderr without a newline (progress bar redraws with \r). */
  errRaw?: (chunk: string) => void;
  /**
   * Cancels the running job between blocks (the engine then locks the flash controller and
   * resets the target). runCli wires Ctrl-C to it when the caller gives none.
   */
  signal?: AbortSignal;
  /** Every progress event of a job (for embedding callers and tests; the bar draws them too). */
  onProgress?: (p: { phase?: string; done: number; total: number }) => void;
}

export interface CliCommand {
  name: string;
  /** One line for the help listing. */
  summary: string;
  /** Full usage text for `swim-studio help NAME` / `NAME --help`. */
  usage: string;
  /** The options it takes after its name, when it declares them (see define-command.ts). */
  options?: readonly OptionSpec[];
  /** Returns the process exit code: 0 ok, 1 operation failed, 2 usage, 3 no probe or no target. */
  run(args: string[], io: CliIo, globals: GlobalOptions): Promise<number>;
}

/** Options given before the subcommand (and their environment equivalents). */
export interface GlobalOptions {
  probe?: string;
  part?: string;
  /** PROBE:PART[:FAULT,...] e.g. stlinkv3:stm8s103f3 (or SWIM_STUDIO_VIRTUAL). */
  virtual?: string;
  /** Path of a virtual probe served on a socket (or SWIM_STUDIO_SIM_SOCKET). */
  simSocket?: string;
  json: boolean;
  /** --connect-under-reset: hold NRST low through SWIM entry and stall the CPU before it runs. */
  underReset?: boolean;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, noProbe: 3 } as const;
