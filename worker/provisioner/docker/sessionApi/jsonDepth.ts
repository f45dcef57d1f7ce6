// How deeply a parsed JSON body nests. The endpoint's readers walk bodies recursively (isZero,
// the checks of run, exec and network bodies): a body nested thousands deep would overflow the
// stack there, so it is refused when read.

/** Whether `value` nests at most `max` objects or lists deep (walked without recursion). */
export function nestsWithin(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= max) return false;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return true;
}
