/**
 * Parsers written as generators that pause now and then (see record-lines.ts), run either
 * straight through (the CLI, tests) or with a turn for the event loop at every pause (the
 * app's main process, which must never freeze on a file).
 */
import { AppError } from '../errors';

/** A parse in progress: yields null at each pause, returns the result. */
export type ParseSteps<T> = Generator<null, T, void>;

/** Runs a parse to the end without pausing. */
export function runSteps<T>(steps: ParseSteps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs a parse, awaiting `pause` (default: a zero timer) at every pause. */
export async function runStepsPausing<T>(steps: ParseSteps<T>, pause: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0))): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/**
 * Counts the data bytes a file loads and stops the parse as soon as they exceed what any
 * STM8 could hold: the file is not firmware for this family, and parsing it to the end
 * would only cost time and memory.
 */
export class DataBudget {
  #used = 0;

  constructor(
    private readonly fileName: string,
    private readonly limit: number,
  ) {}

  /** Adds `bytes` data bytes; `where` says where in the file, for the error ("line 12"). */
  spend(bytes: number, where: string): void {
    this.#used += bytes;
    if (this.#used > this.limit) {
      throw new AppError(
        'file-too-large',
        `${this.fileName}: by ${where} the file holds more than ${this.limit} bytes of data, more memory than any STM8 has`,
        'Check that this is the firmware file you meant, built for an STM8.',
        { file: this.fileName, limit: this.limit },
      );
    }
  }
}
