// What a learner waiting for a place reads (the session page's status line): their position, the
// estimate when there is one, and that the lab starts by itself.

/** A waiting session's place, as the session view carries it (src/core/queue/line.ts). */
export type LineView = { position: number; estimateMinutes: number | null } | null;

const minutes = (n: number) => (n === 1 ? "about 1 minute" : `about ${n} minutes`);

export function lineSentence(line: LineView): string {
  const after = "The lab starts by itself; you can leave this page open.";
  if (!line) return `Every lab host is busy. You are in line for a place. ${after}`;
  const estimate = line.estimateMinutes === null ? "no estimate yet" : minutes(line.estimateMinutes);
  return `Every lab host is busy. You are number ${line.position} in line — ${estimate}. ${after}`;
}
