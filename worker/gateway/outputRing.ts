// The most recent output of a terminal with its offsets, so a client that reconnects after a
// short drop gets exactly what it missed; older gaps are answered with a screen snapshot.
export class OutputRing {
  private chunks: { end: number; text: string }[] = [];
  private size = 0;
  private endOffset = 0;

  constructor(private readonly capacity: number) {}

  get end(): number {
    return this.endOffset;
  }

  /** Characters held: what was written, up to the capacity (nothing is allocated ahead). */
  get retained(): number {
    return this.size;
  }

  append(text: string) {
    if (!text) return;
    this.endOffset += text.length;
    this.chunks.push({ end: this.endOffset, text });
    this.size += text.length;
    while (this.size - (this.chunks[0]?.text.length ?? 0) >= this.capacity && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.text.length;
    }
  }

  /** Everything after `offset`, or undefined when that part is no longer kept. */
  since(offset: number): string | undefined {
    if (offset === this.endOffset) return "";
    if (offset > this.endOffset) return undefined;
    const first = this.chunks[0];
    const start = first ? first.end - first.text.length : this.endOffset;
    if (offset < start) return undefined;
    let out = "";
    for (const chunk of this.chunks) {
      const chunkStart = chunk.end - chunk.text.length;
      if (chunk.end <= offset) continue;
      out += chunk.text.slice(Math.max(0, offset - chunkStart));
    }
    return out;
  }
}
