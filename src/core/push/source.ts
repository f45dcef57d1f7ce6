/** Where notifications come from: PostgreSQL LISTEN in the web process, a fake in unit tests. */
export interface NotificationSource {
  /**
   * Starts listening to the channels. `onNotification` gets each payload; `onResync` is called
   * after a reconnect, when notifications sent while disconnected are lost.
   */
  start(handlers: { onNotification(channel: string, payload: string): void; onResync(): void }): void;
  close(): Promise<void>;
}
