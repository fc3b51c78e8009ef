/**
 * For commands that serve until stopped (`sim serve`, `ui`): resolves at the first SIGINT
 * (Ctrl+C) or SIGTERM, then stops listening for both so the next one ends the process as usual.
 */
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
