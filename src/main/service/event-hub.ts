/**
 * Typed fan-out of the contract's events (main → every window / bridge client). A listener
 * that throws is isolated: one broken window must not stop the others hearing progress.
 */
import type { EventName, IpcEvents } from '#shared/ipc';

export type AnyEventListener = <E extends EventName>(event: E, payload: IpcEvents[E]) => void;

export class EventHub {
  private readonly listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(event: E, payload: IpcEvents[E]): void {
    for (const l of [...this.listeners]) {
      try {
        l(event, payload);
      } catch {
        // A dead window or closed socket: its own face cleans up; the others carry on.
      }
    }
  }

  /** Every event, for faces that forward them all (Electron windows, bridge clients). */
  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One event type, for tests and local use. */
  on<E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void): () => void {
    const wrapped: AnyEventListener = (name, payload) => {
      if ((name as EventName) === event) listener(payload as unknown as IpcEvents[E]);
    };
    return this.subscribe(wrapped);
  }
}
