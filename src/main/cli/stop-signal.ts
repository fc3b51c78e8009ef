/**
 * The signals that ask the CLI to stop: Ctrl+C (SIGINT), an IDE's or service manager's
 * stop button (SIGTERM) and a closed terminal (SIGHUP). All three mean the same thing: stop
 * cleanly. A job finishes the block it is writing, locks the flash and resets the target
 * (see runCli); a server (`sim serve`, `ui`) closes its socket and saves its state.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** 128 + the signal number: how a shell reports a process that a signal ended. */
export const SIGNAL_EXIT_CODE: Record<StopSignal, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** Calls `handler` at every stop signal until the returned function is called. */
export function onStopSignal(handler: (signal: StopSignal) => void): () => void {
  const listeners = STOP_SIGNALS.map((s) => [s, () => handler(s)] as const);
  for (const [s, l] of listeners) process.on(s, l);
  return () => {
    for (const [s, l] of listeners) process.off(s, l);
  };
}

/**
 * For a running job: the first stop signal aborts `controller` (the job ends between
 * blocks, "Cancelled.", exit 1); a second one, of any kind, ends the process at once with
 * 128 + its number. Returns the function that stops listening.
 */
export function cancelOnStopSignal(controller: AbortController): () => void {
  return onStopSignal((signal) => {
    if (controller.signal.aborted) process.exit(SIGNAL_EXIT_CODE[signal]);
    controller.abort();
  });
}

/**
 * For commands that serve until stopped (`sim serve`, `ui`): resolves at the first stop
 * signal, then stops listening so the next one ends the process as usual.
 */
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const off = onStopSignal(() => {
      off();
      resolve();
    });
  });
}
