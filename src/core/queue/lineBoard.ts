// The line as this web process last read it, shared by every waiting page's stream: the first
// stream that needs it after a change reads it (one statement, line.ts), the others get the same
// answer. A change of the line (the database's notification) or a resync drops it.
import type { LineSnapshot } from "./line";

export class LineBoard {
  private current: Promise<LineSnapshot> | undefined;
  /** How many times the line was read (tests: one per change, whatever the number of pages). */
  reads = 0;

  constructor(private readonly read: () => Promise<LineSnapshot>) {}

  /** The line moved, or changes may have been missed: the next snapshot() reads it again. */
  changed(): void {
    this.current = undefined;
  }

  snapshot(): Promise<LineSnapshot> {
    if (!this.current) {
      this.reads++;
      const reading = this.read();
      this.current = reading;
      // A failed read is not kept: the next caller tries again.
      reading.catch(() => {
        if (this.current === reading) this.current = undefined;
      });
    }
    return this.current;
  }
}
