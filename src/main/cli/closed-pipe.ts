/**
 * Output to a reader that went away. `swim-studio opt | head -3` closes the pipe after three
 * lines; Node then reports EPIPE as an 'error' event on process.stdout, which with no
 * listener ends the process with a stack trace. A reader that stopped early is no failure:
 * from then on the stream's lines are dropped, and the command runs to its end (a chip
 * operation is never cut in the middle of a block because nobody reads its messages) and
 * exits with its own code, 0 when it succeeded.
 */
import type { Writable } from 'node:stream';

/** A writer for `stream` that goes quiet once the reader has closed its end. */
export interface PipeWriter {
  write(text: string): void;
  /** True once the reader has gone away. */
  readonly closed: boolean;
}

/** Error codes that mean "the reader is gone", not "the disk or terminal failed". */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

const writers = new WeakMap<Writable, PipeWriter>();

/**
 * The writer of `stream`, made once per stream: its error listener stays for the life of the
 * process, because the EPIPE event may arrive after the command has returned.
 */
export function pipeWriter(stream: Writable): PipeWriter {
  const known = writers.get(stream);
  if (known) return known;
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (READER_GONE.has(e.code ?? '')) {
      closed = true;
      return;
    }
    throw e; // anything else is a real failure: let it surface as before
  });
  const writer: PipeWriter = {
    write(text) {
      if (closed || stream.destroyed) return;
      stream.write(text);
    },
    get closed() {
      return closed;
    },
  };
  writers.set(stream, writer);
  return writer;
}
