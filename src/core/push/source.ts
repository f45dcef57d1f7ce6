/** Where notifications come from: PostgreSQL LISTEN in the web process, a fake in unit tests. */
export interface NotificationSource {
  /**
   * Starts listening to the channels. `onNotification` gets each payload; `onResync` is called
   * after every successful start of listening, the first included: notifications sent before it
   * (or while disconnected) are lost, so subscribers re-read.
   */
  start(handlers: { onNotification(channel: string, payload: string): void; onResync(): void }): void;
  close(): Promise<void>;
}
