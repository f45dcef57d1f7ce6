// A worker-wide bound on capture helpers at once: live captures (CAPTURE_MAX_PER_WORKER) and rolling
// ones for checks (CAPTURE_MAX_ROLLING_PER_WORKER) have one each; a helper takes a slot while it runs.

export class CaptureSlots {
  private used = 0;

  constructor(readonly max: number) {}

  /** Takes a slot; false when all are taken. */
  take(): boolean {
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  release() {
    this.used = Math.max(0, this.used - 1);
  }

  get inUse(): number {
    return this.used;
  }
}

export const slotsFullMessage = (max: number) => `this lab host is running its maximum of ${max} captures; try again in a minute`;
