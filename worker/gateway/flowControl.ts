// Flow control for one shared terminal, pure. Output offsets are cumulative string lengths.
// Drivers (and the headless screen) exert backpressure: the shell's stream pauses when the
// slowest of them is more than `high` behind and resumes below `low`. Viewers never slow the
// shell: one more than `viewerLimit` behind is marked lagging, gets no more output, and is
// resynchronised with a snapshot once it has caught up with what it was sent.

export type FlowLimits = { high: number; low: number; viewerLimit: number };

type Peer = { sent: number; acked: number; backpressure: boolean; lagging: boolean };

export class FlowControl {
  private peers = new Map<string, Peer>();
  private paused = false;

  constructor(private readonly limits: FlowLimits) {}

  add(id: string, options: { offset: number; backpressure: boolean }) {
    this.peers.set(id, { sent: options.offset, acked: options.offset, backpressure: options.backpressure, lagging: false });
  }

  remove(id: string) {
    this.peers.delete(id);
  }

  /** Whether `id` should be sent output now (false while it is lagging). */
  canSend(id: string): boolean {
    const peer = this.peers.get(id);
    return !!peer && !peer.lagging;
  }

  sent(id: string, offset: number) {
    const peer = this.peers.get(id);
    if (!peer) return;
    peer.sent = offset;
    if (!peer.backpressure && peer.sent - peer.acked > this.limits.viewerLimit) peer.lagging = true;
  }

  /** Records an acknowledgement; returns "resync" when a lagging peer has caught up. */
  acked(id: string, offset: number): "ok" | "resync" {
    const peer = this.peers.get(id);
    if (!peer) return "ok";
    peer.acked = Math.min(Math.max(peer.acked, offset), peer.sent);
    if (peer.lagging && peer.acked >= peer.sent) {
      peer.lagging = false;
      return "resync";
    }
    return "ok";
  }

  /** Call after sent/acked: the shell's stream should be paused (true) or flowing (false). */
  shouldPause(): boolean {
    let worst = 0;
    for (const peer of this.peers.values()) if (peer.backpressure) worst = Math.max(worst, peer.sent - peer.acked);
    if (!this.paused && worst > this.limits.high) this.paused = true;
    else if (this.paused && worst <= this.limits.low) this.paused = false;
    return this.paused;
  }

  backlog(id: string): number {
    const peer = this.peers.get(id);
    return peer ? peer.sent - peer.acked : 0;
  }
}
